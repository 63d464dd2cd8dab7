"""Event-dated new-story detection: when the reported meeting happens.

The texts are written for these tests. Leaders in office on the publication
dates used here (March 2026): Sanae Takaichi (Japan) and Lee Jae Myung (South
Korea).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from conftest import WATCHLISTS

from monitor.article import Article, RawItem
from monitor.errors import WatchlistError
from monitor.normalize import fold, normalize
from monitor.notify.channels import ConsoleChannel
from monitor.notify.outbox import Outbox
from monitor.notify.templates import Templates
from monitor.replay import observe
from monitor.rules.dating import EventTime
from monitor.rules.engine import RuleEngine
from monitor.rules.story import date_story, story_key
from monitor.rules.timewords import Tense, find, resolve
from monitor.rules.watchlist import Watchlists, load_rule, load_watchlists
from monitor.store.projections import ALERT_RAISED, ALERT_SUPPRESSED, list_outcomes
from monitor.wiring import open_log

WED = date(2026, 3, 11)  # a Wednesday
#: what a meeting told in the present may be: the UTC day of publication or the day before
TODAY = (date(2026, 3, 10), WED)
PUBLISHED = datetime(2026, 3, 11, 9, 0, tzinfo=UTC)
RULE = "japan-korea-summit"


# -- temporal expressions ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tense", "lo", "hi"),
    [
        ("on Thursday", "future", "2026-03-12", "2026-03-12"),
        ("on Friday", "past", "2026-03-06", "2026-03-06"),
        ("on Monday", "unknown", "2026-03-09", "2026-03-09"),  # nearer behind than ahead
        ("on Saturday", "unknown", "2026-03-14", "2026-03-14"),  # nearer ahead
        ("on Thursday", "past", "2026-03-12", "2026-03-12"),  # today east of UTC
        ("on Tuesday", "future", "2026-03-10", "2026-03-10"),  # today west of UTC
        ("last Wednesday", "past", "2026-03-04", "2026-03-04"),
        ("next Friday", "future", "2026-03-13", "2026-03-13"),
        ("today", "present", "2026-03-11", "2026-03-11"),
        ("yesterday", "past", "2026-03-10", "2026-03-10"),
        ("tomorrow", "future", "2026-03-12", "2026-03-12"),
        ("last week", "past", "2026-03-02", "2026-03-08"),
        ("next week", "future", "2026-03-16", "2026-03-22"),
        ("this weekend", "future", "2026-03-14", "2026-03-15"),
        ("last month", "past", "2026-02-01", "2026-02-28"),
        ("next month", "future", "2026-04-01", "2026-04-30"),
        ("in May", "future", "2026-05-01", "2026-05-31"),
        ("in May", "past", "2025-05-01", "2025-05-31"),
        ("in early May", "future", "2026-05-01", "2026-05-10"),
        ("in mid-February", "past", "2026-02-11", "2026-02-20"),
        ("on March 16", "future", "2026-03-16", "2026-03-16"),
        ("on March 16", "past", "2025-03-16", "2025-03-16"),
        ("on March 16, 2024", "future", "2024-03-16", "2024-03-16"),
        ("on 2 March 2026", "unknown", "2026-03-02", "2026-03-02"),
        ("on Nov. 3, 2025", "unknown", "2025-11-03", "2025-11-03"),
        ("on 2026-03-09", "unknown", "2026-03-09", "2026-03-09"),
        ("three days ago", "past", "2026-03-08", "2026-03-08"),
        ("hours before", "future", "2026-03-11", "2026-03-12"),
        # "… comes weeks before the leaders meet": the meeting is weeks away
        ("weeks before", "present", "2026-03-22", "2026-04-11"),
        ("two days before", "present", "2026-03-13", "2026-03-13"),
        ("days after", "present", "2026-03-07", "2026-03-09"),
        # "…, a month after Lee met Takaichi": the meeting a month before the news
        ("a month after", "present", "2026-01-25", "2026-02-24"),
        # a time of day with no day of its own: the publication day, either side of UTC
        ("at 3pm", "future", "2026-03-11", "2026-03-12"),
        ("at noon", "past", "2026-03-10", "2026-03-11"),
        ("on the eve of", "future", "2026-03-11", "2026-03-12"),
        ("in 2019", "past", "2019-01-01", "2019-12-31"),
        # an earlier century, a stretch of years (its end says how long ago), a decade
        ("in 1854", "past", "1854-01-01", "1854-12-31"),
        ("from 1942 to 1945", "past", "1942-01-01", "1945-12-31"),
        ("between 2001 and 2003", "past", "2001-01-01", "2003-12-31"),
        ("in the 1950s", "past", "1950-01-01", "1959-12-31"),
        # a count back by "since", in tens or decades, as "ago" is
        ("forty years since", "past", "1985-09-20", "1986-09-19"),
        ("three decades ago", "past", "1991-03-13", "2001-03-12"),
    ],
)
def test_each_date_form_resolves_against_the_publication_day(
    text: str, tense: Tense, lo: str, hi: str
) -> None:
    (words,) = find(f"The leaders met {text} as planned.")
    assert resolve(words, WED, tense) == (date.fromisoformat(lo), date.fromisoformat(hi))


def test_an_old_year_is_no_count_or_clock() -> None:
    """ "in 1500 towns", "by 1800 hours", "a fine of 1500 euros" are numbers, not years."""
    assert find("Aid reached people in 1500 towns by 1800 hours.") == []
    assert find("He paid a fine of 1500 euros.") == []


def test_a_weekday_that_starts_a_name_is_no_date() -> None:
    """ "the Good Friday Agreement", "the Sunday Times" name things; "on Friday Biden met",
    "Friday morning" and a Title Case headline's "Meet Friday In Belfast" are days."""
    assert find("The two leaders will mark the Good Friday Agreement in Belfast.") == []
    assert find("She told the Sunday Times that talks would go on.") == []
    assert [w.text for w in find("On Friday Biden met the prime minister.")] == ["On Friday"]
    assert [w.text for w in find("They met Friday Morning in Belfast.")] == ["Friday"]
    assert [w.text for w in find("Biden To Meet Sunak Friday In Belfast")] == ["Friday"]


def test_month_and_weekday_names_count_only_capitalised_and_since_is_a_bound() -> None:
    assert find("Officials may march to the square, the minister said.") == []
    assert find("Relations have improved since March.") == []
    assert [w.text for w in find("They may meet in May.")] == ["in May"]


# -- tense, modality and the verdict ---------------------------------------------------


def _event(shipped: Watchlists, title: str, *paras: str) -> EventTime:
    art = Article(
        source="t",
        item_id="x",
        title=fold(title),
        paragraphs=tuple(fold(p) for p in paras),
        content_hash="x",
        published=PUBLISHED,
    )
    doc, found = shipped.matcher.match(art)
    (match,) = [m for m in found if m.rule == RULE]
    new_story = shipped.rule(RULE).spec.new_story
    assert new_story is not None
    event = date_story(doc, match.spans, new_story, shipped.gazetteer)
    assert event is not None
    return event


@pytest.mark.parametrize(
    ("body", "status", "tense", "day"),
    [
        ("Takaichi and Lee will meet in Busan on Thursday.", "new", "future", "2026-03-12"),
        ("Takaichi and Lee will hold talks tomorrow in Busan.", "new", "future", "2026-03-12"),
        ("Takaichi met Lee in Tokyo on Monday.", "new", "past", "2026-03-09"),
        # the present: the publication's UTC day, or the day before west of it
        ("Lee is visiting Tokyo for talks with Takaichi.", "new", "present", "2026-03-10"),
        (
            "Lee arrived in Tokyo on Tuesday for a summit with Takaichi.",
            "new",
            "past",
            "2026-03-10",
        ),
        # past with no date: some day of the month before publication
        ("Lee flew to Tokyo to meet Takaichi.", "new", "past", "2026-02-09"),
        # a part of a day named alone is the publication day's
        (
            "Takaichi is due to meet Lee for talks and dinner in the evening.",
            "new",
            "future",
            "2026-03-11",
        ),
        ("Takaichi plans to visit Seoul to meet Lee.", "preview", "future", None),
        # a clause of the same time as a modal act is as much to come
        (
            "Takaichi will unveil an aid package as she holds talks with Lee.",
            "preview",
            "future",
            None,
        ),
        ("Takaichi will visit Seoul next month for talks with Lee.", "preview", "future", None),
        ("Takaichi and Lee are set to hold a summit later this month.", "preview", "future", None),
        ("Takaichi and Lee held talks in Tokyo on January 20.", "recap", "past", "2026-01-20"),
        ("Takaichi and Lee met in Gyeongju last month.", "recap", "past", "2026-02-01"),
    ],
)
def test_tense_and_modality_decide_new_recap_or_preview(
    shipped: Watchlists, body: str, status: str, tense: str, day: str | None
) -> None:
    event = _event(shipped, "Leaders of Japan and South Korea", body)
    assert (event.status, event.mention and event.mention.tense) == (status, tense)
    if day is not None:
        assert event.lo == date.fromisoformat(day)


