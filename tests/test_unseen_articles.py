"""Articles nobody has seen: the shipped watchlists must get them right too.

These are written for the test (not copied from the seeds) so the mechanisms
(gazetteer, query, furniture, story key) are what is being checked.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from conftest import WATCHLISTS

from monitor.article import RawItem
from monitor.replay import replay
from monitor.rules.watchlist import Watchlists
from monitor.store.projections import OutcomeRow
from monitor.wiring import open_log

GYEONGJU_1 = """Takaichi and Lee hold first summit on APEC sidelines

Japanese Prime Minister Sanae Takaichi and South Korean President Lee Jae-myung held their first summit in Gyeongju on Thursday, on the sidelines of the Asia-Pacific Economic Cooperation forum.

The two leaders agreed to keep up shuttle diplomacy and to cooperate closely with the United States on North Korea's missile programme.

Takaichi told Lee that stable relations between Tokyo and Seoul were more important than ever.
"""

GYEONGJU_2 = """Japan's new premier meets Lee in first face-to-face talks

GYEONGJU, South Korea (Kyodo) — Takaichi Sanae, Japan's first female prime minister, met President Lee Jae Myung on Thursday in the ancient capital of the Silla kingdom.

Lee welcomed Takaichi and said the neighbours should build "future-oriented" ties. The meeting lasted about 40 minutes, officials said.
"""

NARA = """Lee visits Takaichi's home town for summit

South Korean President Lee Jae Myung arrived in Nara on Tuesday for a summit with Japanese Prime Minister Sanae Takaichi, the second meeting between the two leaders.

Takaichi and Lee met for two hours and discussed supply chains and regional security.
"""

COUNTERPART = """Takaichi hosts Korean leader in Nara

Prime Minister Sanae Takaichi held talks with her South Korean counterpart in Nara on Tuesday, the second summit between the two leaders since she took office in October.

The meeting focused on supply chains, regional security and the export controls that had soured relations in earlier years, officials in Tokyo said after the session ended in the evening.

Both sides described the atmosphere as warm. Officials said follow-up talks between ministers would begin next month, and that a joint statement would be issued later in the week after the legal teams finish their work.

Lee Jae Myung, who took office in June, has made improving ties with Tokyo a priority of his presidency.
"""

LINK_LIST_ONLY = """Seoul stocks rise on chip rally

Shares in Seoul closed higher on Friday as chipmakers rallied on strong overseas demand, with the benchmark index up 1.2 percent.

Foreign investors were net buyers for a third straight session, exchange data showed.

RELATED STORIES

North Korea sends more troops to Russia, Seoul says

Pyongyang and Moscow sign new military pact

Most Read

Kim Jong Un meets Putin in Vladivostok

Won hits two-month high against dollar
"""

INLINE_LINK = """Seoul shares end higher

Shares in Seoul closed higher on Friday as chipmakers rallied on strong overseas demand, with the benchmark index up 1.2 percent.

Related: North Korean troops deployed to Russia's Kursk region

Foreign investors were net buyers for a third straight session, exchange data showed.
"""

PYONGYANG_MOSCOW = """Lavrov lands in Pyongyang

Russia's foreign minister arrived in Pyongyang on Saturday for talks on expanding ties, the latest sign of the deepening partnership between Moscow and the isolated North.
"""

KIM_PUTIN = """Leaders exchange New Year greetings

Kim Jong Un sent a New Year card to Vladimir Putin, praising what he called an invincible alliance.
"""

FAR_APART = (
    "Grain prices\n\nNorth Korea reported a poor harvest this year, according to aid agencies. "
    + " ".join(["Officials described the situation in the provinces in some detail."] * 12)
    + "\n\nSeparately, wheat exports from Russia hit a record."
)

PHOTOGRAPHER = """Japanese premier meets business leaders

Prime Minister Shigeru Ishiba met executives from South Korean firms in Tokyo on Monday to discuss investment.

