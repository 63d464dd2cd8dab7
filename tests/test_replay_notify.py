"""``monitor replay --notify``: what it needs to deliver is checked before anything is replayed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from conftest import ROOT, SEEDS


def test_an_unset_secret_stops_replay_notify_before_any_outcome_or_store(
    tmp_path: Path, cli: Callable[..., Any], monkeypatch: Any
) -> None:
    monkeypatch.delenv("NEWS_SMTP_PASSWORD", raising=False)
    config = tmp_path / "monitor.toml"
    config.write_text(
        f'watchlists = "{ROOT / "watchlists"}"\n'
        f'templates = "{ROOT / "templates"}"\n'
        "[channels]\n"
        'team-email = "mailto://u:${NEWS_SMTP_PASSWORD}@127.0.0.1:2525?to=a@example.org"\n'
    )
    store = tmp_path / "replayed.db"
    result = cli(
        "--config", str(config), "replay", str(SEEDS), "--notify", "--store", f"sqlite:///{store}"
    )
    assert result.returncode == 1
    assert "NEWS_SMTP_PASSWORD" in result.stderr and "not set" in result.stderr
    assert "RAISED" not in result.stdout  # stopped before replaying, not after
    assert not store.exists()