def test_a_headline_infinitive_is_a_plan_and_an_effort_is_present(shipped: Watchlists) -> None:
    plan = _event(shipped, "Takaichi to hold first summit with President Lee in Seoul")
    assert plan.status == "preview"
    effort = _event(shipped, "Takaichi and President Lee seek to mend ties at summit in Seoul")
    assert (effort.status, (effort.lo, effort.hi)) == ("new", TODAY)


@pytest.mark.parametrize(
    ("title", "tense"),
    [
        ("Takaichi meets President Lee in Seoul", "present"),
        ("Leaders of Japan and South Korea meet in Seoul", "present"),
        ("Takaichi, Lee hold summit in Seoul", "present"),
    ],
)
def test_headline_verbs_are_present(shipped: Watchlists, title: str, tense: str) -> None:
    event = _event(shipped, title)
    got = (event.status, (event.lo, event.hi), event.mention and event.mention.tense)
    assert got == ("new", TODAY, tense)


def test_a_reporting_clause_does_not_set_the_tense(shipped: Watchlists) -> None:
    event = _event(
        shipped,
        "Takaichi and Lee to meet again",
        "Takaichi will travel to Seoul on Friday for a two-day visit, her office said on Tuesday.",
    )
    assert (event.status, event.lo) == ("new", date(2026, 3, 13))


def test_a_phone_call_is_not_a_summit(shipped: Watchlists) -> None:
    art = normalize(
        RawItem(
            "f",
            "call",
            "Takaichi and Lee discuss missiles by phone\n\nTakaichi held talks with President "
            "Lee Jae Myung on Tuesday.\n",
            published=PUBLISHED,
        )
    )
    _, found = shipped.matcher.match(art)
    assert RULE not in [m.rule for m in found]


def test_the_clause_of_the_meeting_dates_it_not_a_recalled_trip(shipped: Watchlists) -> None:
    event = _event(
        shipped,
        "Japanese leader in Seoul",
        "Takaichi arrived in Seoul on Wednesday for a two-day visit with President Lee, which "
        "returns a visit to Tokyo in January.",
    )
    assert (event.status, event.lo) == ("new", WED)
    assert event.explain() == {
        "words": "on Wednesday",
        "date": "2026-03-11",
        "tense": "past",
        "status": "new",
        "cue": "arrived",
    }


@pytest.mark.parametrize(
    "title",
    [
        "Takaichi's Visit to Seoul for Talks With Lee Officially Cancelled",
        "Lee calls off his visit to Tokyo for talks with Takaichi",
        "Takaichi and Lee postpone their summit in Busan",
    ],
)
def test_a_cancelled_meeting_is_no_meeting(shipped: Watchlists, title: str) -> None:
    event = _event(shipped, title)
    assert event.status == "cancelled"
    assert event.describe().endswith("called off")


def test_a_headline_whose_only_verb_is_an_infinitive_is_a_plan(shipped: Watchlists) -> None:
    event = _event(shipped, "Meeting Between Takaichi, Lee to Focus on Security Cooperation")
    assert (event.status, event.mention and event.mention.tense) == ("preview", "future")


def test_after_dates_its_object_not_the_event_before_it(shipped: Watchlists) -> None:
    # "after" makes the call past; the summit before it is not past, and "4.30am" is a
    # time of day, not the verb "am"; "in doubt" makes the summit only a possibility
    event = _event(shipped, "Takaichi and Lee's summit in doubt after Lee's 4.30am call")
    assert event.mention is not None and event.mention.tense == "unknown"
    assert (event.status, event.describe()) == (
        "preview",
        "dated: “in doubt”: only a possibility, a preview",
    )


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Leaders of Japan and South Korea", "Takaichi and Lee could meet in Busan on Thursday."),
        (
            "Leaders of Japan and South Korea",
            "Officials said Lee may visit Tokyo on Thursday for talks with Takaichi.",
        ),  # fmt: skip
        ("Takaichi-Lee summit on the brink of collapse", ""),
        (
            "Leaders of Japan and South Korea",
            "The visit by Lee to Tokyo for talks with Takaichi hangs in the balance.",
        ),  # fmt: skip
    ],
)
def test_a_possible_or_doubtful_meeting_is_a_preview_whatever_day_it_names(
    shipped: Watchlists, title: str, body: str
) -> None:
    """The guide: a possible meeting is not a summit, and nothing later is a repeat of it."""
    event = _event(shipped, title, body)
    assert event.status == "preview"
    assert event.mention is not None and event.mention.doubtful


def test_will_on_a_named_day_is_still_a_plan_dated_as_one(shipped: Watchlists) -> None:
    event = _event(shipped, "Leaders of Japan and South Korea", "Takaichi and Lee will meet "
                   "in Busan on Thursday.")  # fmt: skip
    assert (event.status, event.mention and event.mention.doubtful) == ("new", "")


def test_a_participle_after_the_event_calls_it_off(shipped: Watchlists) -> None:
    event = _event(shipped, "Takaichi-Lee summit cancelled after storm hits Busan")
    assert event.status == "cancelled"


def test_a_planned_visit_and_the_run_up_to_a_summit_are_still_to_come(
    shipped: Watchlists,
) -> None:
    planned = _event(
        shipped, "Leaders of Japan and South Korea", "Takaichi said of the planned visit by Lee."
    )
    assert (planned.status, planned.mention and planned.mention.tense) == ("preview", "future")
    run_up = _event(
        shipped,
        "Leaders of Japan and South Korea",
        "What has Lee said in the run-up to the summit with Takaichi?",
    )
    assert (run_up.status, run_up.mention and run_up.mention.cue) == ("preview", "run-up")


def test_a_meeting_whose_participants_are_a_group_is_not_theirs(shipped: Watchlists) -> None:
    """ "When leaders meet" (a group's meeting, say the G7's) does not date the pair's
    summit; "when the two leaders meet" does."""
    group = _event(
        shipped,
        "Week ahead",
        "Prime Minister Takaichi will push for a pledge when leaders meet in Busan on "
        "Thursday. President Lee named a new minister.",
    )
    assert group.status != "new"
    pair = _event(
        shipped,
        "Week ahead",
        "Prime Minister Takaichi will push for a pledge when the two leaders meet in Busan on "
        "Thursday with President Lee.",
    )
    assert pair.status == "new"


def test_event_words_only_in_sentences_about_others_are_not_their_meeting(
    shipped: Watchlists,
) -> None:
    event = _event(
        shipped,
        "Week in review",
        "Prime Minister Takaichi said the economy would grow. President Lee Jae Myung named a "
        "new finance minister. A trade delegation met on Tuesday in Geneva.",
    )
    assert event.status == "elsewhere"


def test_an_undated_event_under_a_headline_about_something_else_is_not_news(
    shipped: Watchlists,
) -> None:
    undated = _event(
        shipped, "Rice prices climb", "Takaichi and President Lee: a summit of firsts."
    )
    assert undated.status == "undated"
    headline = _event(shipped, "Takaichi and President Lee: a summit of firsts")
    assert headline.status == "new"  # the headline is about them: judged as news


def test_a_meeting_with_a_third_leader_does_not_date_the_summit(shipped: Watchlists) -> None:
    event = _event(
        shipped,
        "Takaichi and President Lee meet in Seoul",
        "Lee will travel to Washington for a summit with US President Donald Trump next month.",
    )
    # the headline's meeting, not Trump's
    assert (event.status, (event.lo, event.hi)) == ("new", TODAY)


def test_a_recap_in_a_caption_is_a_recap(shipped: Watchlists) -> None:
    event = _event(
        shipped,
        "Trade between Japan and South Korea rises",
        "Prime Minister Sanae Takaichi and President Lee Jae Myung shake hands before their "
        "summit in Gyeongju on Oct. 30, 2025. (Pool photo)",
    )
    assert event.status == "recap"
    assert event.describe() == "dated: “on Oct. 30, 2025” → 2025-10-30 (future): a recap"


# -- story identity -----------------------------------------------------------------------


def _engine_run(wl: Watchlists, items: list[RawItem]) -> list[tuple[str, str, str | None]]:
    with open_log("sqlite://") as log:
        observe(log, [normalize(i) for i in items])
        RuleEngine(log, wl).run()
        with log.engine.connect() as conn:
            rows = list_outcomes(conn, limit=100)
    return sorted((r.item, r.outcome, r.reason) for r in rows if r.rule == RULE)


def test_the_same_summit_with_different_first_cities_alerts_once(shipped: Watchlists) -> None:
    first = RawItem(
        "feed",
        "a",
        "Lee and Takaichi meet in Nara\n\nSouth Korean President Lee Jae Myung and Japanese "
        "Prime Minister Sanae Takaichi met in Nara on Monday for their third summit.\n",
        published=PUBLISHED - timedelta(days=2),
    )
    second = RawItem(
        "feed",
        "b",
        "Tokyo and Seoul pledge closer ties\n\nTakaichi, who hosted President Lee Jae Myung in "
        "Tokyo in January, met Lee again in Nara on Monday, officials said.\n",
        published=PUBLISHED,
    )
    assert _engine_run(shipped, [first, second]) == [
        ("a", "raised", None),
        ("b", "suppressed", "same story"),
    ]
    keys = []
    for item in (first, second):
        doc, found = shipped.matcher.match(normalize(item))
        (match,) = [m for m in found if m.rule == RULE]
        new_story = shipped.rule(RULE).spec.new_story
        assert new_story is not None
        event = date_story(doc, match.spans, new_story, shipped.gazetteer)
        keys.append(
            story_key(doc, new_story.key, shipped.gazetteer, spans=match.spans, event=event)
        )
    assert keys == [("takaichi-sanae", "lee-jae-myung", "nara")] * 2


