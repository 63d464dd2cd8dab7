"""The config contract: every mistake names the file, the key and the problem."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOT

from monitor.config import load_config
from monitor.daemon import build_runtime
from monitor.errors import ConfigError, MonitorError
from monitor.store.projections import open_log


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "monitor.toml"
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("text", "key", "problem"),
    [
        ("colour = 1\n", "colour", "unknown key"),
        ('base = "/srv"\n', "base", "unknown key"),  # internal fields are not keys
        ('path = "/etc/other.toml"\n', "path", "unknown key"),
        ('[notify]\nsend_timeout = "0s"\n', "notify.send_timeout", "positive"),
        (
            '[[sources]]\nname = "a"\ntype = "feed"\nurl = "https://x/"\nintervall = "1m"\n',
            "sources[0] (a).intervall",
            "unknown key",
        ),
        (
            '[[sources]]\nname = "a"\ntype = "feed"\nurl = "https://x/"\ninterval = "soon"\n',
            "sources[0] (a).interval",
            "bad duration",
        ),
        ('[[sources]]\nname = "a"\ntype = "feed"\nurl = "ftp://x/"\n', "sources[0] (a)", "http(s)"),
        ('[[sources]]\nname = "a"\ntype = "fixtures"\n', "sources[0] (a)", "needs 'path'"),
        ('[[sources]]\nname = "a"\ntype = "imap"\npath = "x"\n', "sources[0] (a).type", "fixtures"),
        (
            '[[sources]]\nname = "a"\ntype = "fixtures"\npath = "x"\n'
            '[[sources]]\nname = "a"\ntype = "fixtures"\npath = "y"\n',
            "",
            "duplicate source",
        ),
        (
            '[channels]\nmail = "mailto://${NO_SUCH_SECRET}@x.org"\n',
            "channels.mail",
            "NO_SUCH_SECRET",
        ),
        ("[daemon]\nworkers = 0\n", "daemon.workers", "greater than or equal to 1"),
        ("[store\n", "", "invalid TOML"),
    ],
)
def test_bad_config_names_file_key_and_problem(
    tmp_path: Path, text: str, key: str, problem: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    message = str(err.value)
    assert message.startswith(str(path)) and key in message and problem in message


def test_secrets_from_environment_or_credentials(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, '[channels]\nmail = "mailto://u:${SMTP_PASSWORD}@x.org?to=a@b.org"\n')
    monkeypatch.setenv("SMTP_PASSWORD", "from-env")
    assert "from-env" in load_config(path).channel_urls()["mail"]
    monkeypatch.delenv("SMTP_PASSWORD")
    creds = tmp_path / "creds"
    creds.mkdir()
    (creds / "SMTP_PASSWORD").write_text("from-credential\n")
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(creds))
    config = load_config(path)
    assert "from-credential" in config.channel_urls()["mail"]
    assert "from-credential" not in str(config.show())  # show keeps ${NAME}


def test_relative_paths_resolve_against_the_config_file(tmp_path: Path) -> None:
    path = write(
        tmp_path, 'watchlists = "wl"\n[[sources]]\nname = "s"\ntype = "fixtures"\npath = "seeds"\n'
    )
    config = load_config(path)
    assert config.resolve(config.watchlists) == tmp_path / "wl"
    assert config.store_url == f"sqlite:///{tmp_path / 'var' / 'monitor.db'}"


def test_no_config_means_the_embedded_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CONFIGURATION_DIRECTORY", raising=False)
    config = load_config(None)
    assert [(s.name, s.type, s.path) for s in config.sources] == [("seeds", "fixtures", "seeds")]
    assert config.channels == {}


def _runtime_error(tmp_path: Path, config_text: str, rule_text: str) -> MonitorError:
    wl = tmp_path / "wl"
    wl.mkdir()
    shutil.copy(ROOT / "watchlists" / "entities.yaml", wl)
    (wl / "routed.yaml").write_text(rule_text)
    path = write(tmp_path, f'watchlists = "wl"\ntemplates = "{ROOT / "templates"}"\n{config_text}')
    with open_log("sqlite://") as log, pytest.raises(MonitorError) as err:
        build_runtime(log, load_config(path))
    return err.value


def test_unknown_channel_in_a_watchlist_names_the_watchlist(tmp_path: Path) -> None:
    err = _runtime_error(
        tmp_path,
        '[channels]\nteam-email = "mailto://u:p@x.org?to=a@b.org"\n',
        "query: summit\nnotify: [team-slack]\n",
    )
    assert "routed.yaml" in str(err) and "team-slack" in str(err) and "team-email" in str(err)


def test_bad_channel_url_names_the_channel(tmp_path: Path) -> None:
    err = _runtime_error(tmp_path, '[channels]\npager = "nosuchscheme://x"\n', "query: summit\n")
    assert "monitor.toml" in str(err) and "channels.pager" in str(err)


def test_unknown_template_set_in_a_watchlist(tmp_path: Path) -> None:
    err = _runtime_error(tmp_path, "", "query: summit\ntemplate: fancy\n")
    assert "fancy" in str(err)
