"""``monitor backtest``: changed watchlists re-decide the stored articles; the difference
from the alerts actually raised is exactly what the change changed.

The expected differences are derived, not written down: a fresh replay with the
changed watchlists gives the outcomes the change would have produced, and the
store holds the ones it did produce (the shipped rules are tuned by others, so
the seed table may move; the relation may not).
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from subprocess import CompletedProcess
from typing import Any

import pytest
import yaml
from conftest import SEEDS, WATCHLISTS, run_cli

from monitor.app import Monitor
from monitor.front.backtest import backtest
from monitor.replay import observe
from monitor.rules.watchlist import load_watchlists
from monitor.wiring import open_log

Run = Callable[..., CompletedProcess[str]]


def jsonl(res: CompletedProcess[str]) -> list[dict[str, Any]]:
    assert res.returncode == 0, res.stderr
    return [json.loads(line) for line in res.stdout.splitlines()]


@pytest.fixture(scope="module")
def replayed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds replayed once with the shipped watchlists (never opened again: copied)."""
    directory = tmp_path_factory.mktemp("replayed")
    url = f"sqlite:///{directory / 'monitor.db'}"
    res = run_cli("replay", "seeds", "--store", url, "--watchlists", str(WATCHLISTS))
    assert res.returncode == 0, res.stderr
    return directory


@pytest.fixture
def store(replayed: Path, tmp_path: Path) -> str:
    """A store of this test's own holding the seeds as replayed with the shipped watchlists.

    A copy of the one replay (the database with its head file), so a test that
    writes to its store writes to its own.
    """
    for path in replayed.glob("monitor.db*"):
        shutil.copy2(path, tmp_path / path.name)
    return f"sqlite:///{tmp_path / 'monitor.db'}"


def edited(tmp_path: Path, rule: str, change: Callable[[dict[str, Any]], None]) -> Path:
    """A copy of the shipped watchlists with one rule file edited."""
    directory = tmp_path / "changed"
    shutil.copytree(WATCHLISTS, directory)
    path = directory / f"{rule}.yaml"
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(spec)
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return directory