def test_a_repeat_dated_far_ahead_is_still_a_repeat(shipped: Watchlists) -> None:
    """A publication time past the observation is not believed: the report is dated by
    its observation, so a repeat dated 9999 does not open a story of its own."""
    now = datetime.now(UTC)
    first = RawItem(
        "feed",
        "a",
        "Lee and Takaichi meet in Nara\n\nSouth Korean President Lee Jae Myung and Japanese "
        "Prime Minister Sanae Takaichi met in Nara for their third summit.\n",
        published=now - timedelta(hours=3),
    )
    second = RawItem(
        "feed",
        "b",
        "Leaders meet in Nara\n\nPresident Lee Jae Myung and Prime Minister Sanae Takaichi "
        "met in Nara, officials said.\n",
        published=datetime(9999, 12, 31, 23, 59, tzinfo=UTC),
    )
    articles = [normalize(i, now) for i in (first, second)]
    assert articles[1].published is None
    assert articles[1].published_suspect == "9999-12-31T23:59:00+00:00"
    with open_log("sqlite://") as log:
        observe(log, articles)
        RuleEngine(log, shipped).run()
        with log.engine.connect() as conn:
            rows = list_outcomes(conn, limit=100)
    assert sorted((r.item, r.outcome, r.reason) for r in rows if r.rule == RULE) == [
        ("a", "raised", None),
        ("b", "suppressed", "same story"),
    ]


def test_the_same_leaders_meeting_again_weeks_later_is_news(shipped: Watchlists) -> None:
    text = "Leaders meet\n\nTakaichi and President Lee met in Nara on Monday.\n"
    items = [
        RawItem("feed", "a", text, published=PUBLISHED),
        RawItem("feed", "b", text, published=PUBLISHED + timedelta(days=14)),
    ]
    assert _engine_run(shipped, items) == [("a", "raised", None), ("b", "raised", None)]


def test_recaps_and_previews_are_recorded_never_notified(shipped: Watchlists) -> None:
    items = [
        RawItem("f", "recap", "Trade\n\nTakaichi met President Lee in Tokyo on January 20.\n"),
        RawItem(
            "f", "preview", "Plans\n\nTakaichi will visit Seoul next month to meet President Lee.\n"
        ),
        RawItem("f", "news", "Summit\n\nTakaichi met President Lee in Busan on Tuesday.\n"),
    ]
    items = [RawItem(i.source, i.item_id, i.text, published=PUBLISHED) for i in items]
    with open_log("sqlite://") as log:
        observe(log, [normalize(i) for i in items])
        RuleEngine(log, shipped).run()
        suppressed = {e.payload["item"]: e.payload for e in log.read(types=[ALERT_SUPPRESSED])}
        raised = [e.payload["item"] for e in log.read(types=[ALERT_RAISED])]
        outbox = Outbox(log, {"console": ConsoleChannel(fallback=True)}, Templates.load())
        assert outbox.queue() == 1  # the raised alert only
    assert raised == ["news"]
    assert {k: p["reason"] for k, p in suppressed.items()} == {
        "recap": "recap",
        "preview": "preview",
    }
    assert suppressed["recap"]["dated"]["words"] == "on January 20"
    assert suppressed["preview"]["dated"]["words"] == "next month"
    assert any(line.startswith("dated: ") for line in suppressed["recap"]["evidence"])


def test_undated_items_are_judged_as_news_on_the_window(shipped: Watchlists) -> None:
    """Without a published time nothing can be dated: the seeds' behaviour is kept."""
    items = [RawItem("f", "old", "Summit\n\nTakaichi met President Lee in Tokyo on 20 Jan 2020.\n")]
    assert _engine_run(shipped, items) == [("old", "raised", None)]


# -- the new_story spec ------------------------------------------------------------------


def _rule(tmp_path: Path, new_story: str) -> Path:
    path = tmp_path / "summit.yaml"
    path.write_text(
        "query: summit\nnew_story:\n  key:\n    - entity: '@leader:japan'\n" + new_story,
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("spec", "line", "message"),
    [
        ("  recency: {before: 7d}\n", 5, "new_story.recency.after"),
        ("  recency:\n    before: 0d\n    after: 2d\n", 6, "must be longer than 0"),
        ("  recency: {before: 7d, after: 2d, around: 1d}\n", 5, "unknown key"),
        ("  window: 7d\n  tolerance: 2d\n", 6, "needs 'recency'"),
        ("  tolerance: soon\n  recency: {before: 7d, after: 2d}\n", 5, "bad duration"),
    ],
)
def test_new_story_spec_errors_name_file_and_line(
    shipped: Watchlists, tmp_path: Path, spec: str, line: int, message: str
) -> None:
    path = _rule(tmp_path, spec)
    with pytest.raises(WatchlistError) as err:
        load_rule(path, shipped.gazetteer)
    assert err.value.path == str(path)
    assert err.value.line == line, str(err.value)
    assert message in str(err.value)


def test_window_defaults_to_the_recency_before(shipped: Watchlists, tmp_path: Path) -> None:
    rule = load_rule(
        _rule(tmp_path, "  recency: {before: 5d, after: 0d}\n  tolerance: 1d\n"),
        shipped.gazetteer,
    )
    assert rule.spec.new_story is not None
    assert rule.spec.new_story.window == timedelta(days=5)
    assert rule.spec.new_story.dating is not None
    assert rule.spec.new_story.dating.after == timedelta(0)


def test_the_shipped_summit_rule_dates_events() -> None:
    new_story = load_watchlists(WATCHLISTS).rule(RULE).spec.new_story
    assert new_story is not None and new_story.recency is not None
    assert (new_story.recency.before, new_story.recency.after) == (
        timedelta(days=7),
        timedelta(days=2),
    )
    assert new_story.tolerance == timedelta(days=2)


@pytest.mark.parametrize(
    "body",
    [
        "French President Emmanuel Macron met President Lee Jae Myung in Seoul on Tuesday, a "
        "day after Takaichi left for Paris.",
        "Takaichi held talks with South Korea's defence minister in Tokyo on Tuesday, while "
        "President Lee was in Paris.",
    ],
)
def test_a_third_party_meeting_one_of_them_is_not_their_summit(
    shipped: Watchlists, body: str
) -> None:
    """The meeting's participants are read from the parse: one of the pair and someone else
    (a person named, an office-holder of neither side) is another meeting."""
    event = _event(shipped, "A week of diplomacy", body)
    assert event.status == "elsewhere"
    assert event.describe() == "dated: every meeting word is someone else's meeting: not about them"


def test_a_headline_meeting_that_names_no_one_is_the_body_s_third_party_meeting(
    shipped: Watchlists,
) -> None:
    """ "Takaichi to Meet Hegseth Monday": the tagger reads the unknown name as part of the
    day, so the headline's meeting names no one; the body's, which it tells in fewer words,
    is with someone of neither side — and so is the headline's."""
    title = "Takaichi to Meet Hegseth Monday as Japan, South Korea Mend Ties"
    body = (
        "Prime Minister Sanae Takaichi is set to meet Defense Secretary Pete Hegseth in "
        "Tokyo as the government of President Lee Jae Myung seeks to restore engagement."
    )
    assert _event(shipped, title, body).status == "elsewhere"
    # a body meeting of the pair's own keeps the headline's
    ours = "Prime Minister Sanae Takaichi will meet President Lee Jae Myung in Tokyo on Monday."
    assert _event(shipped, title, ours).status != "elsewhere"


def test_he_after_a_person_of_neither_side_is_that_person(shipped: Watchlists) -> None:
    """ "Hegseth praised …, shortly after he met with Takaichi": "he" is the person named
    just before, whom the gazetteer does not know, so the meeting is someone else's."""
    body = (
        "Defense Secretary Pete Hegseth praised the ties of Japan and South Korea on Monday, "
        "shortly after he met with Prime Minister Sanae Takaichi in Tokyo. President Lee Jae "
        "Myung thanked Washington for its support."
    )
    assert _event(shipped, "US defence chief in Tokyo", body).status == "elsewhere"
    # "he" after one of the pair stays theirs
    ours = body.replace("Defense Secretary Pete Hegseth", "President Lee Jae Myung", 1)
    assert _event(shipped, "US defence chief in Tokyo", ours).status != "elsewhere"


def test_who_takes_a_meeting_is_in_it(shipped: Watchlists) -> None:
    """ "X would take a meeting with Takaichi": X, the subject of a verb whose object is the
    meeting (take, seek, request, accept, hold, wrap up …), is one of its participants."""
    body = (
        "Critics asked why Defense Secretary Pete Hegseth would even take a meeting with Prime "
        "Minister Sanae Takaichi on Monday. President Lee Jae Myung said nothing."
    )
    assert _event(shipped, "Critics question a Tokyo trip", body).status == "elsewhere"
    # …so do who wraps up days of meetings, and who holds the talks they include
    body = (
        "Defense Secretary Pete Hegseth wrapped up two days of meetings in Tokyo on Monday, "
        "including talks with Prime Minister Sanae Takaichi. President Lee Jae Myung said "
        "nothing."
    )
    assert _event(shipped, "Critics question a Tokyo trip", body).status == "elsewhere"