Ishiba said he welcomed more investment. (Photo: Lee Jin-man/AP)
"""


def _replay(tmp_path: Path, wl: Watchlists, files: dict[str, str]) -> list[OutcomeRow]:
    src = tmp_path / "fixtures"
    src.mkdir(exist_ok=True)
    for name, text in files.items():
        (src / name).write_text(text, encoding="utf-8")
    with open_log("sqlite://") as log:
        return replay([src], wl, log).outcomes


def _outcomes(rows: list[OutcomeRow], rule: str) -> dict[str, tuple[str, str | None]]:
    return {r.item: (r.outcome, r.duplicate_of_item) for r in rows if r.rule == rule}


def test_new_summit_raised_and_repeat_suppressed(tmp_path: Path, shipped: Watchlists) -> None:
    rows = _replay(tmp_path, shipped, {"a.txt": GYEONGJU_1, "b.txt": GYEONGJU_2, "c.txt": NARA})
    summit = _outcomes(rows, "japan-korea-summit")
    assert summit == {
        "a.txt": ("raised", None),
        "b.txt": ("suppressed", "a.txt"),
        "c.txt": ("raised", None),
    }
    keys = {r.item: r.key for r in rows if r.rule == "japan-korea-summit"}
    assert keys["a.txt"] == "takaichi-sanae|lee-jae-myung|gyeongju"
    assert keys["c.txt"] == "takaichi-sanae|lee-jae-myung|nara"


def test_north_korea_russia_in_text_not_in_link_lists(tmp_path: Path, shipped: Watchlists) -> None:
    rows = _replay(
        tmp_path,
        shipped,
        {
            "1.txt": LINK_LIST_ONLY,
            "2.txt": PYONGYANG_MOSCOW,
            "3.txt": KIM_PUTIN,
            "4.txt": FAR_APART,
            "5.txt": INLINE_LINK,
        },
    )
    nkr = _outcomes(rows, "north-korea-russia")
    assert nkr == {"2.txt": ("raised", None), "3.txt": ("raised", None)}


def test_counterpart_named_later_still_counts(tmp_path: Path, shipped: Watchlists) -> None:
    rows = _replay(tmp_path, shipped, {"a.txt": NARA, "b.txt": COUNTERPART})
    summit = _outcomes(rows, "japan-korea-summit")
    assert summit == {"a.txt": ("raised", None), "b.txt": ("suppressed", "a.txt")}


def test_photographer_lee_is_not_president_lee(tmp_path: Path, shipped: Watchlists) -> None:
    rows = _replay(tmp_path, shipped, {"p.txt": PHOTOGRAPHER})
    assert _outcomes(rows, "japan-korea-summit") == {}


def test_same_leaders_same_place_outside_window_is_a_new_story(shipped: Watchlists) -> None:
    base = datetime(2026, 1, 10, tzinfo=UTC)
    window = shipped.rule("japan-korea-summit").spec.new_story
    assert window is not None
    items = [
        RawItem("feed", "one", NARA, published=base),
        RawItem(
            "feed",
            "two",
            NARA.replace("two hours", "three hours"),
            published=base + timedelta(days=1),
        ),
        RawItem(
            "feed",
            "three",
            NARA.replace("two hours", "an hour"),
            published=base + window.window + timedelta(days=2),
        ),
    ]
    from monitor.normalize import normalize
    from monitor.replay import observe
    from monitor.rules.engine import RuleEngine

    with open_log("sqlite://") as log:
        observe(log, [normalize(i) for i in items])
        RuleEngine(log, shipped).run()
        with log.engine.connect() as conn:
            from monitor.store.projections import list_outcomes

            rows = list_outcomes(conn, limit=10)
    summit = {r.item: r.outcome for r in rows if r.rule == "japan-korea-summit"}
    assert summit == {"one": "raised", "two": "suppressed", "three": "raised"}


def test_watchlists_dir_is_the_shipped_one() -> None:
    assert (WATCHLISTS / "entities.yaml").is_file()
