"""Replay benchmark: how fast articles go through the watchlists.

Builds a deterministic corpus of N synthetic ~5 KB articles and M rules (as
real watchlist files, loaded the normal way), then prints articles/s for:

* rule evaluation alone (scan + evaluate, articles already normalized);
* a full in-memory replay (normalize, append ArticleObserved, rule engine,
  outcome events, read models);
* the same replay into a SQLite file;
* the floor: one bare Aho-Corasick scan of the same text with the same keys;
* the naive way: one regex per rule term, evaluated rule by rule.

    python bench/replay.py --articles 20000 --rules 100
    python bench/replay.py --articles 20000 --rules 1000 --naive-sample 200

Numbers only; nothing here is asserted.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from monitor.article import Article, RawItem  # noqa: E402
from monitor.normalize import normalize  # noqa: E402
from monitor.replay import observe  # noqa: E402
from monitor.rules.ast import And, EntityRef, Field, Near, Node, Not, Or, Term  # noqa: E402
from monitor.rules.engine import RuleEngine  # noqa: E402
from monitor.rules.matcher import match_text  # noqa: E402
from monitor.rules.watchlist import Watchlists, load_watchlists  # noqa: E402
from monitor.wiring import open_log  # noqa: E402

SYLLABLES = [
    "ka",
    "ri",
    "to",
    "mo",
    "ne",
    "sa",
    "lu",
    "vi",
    "da",
    "pe",
    "go",
    "ha",
    "zu",
    "ni",
    "ro",
    "be",
    "ta",
    "mi",
    "ko",
    "su",
]
ENTITY_NAMES = [
    "North Korea",
    "Pyongyang",
    "Russia",
    "Moscow",
    "Kremlin",
    "Japan",
    "Tokyo",
    "South Korea",
    "Seoul",
    "China",
    "Beijing",
    "United States",
    "Washington",
    "Ukraine",
    "Kyiv",
    "Shigeru Ishiba",
    "Lee Jae Myung",
    "Yoon Suk Yeol",
    "Fumio Kishida",
    "Kim Jong Un",
    "Vladimir Putin",
    "Sanae Takaichi",
    "Lima",
    "Busan",
    "Osaka",
]
ENTITY_REFS = [
    "north-korea",
    "russia",
    "japan",
    "south-korea",
    "china",
    "united-states",
    "ukraine",
    "leader:japan",
    "leader:south-korea",
    "leader:russia",
    "leader:north-korea",
    "city",
]


def vocabulary(rng: random.Random, size: int) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


#: (keyword insertions per sentence, chance of an entity name per sentence)
DENSITY = {"news": ((0, 1), 0.08), "dense": ((0, 2), 0.3)}


def make_articles(
    n: int, vocab: list[str], keywords: list[str], seed: int, density: str = "news"
) -> list[RawItem]:
    """~5 KB articles: filler prose with keywords and entity names sprinkled in.

    ``news`` density makes most articles match no rule, as in a real stream;
    ``dense`` makes nearly every article match several (a worst case).
    """
    (kw_lo, kw_hi), entity_p = DENSITY[density]
    rng = random.Random(seed)
    items = []
    for i in range(n):
        title = " ".join(rng.choice(vocab) for _ in range(8)).capitalize()
        paras = []
        size = 0
        while size < 5000:
            sentences = []
            for _ in range(rng.randint(2, 4)):
                words = [rng.choice(vocab) for _ in range(rng.randint(14, 24))]
                for _ in range(rng.randint(kw_lo, kw_hi)):
                    words.insert(rng.randrange(len(words)), rng.choice(keywords))
                if rng.random() < entity_p:
                    words.insert(rng.randrange(len(words)), rng.choice(ENTITY_NAMES))
                sentences.append(" ".join(words).capitalize() + ".")
            para = " ".join(sentences)
            paras.append(para)
            size += len(para)
        items.append(RawItem("bench", f"{i:06d}.txt", title + "\n\n" + "\n\n".join(paras)))
    return items


def make_rules(m: int, keywords: list[str], seed: int) -> list[str]:
    """Queries in the shapes analysts write: entities, phrases, NEAR, scopes, NOT."""
    rng = random.Random(seed)
    out = []
    for i in range(m):
        a, b, c = rng.sample(keywords, 3)
        e1, e2 = rng.sample(ENTITY_REFS, 2)
        shape = i % 5
        if shape == 0:
            out.append(f"@{e1} NEAR/20 @{e2}")
        elif shape == 1:
            out.append(f'("{a} {b}" OR {c}*) AND @{e1}')
        elif shape == 2:
            out.append(f"{a} AND {b} AND NOT {c}")
        elif shape == 3:
            out.append(f"title:{a} OR lead:({b} AND {c})")
        else:
            out.append(f"({a} OR {b}) NEAR/10 (@{e1} OR {c})")
    return out


def write_watchlists(directory: Path, queries: list[str]) -> Watchlists:
    shutil.copy(ROOT / "watchlists" / "entities.yaml", directory / "entities.yaml")
    for i, query in enumerate(queries):
        story = ""
        if i % 4 == 0:
            story = (
                "new_story:\n  key:\n    - entity: '@leader'\n    - place: '@city'\n  window: 7d\n"
            )
        (directory / f"rule-{i:04d}.yaml").write_text(
            f"severity: low\nquery: |\n  {query}\n{story}", encoding="utf-8"
        )
    return load_watchlists(directory)


def terms_of(node: Node) -> list[Node]:
    if isinstance(node, Term | EntityRef):
        return [node]
    if isinstance(node, And | Or):
        return [t for item in node.items for t in terms_of(item)]
    if isinstance(node, Not | Field):
        return terms_of(node.item)
    if isinstance(node, Near):
        return terms_of(node.left) + terms_of(node.right)
    return []


def naive_rules(wl: Watchlists) -> list[Callable[[str], bool]]:
    """What a cron script does: a regex per term, a Python boolean per rule."""
    compiled = []
    for rule in wl.rules:
        regexes: dict[int, re.Pattern[str]] = {}
        for term in terms_of(rule.query):
            if isinstance(term, Term):
                pat = re.escape(term.text) + (r"\w*" if term.prefix else r"\b")
            else:
                names = [
                    n
                    for e in wl.gazetteer.select(term.selector)
                    for n in wl.gazetteer.entities[e].names
                ]
                pat = "(?:" + "|".join(re.escape(n) for n in names) + r")\b"
            regexes[id(term)] = re.compile(r"\b" + pat, re.IGNORECASE)

        compiled.append(_naive_rule(rule.query, regexes))
    return compiled


def _naive_rule(query: Node, regexes: dict[int, re.Pattern[str]]) -> Callable[[str], bool]:
    def holds(node: Node, text: str) -> bool:
        if isinstance(node, Term | EntityRef):
            return regexes[id(node)].search(text) is not None
        if isinstance(node, And):
            return all(holds(i, text) for i in node.items)
        if isinstance(node, Or):
            return any(holds(i, text) for i in node.items)
        if isinstance(node, Not):
            return not holds(node.item, text)
        if isinstance(node, Near):  # the naive way cannot do proximity: AND
            return holds(node.left, text) and holds(node.right, text)
        return holds(node.item, text)

    return lambda text: holds(query, text)


def rate(label: str, count: int, seconds: float) -> float:
    per_s = count / seconds
    print(f"  {label:<44} {per_s:>12,.0f} articles/s   ({count} in {seconds:.2f} s)")
    return per_s


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--rules", type=int, nargs="+", default=[100, 1000])
    parser.add_argument(
        "--naive-sample", type=int, default=300, help="articles for the naive matcher"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--density", choices=sorted(DENSITY), default="news")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    vocab = vocabulary(rng, 3000)
    keywords = vocabulary(random.Random(args.seed + 1), 1500)
    print(f"corpus: {args.articles} articles, seed {args.seed}, density {args.density}")
    raws = make_articles(args.articles, vocab, keywords, args.seed, args.density)
    print(f"  mean size {sum(len(r.text) for r in raws) / len(raws):,.0f} characters")
    t0 = time.perf_counter()
    articles: list[Article] = [normalize(r) for r in raws]
    rate("normalize alone", len(raws), time.perf_counter() - t0)

    for m in args.rules:
        print(f"\nM = {m} rules")
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            wl = write_watchlists(Path(tmp), make_rules(m, keywords, args.seed))
            print(f"  load + compile watchlists: {time.perf_counter() - t0:.2f} s")
            matcher = wl.matcher

            t0 = time.perf_counter()
            counts = [len(matcher.match(a)[1]) for a in articles]
            ours = rate("rule evaluation alone", len(articles), time.perf_counter() - t0)
            matched, hit = sum(counts), sum(1 for c in counts if c)
            print(
                f"  ({matched} rule matches, {matched / len(articles):.2f} per article; "
                f"{hit / len(articles):.0%} of articles match at least one rule)"
            )

            automaton = matcher._automaton  # the same keys, no evaluation: the floor
            texts = [" " + match_text(a.title + "\n" + "\n".join(a.paragraphs)) for a in articles]
            t0 = time.perf_counter()
            for text in texts:
                for _ in automaton.iter(text):
                    pass
            rate("bare Aho-Corasick scan (floor)", len(texts), time.perf_counter() - t0)

            naive = naive_rules(wl)
            sample = [
                a.title + "\n" + "\n".join(a.paragraphs) for a in articles[: args.naive_sample]
            ]
            t0 = time.perf_counter()
            for text in sample:
                for check in naive:
                    check(text)
            slow = rate("naive: one regex per rule term", len(sample), time.perf_counter() - t0)
            print(f"  speed-up over naive: {ours / slow:,.1f}x")

            for label, url in (
                ("full replay, in-memory log", "sqlite://"),
                ("full replay, SQLite file", f"sqlite:///{Path(tmp) / 'bench.db'}"),
            ):
                t0 = time.perf_counter()
                with open_log(url) as log:
                    observe(log, (normalize(r) for r in raws))
                    engine = RuleEngine(log, wl, batch=1000)
                    engine.record_watchlists()
                    outcomes = engine.run()
                rate(label, len(raws), time.perf_counter() - t0)
                print(f"  ({outcomes} outcome events)")


if __name__ == "__main__":
    main()