def test_a_meeting_that_is_the_circumstance_of_an_owned_act_is_that_act_s(
    shipped: Watchlists,
) -> None:
    """ "Takaichi's welcoming of Hegseth in a private meeting on Monday": the meeting's
    participants are the act's owner and its object — someone else's meeting, so the
    day it names does not date the pair's, which is only a plan."""
    body = (
        "Japan and South Korea seek to pave the way for a meeting between Prime Minister "
        "Sanae Takaichi and President Lee Jae Myung later this year. Takaichi's welcoming of "
        "Defense Secretary Pete Hegseth in a private meeting Monday in Tokyo signals the "
        "seriousness with which Japan..."
    )
    assert _event(shipped, "Tokyo and Seoul pave the way", body).status == "preview"


def test_the_pair_meeting_is_still_theirs_with_a_third_named_elsewhere(
    shipped: Watchlists,
) -> None:
    event = _event(
        shipped,
        "A week of diplomacy",
        "Takaichi met Lee in Seoul on Tuesday, a day after French President Emmanuel Macron "
        "left for Paris.",
    )
    assert (event.status, event.lo) == ("new", date(2026, 3, 10))


def test_the_day_of_a_saying_does_not_date_the_meeting(shipped: Watchlists) -> None:
    """ "…, her spokesman said on Wednesday": the date hangs from the saying, not the meeting;
    "will meet at some point" stays a plan with no date."""
    event = _event(
        shipped,
        "Leaders of Japan and South Korea",
        "Takaichi will meet Lee at some point, her spokesman said on Wednesday.",
    )
    assert (event.status, event.mention and event.mention.when) == ("preview", None)
    dated = _event(
        shipped,
        "Leaders of Japan and South Korea",
        "Takaichi will meet Lee on Thursday, her spokesman said on Wednesday.",
    )
    assert (dated.status, dated.lo) == ("new", date(2026, 3, 12))


# -- meetings read from the parse: venue, calls, "after", "when" ----------------------------


def _key(shipped: Watchlists, title: str, *paras: str) -> tuple[str, ...]:
    art = normalize(RawItem("f", "k", "\n\n".join((title, *paras)) + "\n", published=PUBLISHED))
    doc, found = shipped.matcher.match(art)
    (match,) = [m for m in found if m.rule == RULE]
    new_story = shipped.rule(RULE).spec.new_story
    assert new_story is not None
    event = date_story(doc, match.spans, new_story, shipped.gazetteer)
    return story_key(doc, new_story.key, shipped.gazetteer, spans=match.spans, event=event)


@pytest.mark.parametrize(
    ("body", "place"),
    [
        # the place hangs from the meeting through the prepositions in between
        ("Takaichi met Lee on the sidelines of the G7 summit in Hiroshima on Monday.", "hiroshima"),
        ("Takaichi arrived in Busan on Tuesday for a meeting with President Lee.", "busan"),
        (
            "Takaichi met with President Lee at the presidential office in Seoul on Tuesday.",
            "seoul",
        ),
        # or from a participant or an apposition, where the parse often hangs it
        ("Takaichi welcomed President Lee in Busan on Tuesday for a summit.", "busan"),
        (
            "On Tuesday, a summit between Takaichi and President Lee in Busan ended early.",
            "busan",
        ),
        (
            "In a meeting on Tuesday in the heart of South Korea's second city, Busan, Takaichi "
            "held talks with President Lee.",
            "busan",
        ),
        # a place under another noun, in a clause of no meeting, is no venue
        (
            "During the visit, Takaichi will present Japan as a partner - a move that has been "
            "met with scepticism in Busan.\n\nTakaichi met Lee on Tuesday.",
            "?",
        ),
        (
            "Takaichi met Lee on Tuesday, the first leader to do so since a forum in Busan.",
            "?",
        ),
        (
            "Takaichi arrived in South Korea on Sunday for a two-day visit, which reciprocates "
            "a trip to Busan by President Lee.",
            "?",
        ),
    ],
)
def test_the_venue_is_the_place_the_parse_hangs_from_the_meeting(
    shipped: Watchlists, body: str, place: str
) -> None:
    assert _key(shipped, "Leaders of Japan and South Korea", *body.split("\n\n"))[2] == place


@pytest.mark.parametrize(
    "body",
    [
        "Takaichi and President Lee held a video meeting on Tuesday.",
        "Takaichi held talks with President Lee via a video link on Tuesday.",
        "Takaichi and President Lee met virtually on Tuesday.",
    ],
)
def test_a_meeting_at_a_distance_is_recorded_as_remote(shipped: Watchlists, body: str) -> None:
    """The guide: phone or video calls are not summits, whatever a rule's words say."""
    event = _event(shipped, "Leaders of Japan and South Korea", body)
    assert event.status == "remote"
    assert event.describe().endswith(": a call, not a meeting in person")


def test_the_object_of_after_is_over_whatever_its_form(shipped: Watchlists) -> None:
    event = _event(
        shipped, "Lawmakers Dismiss Trade Deal After Takaichi-Lee Meet", "Reactions in Seoul."
    )
    assert (event.status, event.mention and event.mention.tense) == ("new", "past")
    assert event.mention is not None and event.mention.cue == "after"


def test_a_when_clause_of_a_future_is_future(shipped: Watchlists) -> None:
    """English writes a future in a "when" clause in the present."""
    event = _event(
        shipped,
        "Takaichi will raise the islands when she visits Lee",
        "The trip is expected within months.",
    )
    assert (event.status, event.mention and event.mention.tense) == ("preview", "future")


def test_a_visit_by_others_is_not_theirs(shipped: Watchlists) -> None:
    event = _event(
        shipped,
        "A week of diplomacy",
        "President Lee on Saturday briefed Takaichi on the upcoming visit by African leaders "
        "to Seoul.",
    )
    assert event.status == "elsewhere"


def test_an_undated_recap_is_the_story_already_reported(shipped: Watchlists) -> None:
    """A past meeting with no date is some day of the month before: the pair's summit
    reported a fortnight earlier is the one meant, not a new story."""
    summit = RawItem(
        "feed",
        "a",
        "Takaichi and Lee meet in Nara\n\nTakaichi and President Lee met in Nara on Monday.\n",
        published=PUBLISHED,
    )
    recap = RawItem(
        "feed",
        "b",
        "Why the Nara summit mattered\n\nTakaichi's summit with President Lee in Nara was a "
        "turning point, analysts say.\n",
        published=PUBLISHED + timedelta(days=14),
    )
    assert _engine_run(shipped, [summit, recap]) == [
        ("a", "raised", None),
        ("b", "suppressed", "same story"),
    ]
    event = _event(
        shipped, "Why the summit mattered", "Takaichi's summit with President Lee was a success."
    )
    assert (event.lo, event.hi) == (date(2026, 2, 9), WED)
    assert "(before publication)" in event.describe()


def test_a_meeting_agreed_on_is_a_plan(shipped: Watchlists) -> None:
    """ "Has agreed on Lee visiting Tokyo": the perfect is the agreeing's, the visit is to come."""
    event = _event(
        shipped,
        "Takaichi says Seoul has agreed on President Lee visiting Tokyo",
        "No date was given.",
    )
    assert (event.status, event.mention and event.mention.tense) == ("preview", "future")


def test_date_words_that_contradict_the_tense_do_not_date_the_meeting(
    shipped: Watchlists,
) -> None:
    """ "Lee will visit Tokyo, days after a row": a future cannot lie before publication."""
    event = _event(
        shipped,
        "Leaders of Japan and South Korea",
        "President Lee will visit Takaichi in Tokyo, just days after a row over fisheries.",
    )
    assert (event.status, event.mention and event.mention.when) == ("preview", None)


def test_a_one_word_name_of_someone_else_is_a_third_party(shipped: Watchlists) -> None:
    """A surname that is no word of the pair's names is someone else ("Macron"); one that
    is ("Lee", which the gazetteer leaves unresolved alone) is not. (The small pipeline calls
    "Blinken" a place; "Macron" it knows.)"""
    event = _event(
        shipped,
        "A week of diplomacy",
        "Prime Minister Takaichi met Macron in Tokyo on Tuesday, as President Lee toured Busan.",
    )
    assert event.status == "elsewhere"


@pytest.mark.parametrize(
    ("speaker", "status"),
    [
        ("French President Emmanuel Macron", "elsewhere"),  # "he" is Macron: his meeting
        ("President Lee Jae Myung", "new"),  # "he" is Lee: theirs
    ],
)
def test_a_pronoun_participant_is_who_it_stands_for(
    shipped: Watchlists, speaker: str, status: str
) -> None:
    """ "…, said he met Takaichi": the pronoun stands for the subject above it
    (monitor.analysis.reference), so a third leader's meeting is not the pair's."""
    event = _event(
        shipped,
        "Lee and Takaichi in a busy week",
        f"{speaker}, who toured Asia this month, said he met Takaichi in Tokyo on Tuesday.",
    )
    assert event.status == status


