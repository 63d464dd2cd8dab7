"""Talking to systemd: ``sd_notify`` over ``$NOTIFY_SOCKET``, no dependency needed.

The protocol is one datagram of ``KEY=VALUE`` lines to a Unix socket (an
abstract one when the path starts with ``@``). Outside systemd the socket is
unset and every call is a cheap no-op, so the daemon code calls it freely.
"""

from __future__ import annotations

import os
import socket


def notify(*states: str) -> bool:
    """Send ``READY=1``, ``STATUS=…``, ``WATCHDOG=1``…; False when not under systemd."""
    address = os.environ.get("NOTIFY_SOCKET")
    if not address or not states:
        return False
    if address.startswith("@"):
        address = "\0" + address[1:]
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
            sock.connect(address)
            sock.sendall("\n".join(states).encode())
    except OSError:
        return False
    return True


def watchdog_interval() -> float | None:
    """Seconds between watchdog pings (half of ``WatchdogSec``), None when not asked for."""
    usec = os.environ.get("WATCHDOG_USEC")
    pid = os.environ.get("WATCHDOG_PID")
    if not usec or (pid and pid != str(os.getpid())):
        return None
    try:
        return max(0.5, int(usec) / 2_000_000)
    except ValueError:
        return None
