"""Watchlist loading: every mistake is reported with its file and line."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

import pytest
from conftest import WATCHLISTS

from monitor.errors import WatchlistError
from monitor.rules.watchlist import check_watchlists, load_watchlists


@pytest.fixture
def wl_dir(tmp_path: Path) -> Path:
    target = tmp_path / "watchlists"
    target.mkdir()
    shutil.copy(WATCHLISTS / "entities.yaml", target / "entities.yaml")
    return target


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text)
    return path


def only_error(directory: Path) -> WatchlistError:
    loaded, errors = check_watchlists(directory)
    assert loaded is None and len(errors) == 1, errors
    return errors[0]


def test_shipped_watchlists_load() -> None:
    wl = load_watchlists(WATCHLISTS)
    assert [r.id for r in wl.rules] == ["japan-korea-summit", "north-korea-russia"]
    assert len(wl.version) == 64


def test_query_syntax_error_names_file_line_and_column(wl_dir: Path) -> None:
    path = write(
        wl_dir,
        "bad.yaml",
        "description: x\nseverity: low\nquery: |\n  @japan AND\n  (summit OR talks\n",
    )
    err = only_error(wl_dir)
    assert err.path == str(path)
    assert err.line in (4, 5)
    assert "query:" in str(err) and "column" in str(err)


def test_inline_query_error_line(wl_dir: Path) -> None:
    write(wl_dir, "bad.yaml", "severity: low\nquery: summit talks\n")
    err = only_error(wl_dir)
    assert err.line == 2
    assert "bad.yaml:2" in str(err)


def test_unknown_entity_in_query(wl_dir: Path) -> None:
    write(wl_dir, "bad.yaml", "query: |\n  summit AND\n  @atlantis\n")
    err = only_error(wl_dir)
    assert err.line == 3
    assert "@atlantis" in str(err)


def test_unknown_key_is_an_error_with_its_line(wl_dir: Path) -> None:
    write(wl_dir, "bad.yaml", "query: summit\nseverty: high\n")
    err = only_error(wl_dir)
    assert err.line == 2 and "severty" in str(err) and "unknown key" in str(err)


def test_bad_values(wl_dir: Path) -> None:
    write(wl_dir, "sev.yaml", "query: summit\nseverity: urgent\n")
    write(
        wl_dir,
        "win.yaml",
        "query: summit\nnew_story:\n  key:\n    - entity: '@leader:japan'\n  window: soon\n",
    )
    write(
        wl_dir,
        "key.yaml",
        "query: summit\nnew_story:\n  key:\n    - entity: '@nowhere'\n  window: 1d\n",
    )
    write(wl_dir, "noq.yaml", "severity: low\n")
    write(wl_dir, "yaml.yaml", "query: [unclosed\n")
    loaded, errors = check_watchlists(wl_dir)
    assert loaded is None
    by_file = {Path(e.path or "").name: e for e in errors}
    assert set(by_file) == {"sev.yaml", "win.yaml", "key.yaml", "noq.yaml", "yaml.yaml"}
    assert by_file["sev.yaml"].line == 2 and "severity" in str(by_file["sev.yaml"])
    assert by_file["win.yaml"].line == 5 and "duration" in str(by_file["win.yaml"])
    assert by_file["key.yaml"].line == 4 and "nowhere" in str(by_file["key.yaml"])
    assert "query" in str(by_file["noq.yaml"])
    assert by_file["yaml.yaml"].line is not None and "YAML" in str(by_file["yaml.yaml"])


def test_gazetteer_errors_name_the_line(tmp_path: Path) -> None:
    write(tmp_path, "entities.yaml", "countries:\n  x:\n    names: [X]\n    capitol: y\n")
    err = only_error(tmp_path)
    assert err.line == 2 and "capitol" in str(err)


def test_duplicate_rule_names(wl_dir: Path) -> None:
    write(wl_dir, "a.yaml", "name: same\nquery: summit\n")
    write(wl_dir, "b.yaml", "name: same\nquery: talks\n")
    assert "also defined" in str(only_error(wl_dir))


def test_rules_check_cli_lists_all_problems(
    wl_dir: Path, cli: Callable[..., CompletedProcess[str]]
) -> None:
    write(wl_dir, "a.yaml", "query: summit AND\n")
    write(wl_dir, "b.yaml", "query: talks\nfoo: 1\n")
    res = cli("rules", "check", "--watchlists", str(wl_dir))
    assert res.returncode == 1
    assert "a.yaml:1" in res.stderr and "b.yaml:2" in res.stderr
    assert "Traceback" not in res.stderr
    ok = cli("rules", "check")
    assert ok.returncode == 0 and "2 rules" in ok.stdout


def test_rules_test_cli_shows_clauses_and_evidence(
    cli: Callable[..., CompletedProcess[str]],
) -> None:
    seed = sorted((WATCHLISTS.parent / "seeds").glob("003_*"))[0]
    res = cli("rules", "test", "japan-korea-summit", str(seed))
    assert res.returncode == 0, res.stderr
    assert "MATCH" in res.stdout and "@leader:japan" in res.stdout
    assert (
        "Fumio Kishida" in res.stdout
        and "story key: kishida-fumio|yoon-suk-yeol|seoul" in res.stdout
    )
    miss = cli(
        "rules",
        "test",
        "north-korea-russia",
        str(seed.with_name(sorted(p.name for p in seed.parent.glob("002_*"))[0])),
    )
    assert miss.returncode == 1 and "NO MATCH" in miss.stdout


def test_every_mistake_of_a_file_in_one_run(wl_dir: Path) -> None:
    """A misspelt key does not hide the next one, nor a bad severity an unknown name."""
    path = write(
        wl_dir,
        "three.yaml",
        "description: x\n"
        "severty: high\n"
        "query: |\n"
        "  @chinaa AND summit\n"
        "severity: hgih\n"
        "notfiy: [mail]\n",
    )
    loaded, errors = check_watchlists(wl_dir)
    assert loaded is None
    assert [(e.path, e.line) for e in errors] == [(str(path), n) for n in (2, 4, 5, 6)]
    said = [e.message for e in errors]
    assert said[0].startswith("severty: unknown key") and said[3].startswith("notfiy: unknown")
    assert "@chinaa" in said[1] and said[2].startswith("severity: Input should be")
    with pytest.raises(WatchlistError) as info:
        load_watchlists(wl_dir)
    assert "and 3 more" in str(info.value) and "notfiy" in str(info.value)


def test_a_route_to_a_channel_the_config_lacks_is_found_by_rules_check_with_its_line(
    tmp_path: Path, cli: Callable[..., CompletedProcess[str]]
) -> None:
    """What the daemon refuses to start or reload with, ``rules check --config`` says first,
    and both name the file and line."""
    from monitor.config import load_config
    from monitor.daemon import load_parts

    target = tmp_path / "watchlists"
    shutil.copytree(WATCHLISTS, target)
    rule = target / "north-korea-russia.yaml"
    rule.write_text(rule.read_text() + "notify:\n  - team\n  - nosuch\n")
    line = rule.read_text().splitlines().index("  - nosuch") + 1
    config = tmp_path / "monitor.toml"
    config.write_text(
        f'watchlists = "{target}"\n[channels]\nteam = "console"\n'
        f'[store]\nurl = "sqlite:///{tmp_path / "m.db"}"\n'
    )
    res = cli("rules", "check", "--config", str(config))
    assert res.returncode == 1
    assert res.stderr.splitlines() == [
        f"error: {rule}:{line}: notify: rule 'north-korea-russia' routes to unknown channel "
        "'nosuch' (configured: team)"
    ]
    with pytest.raises(WatchlistError) as info:
        load_parts(load_config(config))
    assert (info.value.path, info.value.line) == (str(rule), line)
    assert not (tmp_path / "m.db").exists()


def test_a_key_written_twice_is_refused_with_both_lines(wl_dir: Path) -> None:
    """PyYAML keeps the last of two equal keys without a word: a rule's setting or an
    entity written twice would silently lose the first."""
    write(wl_dir, "twice.yaml", "severity: low\nquery: '@japan'\nseverity: high\n")
    err = only_error(wl_dir)
    assert err.line == 3 and "duplicate key 'severity' (first at line 1)" in str(err)

    gazetteer = wl_dir / "entities.yaml"
    text = gazetteer.read_text()
    gazetteer.write_text(text + "\ncities:\n  osaka:\n    names: [Osaka]\n    country: japan\n")
    (wl_dir / "twice.yaml").unlink()
    err = only_error(wl_dir)
    assert err.path == str(gazetteer) and "duplicate key 'cities'" in str(err)
    assert err.line == len(text.splitlines()) + 2


def test_an_anchor_inside_itself_does_not_hang_the_duplicate_check(wl_dir: Path) -> None:
    """The check walks the node tree; an alias is the node it names, so a node reached
    again is skipped, and "1" and '1' are two keys."""
    write(wl_dir, "loop.yaml", "severity: low\nquery: '@japan'\nx: &a {y: *a}\n")
    err = only_error(wl_dir)
    assert "x" in str(err) and "duplicate" not in str(err)
    write(wl_dir, "loop.yaml", "severity: low\nquery: '@japan'\nlabels: {1: a, '1': b}\n")
    err = only_error(wl_dir)
    assert "duplicate" not in str(err)