@pytest.mark.parametrize(
    ("body", "status"),
    [
        # a denied or refused meeting is no meeting, like one called off
        ("Takaichi did not meet President Lee in Seoul on Tuesday.", "cancelled"),
        ("Takaichi refused to meet President Lee in Seoul on Tuesday.", "cancelled"),
        ("Takaichi will not hold talks with President Lee on Thursday.", "cancelled"),
        (
            "Takaichi ruled out a summit meeting with President Lee in Osaka on Tuesday.",
            "cancelled",
        ),
        ("Takaichi rejected a summit with President Lee in Osaka on Tuesday.", "cancelled"),
        # a meeting a verb confirms or announces is still to come
        (
            "Takaichi's office said relations are strong, confirming a summit with President Lee.",
            "preview",
        ),
        # the meeting itself, not what the leaders did not do at it
        ("Takaichi and President Lee did not sign a deal at their meeting on Tuesday.", "new"),
    ],
)
def test_a_denied_meeting_is_none_and_a_confirmed_one_is_a_plan(
    shipped: Watchlists, body: str, status: str
) -> None:
    assert _event(shipped, "Japan and South Korea", body).status == status


@pytest.mark.parametrize(
    "body",
    [
        # a person of neither side, though a name of the pair modifies them
        "Lee ally Marcos meets Takaichi in Tokyo on Tuesday.",
        # one country's own meeting
        "Takaichi spoke of President Lee at Japan's annual parliamentary meeting on Tuesday.",
        # a meeting of others, named by its of-object
        "Takaichi said after a summit of EU leaders on Tuesday that she would call President Lee.",
        # the meeting a relative clause says was someone else's
        "Lee praised Takaichi at the end of a visit where Marcos met Takaichi on Tuesday.",
        # the act a meeting noun is the circumstance of
        "Takaichi met Marcos, an ally of President Lee, on Tuesday in a state visit that Seoul "
        "praised.",
    ],
)
def test_whose_meeting_from_its_phrase(shipped: Watchlists, body: str) -> None:
    """Participants read from more of the parse: not the pair's meeting."""
    assert _event(shipped, "Japan and South Korea", body).status == "elsewhere"


def test_the_day_of_a_saying_read_as_a_second_clause_dates_only_the_saying(
    shipped: Watchlists,
) -> None:
    """ "…, the ministry said on Wednesday": the parser may conjoin the saying to the
    meeting's verb; its day is the saying's, and the title's dates say when they meet."""
    event = _event(
        shipped,
        "Takaichi to visit Seoul on March 18-19 for summit with Lee",
        "Prime Minister Sanae Takaichi will travel to South Korea for the annual summit with "
        "President Lee Jae Myung, the Ministry of Foreign Affairs said on Wednesday.",
    )
    assert event.status == "preview"


def test_a_dated_meeting_ahead_is_the_subjects_own(shipped: Watchlists) -> None:
    """ "Takaichi hails ties in Busan ahead of Friday meeting with Lee": a meeting to come
    that the text dates is the subject's next one (its day is no agent of it); undated,
    "ahead of talks with Lee" may be someone else's after the subject's."""
    event = _event(
        shipped, "Takaichi hails steadier ties in Busan ahead of Friday meeting with Lee"
    )
    assert (event.status, event.lo) == ("new", date(2026, 3, 13))


def test_a_ministers_meeting_is_someone_elses_without_the_pair_beside_it(
    shipped: Watchlists,
) -> None:
    """A minister the gazetteer knows is neither leader, so their meeting is another
    event even where no leader stands beside it to compare ("Motegi meets Cho in Seoul";
    the summit it prepares is still to come)."""
    event = _event(
        shipped,
        "Toshimitsu Motegi meets South Korean counterpart in Seoul",
        "The foreign ministers prepared a visit by Prime Minister Takaichi to President Lee "
        "in Seoul next month.",
    )
    assert event.status == "preview"


@pytest.mark.parametrize("name", ["Blinken", "Sunak", "Albanese"])
def test_a_proper_name_the_gazetteer_does_not_know_is_someone_else(
    shipped: Watchlists, name: str
) -> None:
    """The recogniser takes some surnames for places, peoples or nothing; a proper name
    among the participants that is no name of the gazetteer and no word of the pair's
    names is a third party all the same."""
    body = f"Takaichi met {name} in Tokyo on Tuesday, and spoke of President Lee."
    assert _event(shipped, "Japan and South Korea", body).status == "elsewhere"


@pytest.mark.parametrize(
    ("day", "lo", "hi"),
    [
        # said on a Monday of a past meeting: the past seven days, not the Monday alone
        ("2026-03-09", "2026-03-03", "2026-03-09"),
        # said on a Wednesday: the week so far, as before
        ("2026-03-11", "2026-03-09", "2026-03-15"),
    ],
)
def test_a_past_this_week_said_early_in_the_week_is_the_past_seven_days(
    day: str, lo: str, hi: str
) -> None:
    (words,) = find("Lula met Xi this week.")
    assert resolve(words, date.fromisoformat(day), "past") == (
        date.fromisoformat(lo),
        date.fromisoformat(hi),
    )


def test_a_fronted_date_the_clause_cut_leaves_out_still_dates_the_meeting(
    shipped: Watchlists,
) -> None:
    """ "Back in November, before the row, …": the date opens the sentence, outside the
    clause of the meeting word, but the parse hangs it from the meeting's act."""
    event = _event(
        shipped,
        "Takaichi's frustration with Seoul grows",
        "Back in November, before the row over the islands, Takaichi cast herself as a "
        "statesman in a meeting with President Lee.",
    )
    assert (event.status, event.lo) == ("recap", date(2025, 11, 1))


@pytest.mark.parametrize(
    ("body", "status"),
    [
        # a denial of another act, not of the meeting
        ("Takaichi did not mention her meeting with President Lee on Tuesday.", "new"),
        (
            "State media did not report the talks between Takaichi and President Lee on Tuesday.",
            "new",
        ),
        # a day owning the meeting is no one
        ("Takaichi hailed Tuesday's meeting with President Lee in Seoul.", "new"),
        # a city's summit is not a body's own meeting
        ("President Lee hosted Takaichi on Tuesday at Seoul's summit.", "new"),
    ],
)
def test_what_is_not_a_denial_a_stranger_or_a_body(
    shipped: Watchlists, body: str, status: str
) -> None:
    assert _event(shipped, "Japan and South Korea", body).status == status


@pytest.mark.parametrize(
    ("title", "body", "status", "day"),
    [
        # a meeting with several leaders, one word written twice
        (
            "A week of diplomacy",
            "Takaichi attends a quad meeting with with Albanese, Modi and President Lee in Seoul "
            "on Monday.",
            "new",
            "2026-03-09",
        ),
        # a count of meetings is their history
        ("Takaichi says she has met Lee 12 times", "", "recap", None),
        # "face-to-face" is no infinitive "to face"
        (
            "Leaders of Japan and South Korea",
            "Takaichi held her first face-to-face meeting with Lee on Monday.",
            "new",
            "2026-03-09",
        ),
        # a weekday before the date it spells out is that date
        (
            "Leaders of Japan and South Korea",
            "Takaichi met Lee in Seoul on Friday, Feb. 6, 2026.",
            "recap",
            "2026-02-06",
        ),
        # a purpose after a journey is as past as the journey
        ("Leaders of Japan and South Korea", "Takaichi landed in Seoul to meet Lee.", "new", None),
        # a headline's "to" is its "will": a "before" clause under it is still to come
        (
            "Japan, South Korea to hold security talks before Takaichi meets Lee",
            "",
            "preview",
            None,
        ),
    ],
)
def test_when_they_meet_from_the_words_around_it(
    shipped: Watchlists, title: str, body: str, status: str, day: str | None
) -> None:
    event = _event(shipped, title, body) if body else _event(shipped, title)
    assert event.status == status, event.describe()
    if day is not None:
        assert event.lo == date.fromisoformat(day)


