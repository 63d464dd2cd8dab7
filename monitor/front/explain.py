"""``monitor rules test RULE FILE``: why a rule does or does not match an article.

Each clause of the query is evaluated on its own and printed as a tree with
its verdict and the text that satisfied it, then the story key the rule would
compute. This is what an analyst reads before trusting a new watchlist.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from rich.console import Console
from rich.text import Text
from rich.tree import Tree

from monitor.clock import utc_now
from monitor.durations import format_duration
from monitor.errors import SourceError
from monitor.front.replay_output import UNDATED, needs_date
from monitor.normalize import normalize
from monitor.rules.ast import Node, children, render
from monitor.rules.decider import evidence
from monitor.rules.matcher import Doc, RuleMatch
from monitor.rules.story import date_story, format_key, story_key
from monitor.rules.watchlist import Rule, Watchlists
from monitor.sources.feedfile import parse_feed
from monitor.sources.fixtures import as_utf8, read_fixture_file


def explain_file(
    console: Console,
    watchlists: Watchlists,
    rule: Rule,
    path: Path,
    published: datetime | None = None,
) -> bool:
    """Print the explanation for every article in ``path``; True if any matched.

    ``published`` dates a text file that does not date itself (``--published``);
    one that stays undated says so when the rule reads the publication time.
    """
    from monitor.ingest import sniff

    kind = sniff(path)
    if kind == "feed":
        data = as_utf8(path.read_bytes())
        raws = parse_feed(data, source=path.stem, url=path.resolve().as_uri())
    elif kind == "text":
        raws = [read_fixture_file(path, path.parent.name or "fixtures", published)]
    else:
        raise SourceError(kind, source="rules test", url=str(path))
    matched_any = False
    for raw in raws:
        article = normalize(raw, utc_now())
        doc = watchlists.matcher.scan(article)
        result = watchlists.matcher.evaluate_node(rule.query, doc)
        matched = result is not None
        matched_any |= matched
        verdict = (
            Text("MATCH", style="bold green") if matched else Text("NO MATCH", style="bold red")
        )
        console.print(Text.assemble((rule.id, "bold cyan"), "  ", verdict, "  ", article.title))
        tree = Tree(_label(watchlists, rule.query, doc))
        _grow(tree, watchlists, rule.query, doc)
        console.print(tree)
        if article.published is None and needs_date(rule):
            console.print(Text(UNDATED, style="yellow"))
        if matched and rule.spec.new_story:
            ns = rule.spec.new_story
            spans = tuple(sorted(set(result or ())))
            event = date_story(doc, spans, ns, watchlists.gazetteer)
            key = story_key(doc, ns.key, watchlists.gazetteer, spans=spans, event=event)
            if event is not None:
                console.print(Text(event.describe(), style="yellow"))
                tolerance = format_duration(ns.tolerance) if ns.tolerance else None
                window = format_duration(ns.window)
                same = f"event dates within {tolerance}" if tolerance else f"within {window}"
                console.print(f"story key: {format_key(key)}  (same story: {same})")
            else:
                window = format_duration(ns.window)
                console.print(f"story key: {format_key(key)}  (window {window})")
        if matched and result:
            spans = tuple(sorted(set(result)))
            for snippet in evidence(doc, RuleMatch(rule.id, 0, spans)):
                console.print(Text("  › " + snippet))
        if article.furniture:
            console.print(
                Text(f"  ({len(article.furniture)} furniture lines ignored)", style="dim")
            )
        console.print()
    return matched_any


def _grow(tree: Tree, watchlists: Watchlists, node: Node, doc: Doc) -> None:
    for child in children(node):
        branch = tree.add(_label(watchlists, child, doc))
        _grow(branch, watchlists, child, doc)


def _label(watchlists: Watchlists, node: Node, doc: Doc) -> Text:
    result = watchlists.matcher.evaluate_node(node, doc)
    mark = ("✔ ", "green") if result is not None else ("✘ ", "red")
    label = Text.assemble(mark, render(node))
    if result:
        found = list(dict.fromkeys(doc.text[s:e] for s, e in sorted(result)))
        shown = ", ".join(f"“{t}”" for t in found[:6]) + (" …" if len(found) > 6 else "")
        label.append(f"  {shown}", style="magenta")
    return label
