"""``monitor run`` with ``[web]`` configured, driven from outside like an operator would.

The daemon is a subprocess started from a config file (the helpers of
``test_daemon_e2e``); its page is read over HTTP while it polls the seeds.
"""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from conftest import SEEDS
from prometheus_client.parser import text_string_to_metric_families
from smtpsink import free_port
from test_daemon_e2e import Daemon, wait_for, write_config

from monitor.store.projections import list_outcomes
from monitor.wiring import open_log


def seeds_source(interval: str = "2s") -> str:
    return f'[[sources]]\nname = "seeds"\ntype = "fixtures"\npath = "{SEEDS}"\ninterval = "{interval}"\n'


def get(url: str) -> httpx.Response | None:
    try:
        return httpx.get(url, timeout=5)
    except httpx.TransportError:
        return None


def test_run_serves_healthz_and_the_seed_alerts(tmp_path: Path, daemons: list[Daemon]) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    config = write_config(
        tmp_path / "monitor.toml",
        seeds_source(),
        None,  # no channels: alerts go to the console
        extra=f'[web]\nlisten = "127.0.0.1:{port}"\n',
    )
    d = Daemon(config, tmp_path).start()
    daemons.append(d)
    wait_for(lambda: (r := get(f"{base}/healthz")) is not None and r.status_code == 200, 30)
    health = httpx.get(f"{base}/healthz").json()
    assert health["healthy"] is True and health["scheduler_running"] is True

    def alerts() -> list[dict[str, Any]]:
        r = get(f"{base}/api/alerts")
        return r.json()["alerts"] if r is not None and r.status_code == 200 else []

    wait_for(lambda: len(alerts()) >= 6, 60, "the seeds' alerts on /api/alerts")
    wait_for(lambda: all(a["deliveries"] for a in alerts()), 30, "their deliveries")
    listed = alerts()
    assert all(a["source"] == "seeds" and a["evidence"] for a in listed)
    assert {d["channel"] for a in listed for d in a["deliveries"]} == {"console"}
    page = httpx.get(base + "/").text
    assert "Japan and South Korea Strengthen Ties Amid North Korea Concerns" in page
    (seeds,) = httpx.get(f"{base}/api/sources").json()["sources"]
    assert seeds["name"] == "seeds" and seeds["last_poll"] and seeds["failures"] == 0
    assert seeds["items"] == len(list(SEEDS.glob("*.txt")))
    families = {
        f.name: f for f in text_string_to_metric_families(httpx.get(f"{base}/metrics").text)
    }
    polls = {s.labels["result"]: s.value for s in families["monitor_polls"].samples}
    assert polls.get("ok", 0) >= 1
    assert families["monitor_healthy"].samples[0].value == 1

    # SIGTERM with a keep-alive connection open: the server closes, the daemon exits in time
    with httpx.Client(base_url=base) as keep_alive:
        assert keep_alive.get("/healthz").status_code == 200
        started = time.monotonic()
        assert d.stop(signal.SIGTERM) == 0
        assert time.monotonic() - started < 3 + 2  # shutdown_grace is 3 s
    assert get(f"{base}/healthz") is None  # nothing listens any more
    assert "Traceback" not in d.log()

    with open_log(f"sqlite:///{tmp_path / 'monitor.db'}", create=False) as log:
        with log.engine.connect() as conn:
            raised = list_outcomes(conn, outcome="raised", limit=500)
        assert {r.seq for r in raised} == {a["seq"] for a in listed}
        stopped = list(log.read(types=["DaemonStopped"]))
        assert stopped and stopped[-1].payload["clean"] is True


def test_run_refuses_to_start_when_the_address_is_taken(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        config = write_config(
            tmp_path / "monitor.toml",
            seeds_source(),
            None,
            extra=f'[web]\nlisten = "127.0.0.1:{port}"\n',
        )
        res = subprocess.run(
            [sys.executable, "-m", "monitor", "--config", str(config), "run"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert res.returncode == 1, res.stderr
    assert f"web.listen: cannot listen on 127.0.0.1:{port}" in res.stderr
    assert "Traceback" not in res.stderr
    assert not (tmp_path / "monitor.db").exists()  # refused before anything ran or was created


def test_web_is_off_without_a_web_table(
    tmp_path: Path, daemons: list[Daemon], cli: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    config = write_config(tmp_path / "monitor.toml", seeds_source(), None)
    shown = cli("--config", str(config), "config", "show", check=True).stdout
    assert json.loads(shown)["web"] == {"enabled": False, "listen": "127.0.0.1:8080"}
    d = Daemon(config, tmp_path).start()
    daemons.append(d)
    wait_for(lambda: "running" in d.log(), 30)
    assert "web page" not in d.log()
    assert d.stop() == 0
