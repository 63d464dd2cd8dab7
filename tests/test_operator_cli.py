"""The command line as an operator meets it (issue 11, items 1, 2 and 5).

``--config`` before or after the command and ``MONITOR_CONFIG``; every config
mistake in one run; reading commands that never need a channel's secret;
``monitor init``; text printed as written (brackets survive) and unwrapped
down a pipe; ``alerts`` with number, time, source, link, ``--rule`` and
``--since``; ``events --type`` checked; usage errors as one line; ``-V``.

In process through click's CliRunner (the ``cli`` fixture) except where the
behaviour belongs to a process: the environment it starts with, what a pipe
receives, what a failed ``run`` leaves on disk.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

import pytest
from conftest import ROOT, SEEDS, WATCHLISTS

from monitor import __version__

Run = Callable[..., CompletedProcess[str]]

SECRET_CHANNEL = 'mail = "mailto://alerts:${SMTP_PASSWORD}@smtp.example.org?to=team@example.org"'

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>World</title><link>https://news.example.org/</link>
<item><title>Kim Jong Un meets Putin in Moscow</title>
<link>https://news.example.org/world/kim-putin-moscow</link>
<guid>kim-putin-moscow</guid><pubDate>Tue, 10 Sep 2024 09:00:00 GMT</pubDate>
<description>North Korean leader Kim Jong Un met Russian President Vladimir Putin in Moscow on
Tuesday for talks on military cooperation, the Kremlin said.</description></item>
</channel></rss>
"""