def expected_changes(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> set[tuple]:
    """(rule, item, change) between two replays' outcomes: new, lost, re-keyed alerts."""
    then = {(r["rule"], r["item"]): r for r in before}
    now = {(r["rule"], r["item"]): r for r in after}
    out: set[tuple] = set()
    for key in then.keys() | now.keys():
        old, new = then.get(key), now.get(key)
        raised_then = old is not None and old["outcome"] == "raised"
        raised_now = new is not None and new["outcome"] == "raised"
        if raised_now and not raised_then:
            out.add((*key, "new"))
        elif raised_then and not raised_now:
            out.add((*key, "lost"))
        elif raised_then and raised_now and old["key"] != new["key"]:  # type: ignore[index]
            out.add((*key, "key"))
    return out


def test_unchanged_watchlists_change_nothing(cli: Run, store: str) -> None:
    res = cli("backtest", "--store", store, "--watchlists", str(WATCHLISTS))
    assert res.returncode == 0, res.stderr
    assert "5 articles observed since" in res.stdout
    assert "no alert would change" in res.stdout
    as_json = cli(
        "backtest", "--store", store, "--watchlists", str(WATCHLISTS), "--format", "jsonl"
    )
    assert jsonl(as_json) == []


def test_a_changed_rule_shows_exactly_the_alerts_that_changed(
    cli: Run, store: str, tmp_path: Path
) -> None:
    """Without new-story detection every repeat of a summit becomes an alert of its own."""
    changed = edited(tmp_path, "japan-korea-summit", lambda spec: spec.pop("new_story"))
    res = cli("backtest", "--store", store, "--watchlists", str(changed), "--format", "jsonl")
    got = {(r["rule"], r["item"], r["change"]) for r in jsonl(res)}

    before = jsonl(cli("alerts", "--store", store, "--all", "--format", "jsonl"))
    after = jsonl(cli("replay", "seeds", "--watchlists", str(changed), "--format", "jsonl"))
    assert got == expected_changes(before, after)
    new = {item[:3] for rule, item, change in got if change == "new"}
    suppressed = {r["item"][:3] for r in before if r["outcome"] == "suppressed"}
    assert new == suppressed and new  # the repeats (001 and 004 in the seed table)
    assert all(rule == "japan-korea-summit" for rule, _, _ in got)
    for rec in jsonl(res):
        if rec["change"] == "new":
            assert rec["was"].startswith("suppressed") and rec["now"] == "raised"

    text = cli("backtest", "--store", store, "--watchlists", str(changed))
    assert text.returncode == 0, text.stderr
    assert "north-korea-russia" in text.stdout  # unchanged rules are listed, with no change
    summit = next(line for line in text.stdout.splitlines() if "japan-korea-summit" in line)
    assert f"{len(new)} new, 0 lost" in summit


def test_a_disabled_rule_loses_its_alerts(cli: Run, store: str, tmp_path: Path) -> None:
    changed = edited(tmp_path, "north-korea-russia", lambda spec: spec.update(enabled=False))
    res = cli("backtest", "--store", store, "--watchlists", str(changed), "--format", "jsonl")
    raised = jsonl(cli("alerts", "--store", store, "--format", "jsonl"))
    lost = {(r["rule"], r["item"]) for r in raised if r["rule"] == "north-korea-russia"}
    assert lost
    assert {(r["rule"], r["item"]) for r in jsonl(res)} == lost
    assert {(r["change"], r["was"], r["now"]) for r in jsonl(res)} == {
        ("lost", "raised", "no outcome")
    }
    text = cli("backtest", "--store", store, "--watchlists", str(changed))
    assert "north-korea-russia (not in these watchlists)" in text.stdout


def test_backtest_appends_nothing_and_needs_a_store(cli: Run, store: str, tmp_path: Path) -> None:
    changed = edited(tmp_path, "japan-korea-summit", lambda spec: spec.pop("new_story"))
    head = cli("verify", "--store", store).stdout.split("head ")[1].split()[0]
    assert cli("backtest", "--store", store, "--watchlists", str(changed)).returncode == 0
    again = cli("verify", "--store", store, "--expect-head", head)
    assert again.returncode == 0 and f"head {head}" in again.stdout  # not one event more

    missing = tmp_path / "nowhere.db"
    res = cli("backtest", "--store", f"sqlite:///{missing}")
    assert res.returncode == 1 and "error:" in res.stderr and "Traceback" not in res.stderr
    assert not missing.exists()


HARVEST = """\
severity: low
query: |
  harvest AND festival*
new_story:
  key:
    - place: "@city"
  window: 7d
"""


def test_since_takes_later_articles_and_earlier_alerts_still_count(
    cli: Run, tmp_path: Path
) -> None:
    """An alert raised before the period still suppresses its repeat in the period.

    As a daemon reloading its watchlists then would have it: otherwise an
    unchanged rule would show the repeat as a "new" alert.
    """
    wl = tmp_path / "wl"
    wl.mkdir()
    shutil.copy(WATCHLISTS / "entities.yaml", wl / "entities.yaml")
    (wl / "harvest.yaml").write_text(HARVEST, encoding="utf-8")
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    (first / "a.txt").write_text(
        "Harvest festival opens in Tokyo\n\nThe harvest festival in Tokyo opened today.\n"
    )
    (second / "b.txt").write_text(
        "Crowds at the Tokyo harvest festival\n\nThe harvest festival in Tokyo drew crowds.\n"
    )
    url = f"sqlite:///{tmp_path / 'm.db'}"
    common = ("--store", url, "--watchlists", str(wl), "--format", "jsonl")
    assert jsonl(cli("replay", str(first), *common))[0]["outcome"] == "raised"
    time.sleep(0.05)
    repeat = jsonl(cli("replay", str(second), *common))
    assert [r["outcome"] for r in repeat] == ["suppressed"]
    observed = [
        datetime.fromisoformat(e["time"])
        for e in jsonl(cli("events", "--store", url, "--format", "jsonl"))
        if e["type"] == "ArticleObserved"
    ]
    between = (observed[0] + (observed[1] - observed[0]) / 2).isoformat()

    res = cli("backtest", "--since", between, "--store", url, "--watchlists", str(wl))
    assert res.returncode == 0, res.stderr
    assert "1 articles observed since" in res.stdout
    assert "no alert would change" in res.stdout
    everything = cli("backtest", "--since", "1d", "--store", url, "--watchlists", str(wl))
    assert "2 articles observed since" in everything.stdout

    # without new-story detection the repeat is an alert of its own: one new alert, in the period
    (wl / "harvest.yaml").write_text(HARVEST.split("new_story")[0], encoding="utf-8")
    res = cli("backtest", "--since", between, *common)
    assert [(r["item"], r["change"]) for r in jsonl(res)] == [("b.txt", "new")]
    bad = cli("backtest", "--since", "last week", "--store", url)
    assert bad.returncode == 2 and "--since" in bad.stderr


def test_articles_the_engine_has_not_decided_are_left_out(tmp_path: Path) -> None:
    from conftest import article

    shipped = load_watchlists(WATCHLISTS)
    with open_log(f"sqlite:///{tmp_path / 'm.db'}") as log:
        text = next(SEEDS.glob("000_*")).read_text(encoding="utf-8")
        observe(log, [article(text, item="000.txt", source="seeds")])  # no engine ran
        head = log.head()
        report = backtest(Monitor(log), shipped, datetime.now(UTC) - timedelta(days=1))
        assert log.head() == head
    assert report.undecided == 1 and report.articles == 0 and report.changes == []
