"""A real SMTP server (aiosmtpd) on a fixed port that tests can stop and start again."""

from __future__ import annotations

import contextlib
import email
import email.policy
import socket
import threading
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class SmtpSink:
    """Collects every message it receives; ``url`` is the apprise URL that reaches it."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.messages: list[EmailMessage] = []
        self._controller: Controller | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(msg, EmailMessage)
        self.messages.append(msg)
        return "250 OK"

    def start(self) -> None:
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def url(self) -> str:
        return (
            f"mailto://127.0.0.1:{self.port}"
            "?from=monitor@example.org&to=analyst@example.org&mode=insecure"
        )

    def subjects(self) -> list[str]:
        return [str(m["subject"]) for m in self.messages]


class SilentServer:
    """A TCP server that accepts connections and never says a word (a hung SMTP relay).

    The connections are kept open until :meth:`stop`, so a client waits for a
    greeting that never comes, exactly as with a wedged mail server.
    """

    def __init__(self) -> None:
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self.port = int(self._sock.getsockname()[1])
        self.accepted: list[socket.socket] = []
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        def serve() -> None:
            while True:
                try:
                    conn, _ = self._sock.accept()
                except OSError:
                    return
                self.accepted.append(conn)

        self._thread = threading.Thread(target=serve, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._sock.close()
        for conn in self.accepted:
            conn.close()

    @property
    def url(self) -> str:
        return (
            f"mailto://127.0.0.1:{self.port}"
            "?from=monitor@example.org&to=analyst@example.org&mode=insecure"
        )


class TricklingServer(SilentServer):
    """A relay that answers one byte of its greeting every ``every`` seconds, for ever.

    Every read the client makes gets a byte before its socket timeout, so a
    client that only bounds each read never gives up: the slow channel of a
    real outage (a relay behind a saturated link, a tarpit).
    """

    def __init__(self, every: float = 1.0) -> None:
        super().__init__()
        self.every = every
        self._stopped = threading.Event()

    def start(self) -> None:
        super().start()

        def drip() -> None:
            while not self._stopped.wait(self.every):
                for conn in list(self.accepted):
                    with contextlib.suppress(OSError):  # a client that gave up
                        conn.send(b"2")

        threading.Thread(target=drip, daemon=True).start()

    def stop(self) -> None:
        self._stopped.set()
        super().stop()