@pytest.mark.parametrize(
    ("title", "body"),
    [
        # whose meeting? the meeting word names no one of them, or only their countries
        (
            "A week in Asia",
            "Takaichi said after meeting on Monday that she would not rush, and President Lee "
            "said Seoul can wait.",
        ),
        ("Takaichi calls President Lee's plan unworkable a day after Japan-Korea talks", ""),
        # a digest: each of them named beside a meeting word that is no one's
        (
            "Your Monday briefing",
            "Takaichi's budget passed. A meeting of central bankers ends on Monday. President "
            "Lee named a new minister.",
        ),
        # someone of one side's person is not that person; a crowd is no pair
        ("President Lee's wife meets Takaichi", "The first lady met Takaichi on Monday."),
        (
            "Takaichi meets President Lee's defence chief",
            "Takaichi met President Lee's defence minister in Tokyo on Monday.",
        ),
        (
            "G7 leaders at Hiroshima",
            "Meloni, Trudeau, Macron, Takaichi, President Lee, Scholz and Starmer posed for a "
            "photo before their summit on Monday.",
        ),
        # a third party's meeting that a name modifies; the one spoken to after it
        (
            "Takaichi calls President Lee reckless a day after Blinken visit",
            "Takaichi spoke on Monday.",
        ),
        ("Takaichi rebukes President Lee after talks in Seoul on Monday", ""),
        # "they" and "leaders" of others; one told or done-with during someone else's
        # meeting; a meeting to come after another; a sent envoy's talks; someone's visit a
        # host only hears of; a side's someone on a visit (a review's cases)
        (
            "A week in Asia",
            "The national security advisers of Takaichi and President Lee said they met in "
            "Seoul on Monday.",
        ),
        (
            "A week in Asia",
            "Takaichi and President Lee praised the negotiators on Monday, saying they had "
            "met for 20 hours.",
        ),
        (
            "Takaichi and President Lee hail ties",
            "Japanese and South Korean military leaders met in Busan on Monday.",
        ),
        (
            "A week in Asia",
            "President Lee urged Takaichi on Monday during a meeting with visiting senators.",
        ),
        ("A week in Asia", "Takaichi spoke with President Lee on Monday after a cabinet meeting."),
        (
            "A week in Asia",
            "Takaichi began a visit to France on Monday ahead of talks with President Lee in "
            "Seoul on Friday.",
        ),
        (
            "A week in Asia",
            "President Lee sent his envoy to Tokyo on Monday to hold talks with Takaichi.",
        ),
        (
            "A week in Asia",
            "President Lee received a report on Monday on Takaichi's visit to Paris.",
        ),
        (
            "A week in Asia",
            "Takaichi's chief negotiator made a visit to Seoul on Monday, President Lee's "
            "office said.",
        ),
    ],
)
def test_a_meeting_word_that_names_not_both_of_them_is_no_report_of_their_summit(
    shipped: Watchlists, title: str, body: str
) -> None:
    """With two sides, a new meeting is theirs only when the parse names the pair as its
    participants (each side's person, or one's person and the other's land)."""
    event = _event(shipped, title, body) if body else _event(shipped, title)
    assert event.status in ("unproven", "elsewhere", "undated"), event.describe()


@pytest.mark.parametrize(
    "sentence",
    [
        "Takaichi and Lee shook hands ahead of a bilateral meeting in Busan.",
        "Takaichi and Lee shook hands prior to talks in Busan.",
        "Takaichi and Lee were set to hold talks in Busan.",
    ],
)
def test_the_participants_of_a_meeting_just_before_or_to_come(sentence: str) -> None:
    """Just before a meeting counts as at it, and a verb with no subject of its own takes
    the one above it: the pair is read whatever the date (the dating judges that)."""
    from monitor.analysis.meetings import participants

    word = "meeting" if "meeting" in sentence else "talks"
    anchor = (sentence.index(word), sentence.index(word) + len(word))
    takaichi, lee = (0, 8), (13, 16)
    met = participants(sentence, anchor, [takaichi, lee], ([takaichi], [lee]))
    assert met.sides == (True, True), met


def test_a_second_subject_the_parser_hung_on_a_meeting_verb_is_not_its_own() -> None:
    """ "… is in Kyiv to see Zelensky as Xi meets Putin": the parser may give "meets" two
    subjects, "Zelensky" (the object of "see") and "Xi"; a verb has one, the nearer."""
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    from monitor.analysis.meetings import _stray_subjects

    words = ["Abe", "went", "to", "see", "Lee", "as", "Xi", "meets", "Putin"]
    heads = [1, 1, 3, 1, 7, 4, 7, 3, 7]
    deps = ["nsubj", "ROOT", "aux", "advcl", "nsubj", "prep", "nsubj", "ccomp", "dobj"]
    tags = ["NNP", "VBD", "TO", "VB", "NNP", "IN", "NNP", "VBZ", "NNP"]
    doc = Doc(Vocab(), words=words, heads=heads, deps=deps, tags=tags)
    assert _stray_subjects(doc[7]) == {4}
    assert _stray_subjects(doc[1]) == set()


def test_a_second_object_after_the_verbs_and_is_another_clauses() -> None:
    """ "Cho held talks with Iwaya, and the two discussed preparations for Lee's visit":
    the tagger may read "discussed" as an adjective and hang "preparations" on "held" as a
    second object; what comes after the verb's own "and" is not what was held, so the
    leaders named in it are not the talks' participants."""
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    from monitor.analysis.meetings import _stray_subjects

    words = ["Cho", "held", "talks", "with", "Iwaya", ",", "and", "the", "two", "discussed"]
    words += ["preparations", "for", "Lee", "'s", "visit"]
    heads = [1, 1, 1, 2, 3, 1, 1, 10, 10, 10, 1, 10, 14, 12, 11]
    deps = ["nsubj", "ROOT", "dobj", "prep", "pobj", "punct", "cc", "det", "nummod", "amod"]
    deps += ["dobj", "prep", "poss", "case", "pobj"]
    tags = ["NNP", "VBD", "NNS", "IN", "NNP", ",", "CC", "DT", "CD", "VBN"]
    tags += ["NNS", "IN", "NNP", "POS", "NN"]
    doc = Doc(Vocab(), words=words, heads=heads, deps=deps, tags=tags)
    assert _stray_subjects(doc[1]) == {10}
    # one object and a clause after "and" with its own verb: nothing stray
    words = ["Cho", "held", "talks", "and", "signed", "deals"]
    doc = Doc(
        Vocab(),
        words=words,
        heads=[1, 1, 1, 1, 1, 4],
        deps=["nsubj", "ROOT", "dobj", "cc", "conj", "dobj"],
        tags=["NNP", "VBD", "NNS", "CC", "VBD", "NNS"],
    )
    assert _stray_subjects(doc[1]) == set()


@pytest.mark.parametrize(
    "sentence",
    [
        "Takaichi hosts Lee in Tokyo for shuttle talks",
        "Takaichi Hosts Lee in Tokyo for Shuttle Talks",
        "Takaichi hosts Lee at the prime minister's residence",
    ],
)
def test_a_host_verb_the_tagger_took_for_a_noun_is_read_as_the_verb(sentence: str) -> None:
    """After a name the tagger reads "hosts" as a plural noun ("Takaichi" its compound);
    with an auxiliary before it, the verb it is: the host and the guest meet."""
    from monitor.analysis.meetings import participants

    anchor = (9, 14)
    takaichi, lee = (0, 8), (15, 18)
    met = participants(sentence, anchor, [takaichi, lee], ([takaichi], [lee]))
    assert met.sides == (True, True), met


@pytest.mark.parametrize(
    ("title", "body"),
    [
        # one side's leader going to the other side's land meets its leader there
        (
            "Leaders of Japan and South Korea",
            "Takaichi arrived in Seoul on Tuesday for a state visit, President Lee's office said.",
        ),
        (
            "Leaders of Japan and South Korea",
            "Takaichi will travel to Seoul tomorrow on a state visit, President Lee's office said.",
        ),
        # the pair named as the meeting's modifiers, or in apposition to it
        ("Lawmakers dismiss trade deal after Takaichi-Lee meet", "President Lee said little."),
        ("Takaichi and President Lee: a summit of firsts", ""),
        # a participle's noun is its subject: "the two leaders, meeting in …"
        (
            "Takaichi and President Lee pledge closer ties",
            "The two leaders, meeting in Busan on Monday, agreed to cooperate on energy.",
        ),
        # just after a meeting one was in, or a relative clause's noun (a review's cases)
        (
            "A week in Asia",
            "President Lee returned home on Monday after talks with Takaichi in Tokyo.",
        ),
        (
            "Trade in focus",
            "President Lee, who met Takaichi in Tokyo on Monday, called for a deal.",
        ),
        # who acts at a meeting no one else owns is in it
        (
            "Leaders of Japan and South Korea",
            "President Lee arrived in Tokyo on Tuesday for a summit with Takaichi.",
        ),
        # a relative clause's object; an object pronoun is not its own clause's subject;
        # one across a sentence; "they", "their" when the sentence names the pair alone
        ("Trade in focus", "President Lee, whom Takaichi met in Tokyo on Monday, urged calm."),
        (
            "Takaichi praises President Lee",
            "Asked about President Lee, Takaichi told reporters she met him on Monday and "
            "found him frank.",
        ),
        ("A week in Asia", "President Lee is in Tokyo this week. Takaichi met him on Monday."),
        ("A week in Asia", "Takaichi praised President Lee's resolve after they met on Monday."),
        (
            "A week in Asia",
            "Takaichi told President Lee at their meeting on Monday that Japan would help.",
        ),
        # "he"/"she" is no country: the person above ("… said Japan would …, after she …")
        (
            "Takaichi on chips",
            "Takaichi said Japan would act with care, after she and President Lee held talks "
            "in Seoul on Monday.",
        ),
        # a head for each side's land; a journey's place before it
        (
            "Summit ends rift",
            "Monday's summit between the Japanese and South Korean leaders ended a long rift.",
        ),
        ("Fisheries deal", "Takaichi's Seoul visit on Monday produced a deal, President Lee said."),
        # a circumstance no one else owns: a day or a venue owns no meeting; just before it;
        # the one spoken to during it; one name before it is the subject's partner
        (
            "A week in Asia",
            "Takaichi and President Lee signed a fisheries deal during Monday's state visit.",
        ),
        (
            "A week in Asia",
            "President Lee told Takaichi during talks in Tokyo on Monday that Seoul would help.",
        ),
        ("Takaichi departs President Lee meeting, after signalling trust", "It was Monday."),
        # the sayer, when what a meeting is the circumstance of is a thing's
        (
            "Trade in focus",
            "Takaichi said on Monday ties were never stronger after talks with President Lee.",
        ),
        (
            "Trade in focus",
            "President Lee said on Monday that ties with Japan were strong after meeting "
            "Takaichi in Seoul.",
        ),
        (
            "Trade in focus",
            "President Lee said democracy had prevailed as he met Takaichi on Monday.",
        ),
        (
            "Fisheries deal",
            "Takaichi's state visit in Seoul on Monday ended with a deal, President Lee said.",
        ),
    ],
)
def test_the_pair_s_meeting_is_read_from_its_phrase(
    shipped: Watchlists, title: str, body: str
) -> None:
    event = _event(shipped, title, body) if body else _event(shipped, title)
    assert event.status == "new", event.describe()


