"""Score a blind relation battery: items our helpers wrote and labelled, for pairs nobody fitted.

A battery (``bench/batteries/NAME/``) is what the issue's "generality as a test you
run" asks for beyond the development half: relation rules for other pairs, written the
way a user writes them, and short news items for them labelled with the guide by
helpers who never saw the code (texts of their own, no outlet's). It holds

* ``items/RULE.jsonl`` — one item a line: ``id``, ``title``, ``text``, ``label``
  (``linked``, ``not``, ``borderline``), ``reason``;
* ``watchlists/RULE.yaml`` — the rules;
* ``entities.extra.yaml`` — leaders and officials the shipped gazetteer lacks, added
  from the writers' lists of names only; merged into a copy of
  ``watchlists/entities.yaml`` here, with the shipped cue book beside it;
* ``read.txt`` / ``held-out.txt`` — the item ids of the half a developer may read
  and of the half kept apart (``--half``): a held-out half that moves tells more
  than a read one.

Each item becomes a text file dated by a ``Published:`` line (``--published``), the
labels a labels directory, and ``monitor rules eval`` scores the replay. Numbers only;
nothing is asserted.

    python bench/battery.py bench/batteries/b18
    python bench/battery.py bench/batteries/b18 --half held-out --show
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SCORE = re.compile(r"precision [\d.]+ \((\d+)/(\d+)\), recall [\d.]+ \((\d+)/(\d+)\)")


def lay_out(battery: Path, half: str, published: str, out: Path) -> tuple[Path, Path, Path]:
    """(fixtures, labels, watchlists) for ``half`` of the battery, under ``out``."""
    wanted: set[str] | None = None
    if half != "all":
        wanted = set((battery / f"{half}.txt").read_text(encoding="utf-8").split())
    fixtures, labels, watchlists = out / "items", out / "labels", out / "watchlists"
    for d in (fixtures, labels, watchlists):
        d.mkdir(parents=True)
    for path in sorted((battery / "items").glob("*.jsonl")):
        rows = ["link\tlabel\treason"]
        for line in path.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            if wanted is not None and item["id"] not in wanted:
                continue
            name = f"{item['id']}.txt"
            body = f"{item['title']}\nPublished: {published}\n\n{item['text']}\n"
            (fixtures / name).write_text(body, encoding="utf-8")
            reason = " ".join(str(item.get("reason", "")).split())[:120]
            rows.append(f"{name}\t{item['label']}\t{reason}")
        (labels / f"{path.stem}.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    for rule in (battery / "watchlists").glob("*.yaml"):
        shutil.copy(rule, watchlists / rule.name)
    shutil.copy(ROOT / "watchlists" / "cues.yaml", watchlists / "cues.yaml")
    entities = yaml.safe_load((ROOT / "watchlists" / "entities.yaml").read_text("utf-8"))
    extra_path = battery / "entities.extra.yaml"
    if extra_path.is_file():
        extra = yaml.safe_load(extra_path.read_text(encoding="utf-8")) or {}
        for section, entries in extra.items():
            entities.setdefault(section, {}).update(entries or {})
    (watchlists / "entities.yaml").write_text(
        yaml.safe_dump(entities, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    return fixtures, labels, watchlists


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("battery", type=Path)
    ap.add_argument("--half", choices=("all", "read", "held-out"), default="all")
    ap.add_argument("--published", default="2026-06-01", help="the items' day (YYYY-MM-DD)")
    ap.add_argument("--show", action="store_true", help="list every false alert and miss")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="battery-") as tmp:
        fixtures, labels, watchlists = lay_out(args.battery, args.half, args.published, Path(tmp))
        cmd = [sys.executable, "-m", "monitor", "rules", "eval", str(labels), str(fixtures)]
        cmd += ["--watchlists", str(watchlists)] + (["--show"] if args.show else [])
        done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
    print(done.stdout, end="")
    if done.returncode not in (0, 1):
        print(done.stderr, end="", file=sys.stderr)
        return done.returncode
    tp = fp = fn = 0
    for line in done.stdout.splitlines():
        m = SCORE.search(line)
        if m and not line.startswith(" "):
            found, raised, _, linked = map(int, m.groups())
            tp, fp, fn = tp + found, fp + raised - found, fn + linked - found
    if tp:
        print(
            f"{args.battery.name} ({args.half}): {tp} linked items raised, {fp} false alerts, "
            f"{fn} missed: precision {tp / (tp + fp):.3f}, recall {tp / (tp + fn):.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
