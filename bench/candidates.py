"""Candidates for labelling a new watchlist: every corpus item naming both sides.

The labelling guide (``../shared/realnews/GUIDE.md``) asks for every item of
the period whose title and description name both sides of a rule, not only the
ones a rule raises, so that recall can be measured. This prints them as the
``candidates.tsv`` of ``monitor rules eval`` (link, date, source) — links only,
never the outlets' text — and, with ``--text``, a private working file with
the texts for the person labelling (keep it out of the repository).

A side is a country of the gazetteer: its names, adjectives, metonyms, capital
and its leaders' names (terms are not checked: the labeller judges). With
``--leaders`` (summit rules) an item must also hold a leader word: a leader's
name of either side or a word of an office ("president", "prime minister" …).

    python bench/candidates.py iran russia > tests/labels/iran-russia/candidates.tsv
    python bench/candidates.py united-states japan --leaders --text /tmp/us-japan.jsonl
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from monitor.rules.gazetteer import Gazetteer  # noqa: E402

CORPUS = ROOT.parent / "shared" / "realnews" / "rss-2023H1.jsonl.gz"
TAG = re.compile(r"<[^>]+>")


def pattern(words: set[str]) -> re.Pattern[str]:
    """One regex for a set of aliases: acronyms case-sensitive, the rest not."""
    parts = []
    for w in sorted(words, key=len, reverse=True):
        body = r"[\s-]+".join(re.escape(x) for x in w.split())
        acronym = w.replace(".", "").isupper() and len(w.replace(".", "")) <= 5
        parts.append(body if acronym else f"(?i:{body})")
    return re.compile(r"(?<![\w.])(?:" + "|".join(parts) + r")(?![\w])")


def side_words(gaz: Gazetteer, country: str) -> tuple[set[str], set[str]]:
    """(every word naming the country, the names of its leaders)."""
    ent = gaz.entities[country]
    words = set(ent.names)
    if ent.capital:
        words |= set(gaz.entities[ent.capital].names)
    leaders: set[str] = set()
    for e in gaz.entities.values():
        if e.kind == "leader" and e.country == country:
            leaders |= set(e.names) | set(e.ambiguous)
    return words | leaders, leaders


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("--leaders", action="store_true", help="also require a leader word")
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--watchlists", type=Path, default=ROOT / "watchlists")
    ap.add_argument("--text", type=Path, help="also write the texts here (private, jsonl)")
    args = ap.parse_args()
    gaz = Gazetteer.load(args.watchlists / "entities.yaml")
    wa, la = side_words(gaz, args.a)
    wb, lb = side_words(gaz, args.b)
    pa, pb = pattern(wa), pattern(wb)
    roles = {w for words in gaz.roles.values() for w in words}
    pl = pattern(la | lb | roles | {r + "s" for r in roles})
    out = sys.stdout
    out.write("link\tdate\tsource\n")
    texts = args.text.open("w", encoding="utf-8") if args.text else None
    seen: set[str] = set()
    with gzip.open(args.corpus, "rt", encoding="utf-8") as fh:
        for line in fh:
            item = json.loads(line)
            text = item["title"] + "\n" + html.unescape(TAG.sub(" ", item["description"] or ""))
            if not (pa.search(text) and pb.search(text)):
                continue
            if args.leaders and not pl.search(text):
                continue
            if item["link"] in seen:
                continue
            seen.add(item["link"])
            out.write(f"{item['link']}\t{item['date_published']}\t{item['source']}\n")
            if texts:
                texts.write(
                    json.dumps(
                        {
                            "link": item["link"],
                            "date": item["date_published"],
                            "title": item["title"],
                            "text": text,
                        }
                    )
                    + "\n"
                )
    if texts:
        texts.close()


if __name__ == "__main__":
    main()