# -- from a second blind summit battery: shared subjects, datelines, "when", participles --


@pytest.mark.parametrize(
    ("body", "status", "place"),
    [
        # a second verb shares its first's subject; a "where" clause's place is the venue
        (
            "Takaichi left for Busan, where she will attend a forum and hold a separate "
            "meeting with President Lee on Thursday.",
            "new",
            "busan",
        ),
        # a dateline is read apart from the sentence it opens: "she" is still Takaichi
        (
            "TOKYO, March 11 (Reuters) - Takaichi left for Busan, where she will hold a "
            "meeting with President Lee on Thursday.",
            "new",
            "busan",
        ),
        # a noun read as a clause is an object: its "before meeting" is the subject's
        (
            "Takaichi presents Japan's Expo 2030 bid in Busan on Wednesday before meeting "
            "President Lee in the evening.",
            "new",
            "busan",
        ),
    ],
)
def test_subjects_shared_across_verbs_datelines_and_misread_nouns(
    shipped: Watchlists, body: str, status: str, place: str
) -> None:
    assert _event(shipped, "Leaders of Japan and South Korea", body).status == status
    assert _key(shipped, "Leaders of Japan and South Korea", body)[2] == place


def test_a_meeting_in_a_when_clause_of_an_expected_act_is_a_preview(shipped: Watchlists) -> None:
    """ "…, which Takaichi and Lee are expected to sign when they meet later in March":
    as much to come as the act it is the time of, whatever tense its verb has."""
    event = _event(
        shipped,
        "Japan and South Korea to upgrade their security declaration",
        "Officials are finalising a new declaration, which Takaichi and President Lee are "
        "expected to sign when they meet in Busan later in March, sources said.",
    )
    assert event.status == "preview"


def test_a_summit_a_bare_participle_tells_of_is_past(shipped: Watchlists) -> None:
    """ "Lee heads home saying summit dispelled doubts": the tagger's participle with a
    subject is a past tense; the headline's present is the going home."""
    event = _event(
        shipped,
        "Lee heads home saying summit dispelled doubts over ties",
        "President Lee returned to Seoul saying his talks with Takaichi had eased concerns.",
    )
    assert event.explain()["tense"] == "past"


def test_a_dinner_of_the_two_is_their_meeting(shipped: Watchlists) -> None:
    """A dinner or a lunch of the two is a meeting in person (the shipped rule's words),
    and who acts "over" it is in it, a third leader beside them too (the guide's
    trilateral counts for the two)."""
    event = _event(
        shipped,
        "Takaichi, Lee and Trump agree to step up pressure at Busan dinner",
        "Takaichi, President Lee and Trump agreed over dinner on Wednesday to seek new "
        "sanctions, officials said.",
    )
    assert event.status == "new"


# -- from a third blind summit battery: groups, lists of places, "a month after" ------------


@pytest.mark.parametrize(
    ("title", "body", "status"),
    [
        # "…, a month after Lee met Takaichi in Busan": the meeting is that long before the
        # act reported, not on its day
        (
            "Trump and Lee sign trade pact a month after Lee's trip to Busan",
            "Trump and President Lee signed a trade pact at the White House on Monday, a "
            "month after Lee met Takaichi in Busan.",
            "recap",
        ),
        # the meeting predicates include receive and greet; the shipped rule counts
        # them, and a time of day with no day of its own is the publication day's
        (
            "Live: Takaichi in Osaka this morning, then on to Busan",
            "Takaichi is in Osaka this morning before flying on to Busan, where President Lee "
            "will receive her at the presidential office at 3pm.",
            "new",
        ),
    ],
)
def test_a_measured_time_before_and_a_reception_at_a_time_of_day(
    shipped: Watchlists, title: str, body: str, status: str
) -> None:
    event = _event(shipped, title, body)
    assert event.status == status, event.describe()


def test_the_two_as_some_of_a_larger_group_do_not_hold_their_own_summit(
    shipped: Watchlists,
) -> None:
    """ "Asian leaders including Takaichi and Lee gathered for a summit": a meeting of the
    group, not the pair's (the guide: a multilateral gathering both attend is none)."""
    event = _event(
        shipped,
        "Asian leaders in Busan weigh trade rules",
        "Asian leaders including Japanese Prime Minister Takaichi and South Korean President "
        "Lee gathered on Wednesday for a two-day summit dominated by trade.",
    )
    assert event.status != "new", event.describe()


@pytest.mark.parametrize(
    ("title", "body", "place"),
    [
        # a journey through a list of places meets the pair at the one that is theirs
        (
            "Asia this week: Takaichi in Busan, storms, elections",
            "Our weekly roundup: Takaichi visited Paris and Busan on Monday and urged President "
            "Lee to spend more on defence; storms closed ports.",
            "busan",
        ),
        # another meeting beside theirs does not place theirs
        ("Takaichi welcomes President Lee as US-China talks open in Paris", "", "?"),
    ],
)
def test_the_venue_of_a_tour_and_of_a_meeting_beside_theirs(
    shipped: Watchlists, title: str, body: str, place: str
) -> None:
    paras = [body] if body else []
    assert _key(shipped, title, *paras)[2] == place


def test_a_headline_name_the_tagger_took_for_a_noun_is_the_subject() -> None:
    """ "Scholz heads to Warsaw on Tuesday for talks with Tusk": the tagger may hang the
    name on the verb as a compound; a verb has no compound, so it is the subject."""
    from monitor.analysis.meetings import participants

    sentence = "Scholz heads to Prague on Tuesday for talks with Fiala"
    anchor = (sentence.index("talks"), sentence.index("talks") + len("talks"))
    scholz, fiala = (0, 6), (sentence.index("Fiala"), sentence.index("Fiala") + 5)
    met = participants(sentence, anchor, [scholz, fiala], ([scholz], [fiala]))
    assert met.sides == (True, True), met


# -- from fourth and fifth blind summit batteries ---------------------------------------------


@pytest.mark.parametrize(
    ("title", "body", "new"),
    [
        # a meeting still talked over is no plan yet, whatever day it names
        (
            "Tokyo, Seoul discuss possible Takaichi-Lee meeting in Busan",
            "Japan and South Korea are in talks about a meeting between Takaichi and President "
            "Lee on Thursday, but nothing has been finalised, an official said.",
            False,
        ),
        # what is got ready for is still to come
        (
            "Officials prepare for summit",
            "Officials from both sides made preparations for Takaichi's visit to Seoul "
            "for talks with President Lee.",
            False,
        ),
        # who acts alongside the subject is at the meeting the act comes before
        (
            "Takaichi lands in Busan for a three-day visit",
            "Takaichi will watch the opening match alongside President Lee on Thursday before "
            "summit talks in Busan on Friday.",
            True,
        ),
        # "the two", after a verb of one on the other, are the pair
        (
            "Takaichi presses Lee on trade",
            "Takaichi pressed President Lee on Wednesday to finalise a trade deal as the two "
            "met in Busan.",
            True,
        ),
        # an adjective's subject is its infinitive's: "is due to meet"
        (
            "Takaichi addresses the National Assembly",
            "Takaichi addressed South Korea's parliament on Wednesday. She is due to meet "
            "President Lee in Busan on Thursday.",
            True,
        ),
        # no meeting is none; a crowd of leaders greeted is no meeting of two
        (
            "Takaichi honoured in New York",
            "Takaichi, in town for the UN General Assembly, has no meeting with President Lee "
            "on her schedule this week.",
            False,
        ),
        (
            "Takaichi welcomes leaders as summit opens",
            "Takaichi greeted President Lee and the other leaders at the resort on Wednesday as "
            "the regional summit opened.",
            False,
        ),
    ],
)
def test_talked_over_alongside_the_two_due_no_meeting_and_the_others(
    shipped: Watchlists, title: str, body: str, new: bool
) -> None:
    assert (_event(shipped, title, body).status == "new") is new, _event(shipped, title, body)


def test_a_dateline_in_another_country_than_the_meeting_places_nothing(
    shipped: Watchlists,
) -> None:
    """ "TOKYO — Takaichi will visit South Korea on Thursday": the report is filed from the
    visitor's capital; the meeting is in the other country, whose city it does not name."""
    key = _key(
        shipped,
        "Takaichi to visit South Korea on Thursday",
        "TOKYO, March 11 (Kyodo) - Takaichi will visit South Korea on Thursday for talks "
        "with President Lee, her office said.",
    )
    assert key[2] == "?"


