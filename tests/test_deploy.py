"""The deployment files in ``deploy/``: the systemd unit and the example config.

The unit is checked with systemd's own tools where they exist
(``systemd-analyze verify`` and ``systemd-analyze security --offline=true``;
Debian/Ubuntu package ``systemd``; neither needs systemd running). ``verify``
insists that ``ExecStart=``'s binary exists, and ``/opt/news-monitor/.venv`` is
not there on a build machine, so it runs on a temporary copy whose
``ExecStart=`` points at this Python interpreter; nothing else is changed.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from monitor.config import (
    Config,
    DaemonConfig,
    NotifyConfig,
    SourceConfig,
    StoreConfig,
    load_config,
)
from monitor.notify.channels import build_channels

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
UNIT = DEPLOY / "monitor.service"
EXAMPLE = DEPLOY / "monitor.toml.example"
MAX_EXPOSURE = 2.0

SECRETS = {
    "SMTP_PASSWORD": "smtp-pw-4f9c1e",
    "SLACK_TOKEN": "T0SECRET/B0SECRET/slacktoken9d2a7c",
}

ANALYZE = shutil.which("systemd-analyze")
needs_analyze = pytest.mark.skipif(
    ANALYZE is None,
    reason="systemd-analyze is not on PATH (apt-get install systemd); unit not checked by systemd",
)


def directives(text: str) -> dict[str, list[str]]:
    """``Key=value`` lines of a unit file (comments and sections skipped), key -> values."""
    found: dict[str, list[str]] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line[0] in "#;[" or "=" not in line:
            continue
        key, value = line.split("=", 1)
        found.setdefault(key.strip(), []).append(value.strip())
    return found


def unit_copy(tmp_path: Path) -> Path:
    """The unit with ``ExecStart=`` pointing at an existing binary (for ``verify``)."""
    text = UNIT.read_text(encoding="utf-8")
    text, n = re.subn(
        r"(?m)^ExecStart=\S+", lambda _: f"ExecStart={sys.executable} -m monitor", text
    )
    assert n == 1, "expected exactly one ExecStart= line"
    copy = tmp_path / "monitor.service"  # verify derives the unit type from the name
    copy.write_text(text, encoding="utf-8")
    return copy


# -- the unit -------------------------------------------------------------------


def test_unit_has_the_required_directives() -> None:
    unit = directives(UNIT.read_text(encoding="utf-8"))
    expected = {
        "Type": "notify",
        "NotifyAccess": "main",
        "Restart": "on-failure",
        "DynamicUser": "yes",
        "StateDirectory": "news-monitor",
        "ConfigurationDirectory": "news-monitor",
        "ProtectSystem": "strict",
        "ProtectHome": "yes",
        "NoNewPrivileges": "yes",
        "PrivateTmp": "yes",
        "RestrictAddressFamilies": "AF_UNIX AF_INET AF_INET6",
        "ExecStart": "/opt/news-monitor/.venv/bin/monitor run",
        "ExecReload": "/bin/kill -HUP $MAINPID",
    }
    for key, value in expected.items():
        assert value in unit.get(key, []), f"{key}={value} missing from {UNIT.name}"
    assert "@system-service" in unit.get("SystemCallFilter", [])
    assert int(unit["WatchdogSec"][0]) > 0
    credentials = unit.get("LoadCredential", [])
    assert {c.split(":", 1)[0] for c in credentials} >= set(SECRETS)
    # The secrets the example config names are exactly what the unit loads.
    named = set(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", active_toml()))
    assert named <= {c.split(":", 1)[0] for c in credentials}


@needs_analyze
def test_systemd_analyze_verify(tmp_path: Path) -> None:
    copy = unit_copy(tmp_path)
    done = subprocess.run(
        [ANALYZE, "verify", str(copy)], capture_output=True, text=True, timeout=60
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    # verify exits 0 on warnings such as unknown keys: none may name our unit.
    assert copy.name not in output, output


@needs_analyze
def test_systemd_analyze_security_exposure() -> None:
    done = subprocess.run(
        [ANALYZE, "security", "--offline=true", "--no-pager", str(UNIT)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    output = done.stdout + done.stderr
    match = re.search(r"Overall exposure level for \S+: (\d+(?:\.\d+)?)", output)
    assert match, f"no exposure level in systemd-analyze output:\n{output}"
    exposure = float(match.group(1))
    assert exposure <= MAX_EXPOSURE, f"exposure {exposure} > {MAX_EXPOSURE}:\n{output}"


# -- the example config ---------------------------------------------------------


def active_toml() -> str:
    """The example without its comment lines (secrets named in comments do not count)."""
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    return "\n".join(line for line in lines if not line.lstrip().startswith("#"))


@pytest.fixture
def secrets(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("CREDENTIALS_DIRECTORY", raising=False)
    return SECRETS


def test_example_config_loads(secrets: dict[str, str]) -> None:
    config = load_config(EXAMPLE)
    assert {s.type for s in config.sources} == {"fixtures", "feed"}
    assert config.resolve(config.watchlists) == DEPLOY / "watchlists"
    urls = config.channel_urls()
    assert set(urls) == {"team-email", "team-slack"}
    assert urls["team-email"].startswith("mailto://")
    assert secrets["SMTP_PASSWORD"] in urls["team-email"]
    assert urls["team-slack"].startswith("slack://")
    assert secrets["SLACK_TOKEN"] in urls["team-slack"]
    # apprise accepts both URLs (validated without sending anything).
    channels = build_channels(urls, path=config.path)
    assert set(channels) == {"team-email", "team-slack"}


def test_example_config_uses_every_key() -> None:
    """A new config key should be documented in the example too."""
    import tomllib

    raw = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))

    def fields(model: type) -> set[str]:
        return set(model.model_fields) - {"path", "base"}  # type: ignore[attr-defined]

    top = fields(Config)
    assert top <= set(raw), f"top-level keys missing: {sorted(top - set(raw))}"
    for section, model in [("store", StoreConfig), ("notify", NotifyConfig)]:
        missing = fields(model) - set(raw[section])
        assert not missing, f"[{section}] keys missing: {sorted(missing)}"
    missing = fields(DaemonConfig) - set(raw["daemon"])
    assert not missing, f"[daemon] keys missing: {sorted(missing)}"
    used = set().union(*(set(s) for s in raw["sources"]))
    missing = fields(SourceConfig) - used
    assert not missing, f"[[sources]] keys missing: {sorted(missing)}"


def test_config_show_masks_the_secrets(secrets: dict[str, str], tmp_path: Path) -> None:
    # laid out as docs/operations.md installs it: the watchlists and templates beside it
    from monitor import defaults

    etc = tmp_path / "etc"
    etc.mkdir()
    (etc / "monitor.toml").write_text(EXAMPLE.read_text())
    (etc / "watchlists").symlink_to(defaults.WATCHLISTS)
    (etc / "templates").symlink_to(defaults.TEMPLATES)
    done = subprocess.run(
        [sys.executable, "-m", "monitor", "--config", str(etc / "monitor.toml"), "config", "show"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout)
    assert shown["channels"]["team-email"].count("${SMTP_PASSWORD}") == 1
    assert "${SLACK_TOKEN}" in shown["channels"]["team-slack"]
    for value in secrets.values():
        assert value not in done.stdout + done.stderr
        for part in value.split("/"):
            assert part not in done.stdout + done.stderr