def process(*args: str, cwd: Path, env: dict[str, str] | None = None) -> CompletedProcess[str]:
    """``python -m monitor ARGS`` as its own process, stdout and stderr piped."""
    base = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "MONITOR_CONFIG")}
    return subprocess.run(
        [sys.executable, "-m", "monitor", *args],
        cwd=cwd,
        env={**base, "PYTHONUNBUFFERED": "1", **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def no_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    """``${SMTP_PASSWORD}`` unset, and no config or credentials found by accident."""
    for name in ("SMTP_PASSWORD", "CREDENTIALS_DIRECTORY", "MONITOR_CONFIG"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def store(tmp_path: Path, cli: Run) -> str:
    """A SQLite log holding the replayed seeds and one feed item with a link."""
    (tmp_path / "world.xml").write_text(RSS)
    url = f"sqlite:///{tmp_path / 'state' / 'monitor.db'}"
    res = cli("replay", str(SEEDS), str(tmp_path / "world.xml"), "--store", url, cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    return url


# -- item 2: config ---------------------------------------------------------------


def test_config_after_the_command(tmp_path: Path, cli: Run) -> None:
    config = tmp_path / "conf" / "monitor.toml"
    config.parent.mkdir()
    config.write_text('[daemon]\nworkers = 3\n[notify]\nbase_delay = "90s"\n')
    after = cli("config", "show", "--config", str(config), cwd=tmp_path)
    before = cli("--config", str(config), "config", "show", cwd=tmp_path)
    assert after.returncode == 0, after.stderr
    assert after.stdout == before.stdout
    shown = json.loads(after.stdout)
    assert shown["file"] == str(config) and shown["daemon"]["workers"] == 3
    assert shown["notify"]["base_delay"] == "90s"  # as written, not PT1M30S
    res = cli("status", "--config", str(config), cwd=tmp_path)
    assert res.returncode == 1 and f"the store configured in {config}" in res.stderr
    twice = cli("--config", str(config), "status", "--config", "other.toml", cwd=tmp_path)
    assert twice.returncode == 2 and "given twice" in twice.stderr


def test_monitor_config_environment_variable(tmp_path: Path) -> None:
    config = tmp_path / "elsewhere.toml"
    config.write_text("[daemon]\nworkers = 5\n")
    res = process("config", "show", cwd=tmp_path, env={"MONITOR_CONFIG": str(config)})
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["daemon"]["workers"] == 5
    explicit = tmp_path / "explicit.toml"
    explicit.write_text("[daemon]\nworkers = 7\n")
    res = process(
        "config", "show", "--config", str(explicit), cwd=tmp_path,
        env={"MONITOR_CONFIG": str(config)},
    )  # fmt: skip
    assert json.loads(res.stdout)["daemon"]["workers"] == 7  # --config wins
    missing = process("status", cwd=tmp_path, env={"MONITOR_CONFIG": str(tmp_path / "nope.toml")})
    assert missing.returncode == 1 and "nope.toml: cannot read" in missing.stderr


def test_four_config_mistakes_in_one_run(tmp_path: Path, cli: Run) -> None:
    config = tmp_path / "monitor.toml"
    config.write_text(
        'colour = "blue"\n'
        '[notify]\nbase_delay = "soon"\n'
        "[daemon]\nworkers = 0\n"
        '[[sources]]\nname = "World News"\ntype = "fixtures"\npath = "x"\n'
    )
    res = cli("config", "show", cwd=tmp_path)
    assert res.returncode == 1 and res.stdout == ""
    lines = res.stderr.splitlines()
    # found as ./monitor.toml, named as found
    assert len(lines) == 4 and all(line.startswith("error: monitor.toml: ") for line in lines)
    text = res.stderr
    assert "colour: unknown key" in text and "notify.base_delay: bad duration" in text
    assert "daemon.workers" in text
    # the pattern keeps its brackets: text is printed as text
    assert "sources[0] (World News).name" in text and "'^[a-z0-9][a-z0-9_.-]*$'" in text


@pytest.mark.usefixtures("no_secret")
def test_reading_commands_need_no_secret(tmp_path: Path, cli: Run, store: str) -> None:
    config = tmp_path / "monitor.toml"
    config.write_text(f'[store]\nurl = "{store}"\n[channels]\n{SECRET_CHANNEL}\n')
    text = tmp_path / "a.txt"
    text.write_text((SEEDS / "000_81190b59dc46f0ac.txt").read_text())
    for command in (
        ["status"],
        ["alerts"],
        ["events", "--limit", "3"],
        ["verify"],
        ["config", "show"],
        ["rules", "check"],
        ["rules", "test", "japan-korea-summit", str(text)],
        ["replay", str(text)],
    ):
        res = cli(*command, cwd=tmp_path)
        assert res.returncode == 0, (command, res.stderr)
        if command[0] in ("config", "rules") and command[1] != "test":
            # the checks of the setup say what `run` would refuse, as a warning
            warned = [line for line in res.stderr.splitlines() if "SMTP_PASSWORD" in line]
            assert warned == [
                "warning: monitor.toml: channels.mail: ${SMTP_PASSWORD} is not set (neither an "
                "environment variable nor a systemd credential)"
            ], (command, res.stderr)
            assert "error:" not in res.stderr
        else:
            assert "SMTP_PASSWORD" not in res.stderr
    shown = json.loads(cli("config", "show", cwd=tmp_path).stdout)
    assert shown["channels"]["mail"].count("${SMTP_PASSWORD}") == 1
    # what sends does need it, and names the key
    res = cli("retry", "1", cwd=tmp_path)
    assert res.returncode == 1
    assert "channels.mail: ${SMTP_PASSWORD} is not set" in res.stderr


@pytest.mark.usefixtures("no_secret")
def test_every_mistake_of_the_setup_in_one_run(tmp_path: Path) -> None:
    """The issue's operator: three mistakes in monitor.toml, then a broken watchlist file
    with a route to a channel the config lacks. ``config show`` and ``run`` name them all
    at once (an unset secret a warning for showing, an error for running), ``rules check
    --config`` what the watchlists add; ``run`` creates no store."""
    (tmp_path / "monitor.toml").write_text(
        f'colour = "blue"\n[daemon]\nshutdown_grace = "ten seconds"\n[channels]\n{SECRET_CHANNEL}\n'
    )
    shown = process("config", "show", cwd=tmp_path)
    assert shown.returncode == 1 and shown.stdout == ""
    assert shown.stderr.splitlines() == [
        "error: monitor.toml: daemon.shutdown_grace: bad duration 'ten seconds': use a number "
        "and a unit s/m/h/d/w, e.g. '10m'",
        "error: monitor.toml: colour: unknown key",
        "warning: monitor.toml: channels.mail: ${SMTP_PASSWORD} is not set (neither an "
        "environment variable nor a systemd credential)",
    ]
    ran = process("run", cwd=tmp_path)
    assert ran.returncode == 1
    assert [line.split(": ")[2] for line in ran.stderr.splitlines()] == [
        "daemon.shutdown_grace", "colour", "channels.mail",
    ]  # fmt: skip
    assert all(line.startswith("error: ") for line in ran.stderr.splitlines())

    # the config fixed but for the secret; a watchlist file with three mistakes of its own
    watchlists = tmp_path / "watchlists"
    shutil.copytree(WATCHLISTS, watchlists)
    (watchlists / "bad.yaml").write_text(
        'description: x\nseverty: high\nquery: "@russia LINK @chinaa"\nnotify: [pager]\n'
    )
    (tmp_path / "monitor.toml").write_text(
        f'watchlists = "watchlists"\n[channels]\n{SECRET_CHANNEL}\n'
    )
    wanted = [
        "monitor.toml: channels.mail: ${SMTP_PASSWORD} is not set (neither an environment "
        "variable nor a systemd credential)",
        "watchlists/bad.yaml:2: severty: unknown key",
        "watchlists/bad.yaml:3: query: unknown entity @chinaa",
        "watchlists/bad.yaml:4: notify: rule 'bad' routes to unknown channel 'pager' "
        "(configured: mail)",
    ]
    for command, secret in (
        (["config", "show"], "warning"),
        (["rules", "check", "--config", "monitor.toml"], "warning"),
        (["run"], "error"),
    ):
        res = process(*command, cwd=tmp_path)
        lines = res.stderr.splitlines()
        assert res.returncode == 1, (command, res.stderr)
        assert len(lines) == len(wanted), (command, res.stderr)
        assert lines[0] == f"{secret}: {wanted[0]}", command
        for line, want in zip(lines[1:], wanted[1:], strict=True):
            assert line.startswith(f"error: {want}"), (command, line)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["monitor.toml", "watchlists"]


@pytest.mark.usefixtures("no_secret")
def test_a_run_that_fails_leaves_nothing(tmp_path: Path) -> None:
    """A missing secret stops ``run`` before the store; a taken address after it: no ``var/``."""
    (tmp_path / "monitor.toml").write_text(f"[channels]\n{SECRET_CHANNEL}\n")
    res = process("run", cwd=tmp_path)
    assert res.returncode == 1 and "${SMTP_PASSWORD} is not set" in res.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["monitor.toml"]
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        (tmp_path / "monitor.toml").write_text(f'[web]\nlisten = "127.0.0.1:{port}"\n')
        res = process("run", cwd=tmp_path)
    assert res.returncode == 1 and "cannot listen on" in res.stderr, res.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["monitor.toml"]


# -- item 1: init, and nothing created by reading ---------------------------------


def test_init_writes_an_editable_instance(tmp_path: Path, cli: Run) -> None:
    target = tmp_path / "etc" / "news-monitor"
    res = cli("init", str(target), cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert sorted(p.name for p in target.iterdir()) == [
        "inbox",
        "monitor.toml",
        "templates",
        "watchlists",
    ]
    for name in ("entities.yaml", "cues.yaml", "japan-korea-summit.yaml"):
        assert (target / "watchlists" / name).read_text() == (
            ROOT / "watchlists" / name
        ).read_text()
    assert not (target / "watchlists").is_symlink()
    shown = json.loads(cli("--config", str(target / "monitor.toml"), "config", "show").stdout)
    assert shown["watchlists"] == "watchlists" and shown["sources"][0]["name"] == "inbox"
    check = cli("rules", "check", "--config", str(target / "monitor.toml"), cwd=tmp_path)
    assert check.returncode == 0, check.stderr
    assert str(target / "watchlists") in check.stdout  # the copy, not the package's
    (target / "monitor.toml").write_text("# mine\n")
    again = cli("init", str(target), cwd=tmp_path)
    assert again.returncode == 1 and "nothing written" in again.stderr
    assert (target / "monitor.toml").read_text() == "# mine\n"


@pytest.mark.usefixtures("no_secret")
def test_reading_commands_create_nothing(tmp_path: Path, cli: Run) -> None:
    article = tmp_path / "a.txt"
    article.write_text((SEEDS / "003_c5d096cb8c33cfca.txt").read_text())
    for command in (
        ["config", "show"],
        ["rules", "check"],
        ["replay", str(article)],
        ["status"],
        ["alerts"],
        ["events"],
        ["verify"],
    ):
        cli(*command, cwd=tmp_path)
        assert [p.name for p in tmp_path.iterdir()] == ["a.txt"], command


# -- item 5: output ----------------------------------------------------------------


def test_bracket_text_survives_in_errors(tmp_path: Path, cli: Run) -> None:
    wl = tmp_path / "wl"
    wl.mkdir()
    for name in ("entities.yaml", "cues.yaml"):
        (wl / name).write_text((ROOT / "watchlists" / name).read_text())
    (wl / "drill.yaml").write_text("severity: low\nquery: |\n  [drill] AND @china\n")
    res = cli("rules", "check", "--watchlists", str(wl), cwd=tmp_path)
    assert res.returncode == 1
    lines = res.stderr.splitlines()
    query = next(i for i, line in enumerate(lines) if "[drill] AND @china" in line)
    assert lines[query + 1].index("^") == lines[query].index("[")  # the caret under the '['


def test_piped_output_is_not_wrapped(tmp_path: Path) -> None:
    title = (
        "Japan and South Korea Strengthen Ties Amid North Korea Concerns as Leaders Meet "
        "on the Sidelines of the Summit in Lima, Peru, and Pledge Closer Security Cooperation"
    )
    body = (SEEDS / "000_81190b59dc46f0ac.txt").read_text().split("\n", 1)[1]
    (tmp_path / "long.txt").write_text(f"{title}\n{body}")
    res = process("replay", "long.txt", cwd=tmp_path)  # no COLUMNS: rich would say 80
    assert res.returncode == 0, res.stderr
    assert any(line.endswith(title) for line in res.stdout.splitlines()), res.stdout
    assert any(len(line) > 200 for line in res.stdout.splitlines())


def test_events_unknown_type_fails_clearly(cli: Run, store: str) -> None:
    res = cli("events", "--store", store, "--type", "AlertRisen")
    assert res.returncode == 2 and res.stdout == ""
    assert len(res.stderr.splitlines()) == 1 and res.stderr.startswith("error: ")
    assert "'AlertRisen'" in res.stderr and "did you mean AlertRaised?" in res.stderr
    assert "ArticleObserved" in res.stderr and "SourcePolled" in res.stderr
    raised = cli("events", "--store", store, "--type", "AlertRaised", "--format", "jsonl")
    assert raised.returncode == 0 and raised.stdout
    assert {json.loads(line)["type"] for line in raised.stdout.splitlines()} == {"AlertRaised"}


def test_event_types_cover_every_type_appended() -> None:
    from monitor import daemon
    from monitor.events import EVENT_TYPES  # what `events --type` accepts (monitor.app)
    from monitor.notify import projection
    from monitor.rules import engine
    from monitor.sources import poll
    from monitor.store import projections

    declared = {
        value
        for module in (daemon, projection, engine, poll, projections)
        for name, value in vars(module).items()
        if name.isupper() and isinstance(value, str) and value[:1].isupper() and value.isalpha()
    }
    assert declared and declared <= set(EVENT_TYPES)


def test_alerts_number_time_source_link_rule_since(cli: Run, store: str) -> None:
    res = cli("alerts", "--store", store)
    assert res.returncode == 0, res.stderr
    records = [
        json.loads(line)
        for line in cli("alerts", "--store", store, "--format", "jsonl").stdout.splitlines()
    ]
    link = "https://news.example.org/world/kim-putin-moscow"
    feed = next(r for r in records if r["url"] == link)
    assert feed["source"] == "world" and feed["time"] and feed["seq"]
    assert f"#{feed['seq']}  " in res.stdout  # the number `monitor retry` takes
    assert link in res.stdout and "world: kim-putin-moscow" in res.stdout
    assert "seeds: 000_81190b59dc46f0ac.txt" in res.stdout
    assert feed["time"][:10] in res.stdout

    only = cli("alerts", "--store", store, "--rule", "north-korea-russia", "--format", "jsonl")
    rules = {json.loads(line)["rule"] for line in only.stdout.splitlines()}
    assert rules == {"north-korea-russia"}
    recent = cli("alerts", "--store", store, "--since", "1h", "--format", "jsonl")
    assert len(recent.stdout.splitlines()) == len(records)
    future = cli("alerts", "--store", store, "--since", "2999-01-01", "--format", "jsonl")
    assert future.returncode == 0 and future.stdout == ""
    bad = cli("alerts", "--store", store, "--since", "yesterday")
    assert bad.returncode == 2 and "--since" in bad.stderr


def test_usage_errors_are_one_line_with_exit_2(cli: Run) -> None:
    res = cli("status", "--bogus")
    assert res.returncode == 2
    assert len(res.stderr.splitlines()) == 1 and res.stderr.startswith("error: ")
    assert "--bogus" in res.stderr and "(see 'monitor status --help')" in res.stderr
    missing = cli("rules", "test", "japan-korea-summit")
    assert missing.returncode == 2 and len(missing.stderr.splitlines()) == 1
    assert "Usage:" not in missing.stderr and "FILE" in missing.stderr


@pytest.mark.parametrize(
    ("args", "path"),
    [
        (["status", "--config"], "monitor status"),
        (["--config"], "monitor"),
        (["alerts", "--limit"], "monitor alerts"),
        (["rules", "test", "--config"], "monitor rules test"),
    ],
)
def test_an_option_without_its_value_says_where_to_look(
    cli: Run, args: list[str], path: str
) -> None:
    res = cli(*args)
    assert res.returncode == 2
    assert res.stderr.splitlines() == [
        f"error: Option '{args[-1]}' requires an argument. (see '{path} --help')"
    ]


def test_version(cli: Run) -> None:
    for flag in ("-V", "--version"):
        res = cli(flag)
        assert res.returncode == 0 and res.stdout.strip() == f"monitor {__version__}"


def test_poll_runs_every_source_then_decides_and_delivers(tmp_path: Path, cli: Run) -> None:
    """``monitor poll`` on the embedded defaults: the seeds once, the rules, the outbox."""
    res = cli("poll", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert (
        "6 new event(s) from sources, 8 rule outcome(s), 6 notification(s) queued, 6 delivered"
        in res.stdout + res.stderr
    )
    again = cli("poll", cwd=tmp_path)  # nothing new: nothing decided or sent twice
    assert (
        "0 new event(s) from sources, 0 rule outcome(s), 0 notification(s) queued, 0 delivered"
        in again.stdout + again.stderr
    )


@pytest.mark.parametrize("args", [["events"], ["events", "--format", "jsonl"]])
def test_a_reader_that_stops_reading_is_no_failure(tmp_path: Path, args: list[str]) -> None:
    """ "monitor events | head -1": more output than the pipe holds, one line read, the pipe
    closed. The command stops quietly with status 0 (``set -o pipefail`` scripts go on)."""
    from monitor.article import RawItem
    from monitor.normalize import normalize
    from monitor.replay import observe
    from monitor.wiring import open_log

    url = f"sqlite:///{tmp_path / 'many.db'}"
    with open_log(url) as log:
        items = [RawItem("s", f"{i:04}.txt", f"Item {i}\n\nBody {i}.\n") for i in range(1500)]
        observe(log, [normalize(i) for i in items])
    reader = subprocess.Popen(
        [sys.executable, "-m", "monitor", *args, "--store", url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
    )
    assert reader.stdout is not None and reader.stderr is not None
    assert reader.stdout.readline()
    reader.stdout.close()
    assert reader.wait(30) == 0
    assert reader.stderr.read() == b""