def test_a_headline_phrase_after_a_dash_is_no_source() -> None:
    """ "Takaichi and Lee hold first talks - by video": words after a closing dash are a
    source's name ("- KCNA"), unless they open with a preposition: then they are the
    headline's own, and here they make the talks a call."""
    from monitor.analysis.meetings import remote
    from monitor.analysis.pipeline import _dashes

    title = "Takaichi and Lee hold first talks - by video"
    assert "by video" in _dashes(title)
    assert _dashes("Russia, North Korea sign defence pact - KCNA").rstrip().endswith("pact")
    anchor = (title.index("talks"), title.index("talks") + 5)
    assert remote(title, anchor, [(0, 8), (13, 16)]) == "by video"


@pytest.mark.parametrize(
    ("sentence", "word", "others"),
    [
        # a body's gathering, named by the body: the pair at it is no meeting of the two
        ("Lee left the Mercosur summit in Lima on Sunday to fly home.", "summit", True),
        ("Takaichi and Lee are attending the APEC summit in Lima.", "summit", True),
        ("Takaichi and Lee met at the Shanghai Cooperation Organisation summit.", "summit", True),
        # someone's own meeting there, and a place's summit, are not
        ("Takaichi held an APEC meeting with Lee in Lima.", "meeting", False),
        ("Takaichi and Lee laid flowers on the sidelines of the APEC summit.", "summit", False),
        ("Takaichi and Lee spoke at the Tokyo summit.", "summit", False),
    ],
)
def test_a_gathering_named_by_a_body_is_someone_elses(
    sentence: str, word: str, others: bool
) -> None:
    from monitor.analysis.meetings import participants

    anchor = (sentence.index(word), sentence.index(word) + len(word))
    names = [
        (sentence.index(n), sentence.index(n) + len(n))
        for n in ("Takaichi", "Lee", "Tokyo")
        if n in sentence
    ]
    met = participants(sentence, anchor, names)
    assert met.others is others, met


def test_a_date_of_the_first_clause_does_not_date_a_meeting_in_the_second() -> None:
    """ "Wang met Takaichi in Tokyo on Tuesday, and Takaichi said she looked forward to
    meeting Lee at the end of the month": Tuesday is the day of Wang's visit."""
    from monitor.analysis.meetings import dates_the_meeting

    s = (
        "Foreign Minister Wang met Takaichi in Tokyo on Tuesday, and Takaichi said she looked "
        "forward to meeting President Lee at the regional summit at the end of the month."
    )
    anchor = (s.index("meeting"), s.index("meeting") + 7)
    tuesday = (s.index("on Tuesday"), s.index("on Tuesday") + 10)
    assert not dates_the_meeting(s, anchor, tuesday, [])
    # the day of the meeting's own clause still dates it
    s = "Takaichi met Lee in Tokyo on Tuesday, and the two signed a pact."
    assert dates_the_meeting(s, (9, 12), (s.index("on Tuesday"), s.index("on Tuesday") + 10), [])


def test_talks_before_or_after_a_welcome_are_the_owners_own() -> None:
    """ "Takaichi welcomed Albanese on Sunday, two days after her talks with Lee": the talks
    are Takaichi's, not her guest's; "welcomed Albanese for his state visit" is the host's."""
    from monitor.analysis.meetings import participants

    s = (
        "Prime Minister Takaichi welcomed Albanese to her villa on Sunday, two days after her "
        "talks with Lee in Seoul."
    )
    anchor = (s.index("talks"), s.index("talks") + 5)
    albanese, lee = (
        (s.index("Albanese"), s.index("Albanese") + 8),
        (s.index("Lee"), s.index("Lee") + 3),
    )
    takaichi = (s.index("Takaichi"), s.index("Takaichi") + 8)
    met = participants(s, anchor, [takaichi, albanese, lee], ([albanese], [lee]), third=[takaichi])
    assert met.sides != (True, True), met


@pytest.mark.parametrize(
    ("sentence", "pair"),
    [
        # each meets the subject apart: the two listed do not meet each other
        ("Putin held separate talks in Kazan with Takaichi and Lee on Tuesday.", False),
        # the subject one of the pair: a meeting of the two, among others
        ("Takaichi held separate talks in Kazan with Lee and Putin on Tuesday.", True),
    ],
)
def test_separate_talks_meet_the_subject_apart(sentence: str, pair: bool) -> None:
    from monitor.analysis.meetings import participants

    anchor = (sentence.index("talks"), sentence.index("talks") + 5)
    spans = {
        n: (sentence.index(n), sentence.index(n) + len(n)) for n in ("Putin", "Takaichi", "Lee")
    }
    met = participants(
        sentence,
        anchor,
        list(spans.values()),
        ([spans["Takaichi"]], [spans["Lee"]]),
        third=[spans["Putin"]],
    )
    assert (met.sides == (True, True) and not met.someone_else) is pair, met


def test_an_office_named_after_its_holder_is_the_holder_at_a_meeting(
    shipped: Watchlists,
) -> None:
    """ "Lee arrives on Wednesday, Sanae Takaichi's birthday, and the prime minister will
    host him": the prime minister is Takaichi, "him" Lee: the hosting is their meeting."""
    body = (
        "President Lee Jae-myung arrives in Fukuoka on Wednesday, Sanae Takaichi's 65th "
        "birthday, and the prime minister will host him at a seaside inn."
    )
    event = _event(shipped, "Lee flies in for a dinner", body)
    (host,) = [m for m in event.mentions if m.anchor[0] > len("Lee flies in for a dinner")]
    assert host.pair, event


@pytest.mark.parametrize(
    ("body", "status"),
    [
        # the meeting's own date first, though the parser hangs the saying's day on "hoped"
        ("Takaichi said on Wednesday she hoped to meet Lee in Busan on Saturday.", "preview"),
        # a date of an act above an intention is that act's: the meeting has none
        ("President Lee arrived in Gimhae on Wednesday hoping for a meeting with Takaichi.", "preview"),
    ],
)  # fmt: skip
def test_own_dates_intentions_and_listed_meetings(
    shipped: Watchlists, body: str, status: str
) -> None:
    event = _event(shipped, "Leaders of Japan and South Korea", body)
    assert event.status == status, event


def test_every_form_of_hope_is_an_intention() -> None:
    """The small pipeline lemmatises "hoped", "hopes" and "hoping" as "hop"; the readers
    look the verb up by lemma."""
    from monitor.analysis.modality import modality

    for verb in ("hoped", "hopes", "is hoping"):
        s = f"Takaichi {verb} to meet Lee."
        assert modality(s, (s.index("meet"), s.index("meet") + 4), []).mood == "possible", verb


def test_a_meeting_scuttled_is_called_off(shipped: Watchlists) -> None:
    body = "An early exit by Takaichi scuttled a planned meeting with Lee on Wednesday."
    event = _event(shipped, "Leaders of Japan and South Korea", body)
    assert event.status == "cancelled", event


def test_the_second_noun_of_a_list_stands_where_the_first_does() -> None:
    """ "Lee will join her for a roadshow and a visit to the fort": the visit is whoever's
    the roadshow is, the one who joins."""
    from spacy.lang.en import English
    from spacy.tokens import Doc

    from monitor.analysis.meetings import _noun_parties

    words = ["Lee", "will", "join", "her", "for", "a", "roadshow", "and", "a", "visit"]
    heads = [2, 2, 2, 2, 2, 6, 4, 6, 9, 6]
    deps = ["nsubj", "aux", "ROOT", "dobj", "prep", "det", "pobj", "cc", "det", "conj"]
    pos = ["PROPN", "AUX", "VERB", "PRON", "ADP", "DET", "NOUN", "CCONJ", "DET", "NOUN"]
    tags = ["NNP", "MD", "VB", "PRP", "IN", "DT", "NN", "CC", "DT", "NN"]
    lemmas = ["Lee", "will", "join", "she", "for", "a", "roadshow", "and", "a", "visit"]
    vocab = English().vocab
    doc = Doc(vocab, words=words, heads=heads, deps=deps, pos=pos, tags=tags, lemmas=lemmas)
    roadshow = {t.text for t in _noun_parties(doc[6])}
    assert "Lee" in roadshow
    assert {t.text for t in _noun_parties(doc[9])} == roadshow


def test_a_thing_the_pair_only_names_meets_nobody(shipped: Watchlists) -> None:
    """ "The Takaichi-Lee migration pact meets the summer crossings": the pact is what
    "meets", the leaders only name it; their meeting a month before is a recap."""
    event = _event(
        shipped,
        "A month on, the Takaichi-Lee migration pact meets the summer crossings",
        "Since Lee visited Takaichi in Tokyo on February 9, arrivals by sea have risen.",
    )
    assert event.status != "new"


def test_sitting_down_with_the_other_is_a_meeting_word_of_the_shipped_rule(
    shipped: Watchlists,
) -> None:
    """ "On Thursday he sits down with Lee": the shipped rule's words of meeting hold every
    form of "sit down", not only "sat down"; its date is the meeting's."""
    event = _event(shipped, "Leaders of Japan and South Korea",
                   "On Thursday Takaichi sits down with President Lee in Busan.")  # fmt: skip
    assert (event.status, event.lo.isoformat()) == ("new", "2026-03-12")
