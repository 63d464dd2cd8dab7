"""The config contract: every mistake names the file, the key and the problem."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOT

from monitor import defaults
from monitor.config import load_config
from monitor.daemon import build_runtime
from monitor.errors import ConfigError, ConfigErrors, MonitorError
from monitor.wiring import open_log


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
        ('[channels]\nmail = " "\n', "channels.mail", "empty channel URL"),
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


def test_every_mistake_in_one_load(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'colour = "blue"\n[notify]\nbase_delay = "soon"\n[daemon]\nworkers = 0\n'
        '[web]\nlisten = ":8080"\n[channels]\nmail = ""\n',
    )
    with pytest.raises(ConfigErrors) as err:
        load_config(path)
    keys = [e.key for e in err.value.errors]
    assert sorted(keys) == sorted(
        ["colour", "notify.base_delay", "daemon.workers", "web.listen", "channels.mail"]
    )
    assert all(line.startswith(f"{path}: ") for line in str(err.value).splitlines())


def test_secrets_are_resolved_only_where_channels_are_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Loading (and showing) a config needs no secret; building its channels needs them all."""
    monkeypatch.delenv("SMTP_PASSWORD", raising=False)
    monkeypatch.delenv("SLACK_TOKEN", raising=False)
    monkeypatch.delenv("CREDENTIALS_DIRECTORY", raising=False)
    path = write(
        tmp_path,
        '[channels]\nmail = "mailto://u:${SMTP_PASSWORD}@x.org?to=a@b.org"\n'
        'slack = "slack://${SLACK_TOKEN}/#a"\n',
    )
    config = load_config(path)
    assert config.show()["channels"]["mail"] == "mailto://u:${SMTP_PASSWORD}@x.org?to=a@b.org"
    with pytest.raises(ConfigErrors) as err:
        config.channel_urls()
    lines = str(err.value).splitlines()
    assert [e.key for e in err.value.errors] == ["channels.mail", "channels.slack"]
    assert "${SMTP_PASSWORD} is not set" in lines[0] and "${SLACK_TOKEN} is not set" in lines[1]


def test_show_prints_durations_as_written(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[notify]\nbase_delay = "90s"\nmax_delay = 7200\n'
        '[[sources]]\nname = "a"\ntype = "feed"\nurl = "https://x/"\ninterval = "1h30m"\n',
    )
    shown = load_config(path).show()
    assert shown["notify"]["base_delay"] == "90s" and shown["notify"]["max_delay"] == 7200
    assert shown["notify"]["send_timeout"] == "30s"  # a default, in its shortest spelling
    assert shown["sources"][0]["interval"] == "1h30m"
    assert shown["daemon"]["consumer_interval"] == "15s"


def test_monitor_config_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "[daemon]\nworkers = 3\n")
    monkeypatch.chdir(tmp_path.parent)
    monkeypatch.setenv("MONITOR_CONFIG", str(path))
    assert load_config(None).daemon.workers == 3
    other = tmp_path / "other.toml"
    other.write_text("[daemon]\nworkers = 5\n")
    assert load_config(other).daemon.workers == 5  # --config beats it
    monkeypatch.setenv("MONITOR_CONFIG", str(tmp_path / "missing.toml"))
    with pytest.raises(ConfigError, match="missing.toml: cannot read"):
        load_config(None)


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
    monkeypatch.delenv("MONITOR_CONFIG", raising=False)
    config = load_config(None)
    seeds = str(defaults.SEEDS)  # the package's own: the demo runs wherever it is started
    assert [(s.name, s.type, s.path) for s in config.sources] == [("seeds", "fixtures", seeds)]
    assert config.channels == {}
    assert config.watchlists_dir == defaults.WATCHLISTS
    assert config.templates_dir == defaults.TEMPLATES
    assert (defaults.WATCHLISTS / "entities.yaml").is_file()
    assert (defaults.TEMPLATES / "default" / "subject.txt").is_file()


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
