"""Normalization: folding, sentence splitting, furniture removal, bounds, the Article shape."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitor.article import Article, RawItem
from monitor.normalize import fold, normalize, split_sentences
from monitor.normalize.bounds import (
    ITEM_ID_MAX_CHARS,
    PARAGRAPH_MAX_CHARS,
    TEXT_MAX_CHARS,
    TITLE_MAX_CHARS,
    URL_MAX_CHARS,
    bound_utf8,
    shorten,
)
from monitor.normalize.furniture import classify, strip_furniture
from monitor.normalize.text import DASHES, FOLD, collapse, fold_term

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

# A long real paragraph, reused so each site-style fixture reads like an article.
P1 = (
    "The foreign ministers of Japan and South Korea met in Tokyo on Tuesday and agreed to "
    "expand their cooperation on maritime security and supply chains."
)
P2 = (
    "Officials said the talks lasted two hours and covered the missile launches of recent "
    "weeks, as well as a planned trilateral exercise with the United States."
)
P3 = (
    "Analysts in Seoul said the meeting showed that the thaw between the two neighbours had "
    "survived a change of government, despite lingering disputes over history."
)


def _raw(text: str, title: str | None = None) -> RawItem:
    return RawItem(source="test", item_id="item-1", text=text, title=title)


def _split(text: str) -> tuple[list[str], list[str]]:
    lines = [c for c in (collapse(x) for x in fold(text).splitlines()) if c]
    return strip_furniture(lines)


# --- fold / collapse ---------------------------------------------------------------------


def test_fold_quotes_and_spaces() -> None:
    assert fold("North Korea’s ‘test’ “launch”") == "North Korea's 'test' \"launch\""
    assert fold("a\u00a0b\u2009c\u3000d") == "a b c d"
    assert fold("„x‟ ′ ″ ` ´") == "\"x\" ' \" ' '"


def test_fold_keeps_dashes_and_maps_invisibles_to_space() -> None:
    assert fold("Seoul–Tokyo — talks") == "Seoul–Tokyo — talks"
    assert fold("a\u00adb\u200bc\ufeffd") == "a b c d"


def test_fold_table_is_one_to_one() -> None:
    assert all(isinstance(v, int) for v in FOLD.values())


@given(st.text())
def test_fold_preserves_length_and_is_idempotent(text: str) -> None:
    folded = fold(text)
    assert len(folded) == len(text)
    assert fold(folded) == folded


def test_fold_term_is_fold_lowered_with_dashes_as_spaces() -> None:
    for spelling in ("Yoon Suk-yeol", "YOON SUK\u2010YEOL", "Yoon Suk\u2011yeol", "yoon  suk yeol"):
        assert fold_term(spelling) == "yoon suk yeol"
    assert fold_term("Seoul\u2013Tokyo \u2014 talks") == "seoul tokyo talks"
    assert fold_term("North Korea\u2019s \u201cTest\u201d") == 'north korea\'s "test"'
    # every quote ``fold`` knows, not a subset: U+201B, U+2032, U+02BC, U+FF07, U+00B4
    for quote in "\u201b\u2032\u02bc\uff07\u00b4`":
        assert fold_term(f"Korea{quote}s") == "korea's"
    assert fold_term("Pyong\u00adyang\u00a0") == "pyong yang"  # as ``fold`` treats article text


@given(st.text())
def test_fold_term_is_built_on_fold_and_idempotent(text: str) -> None:
    folded = fold_term(text)
    assert fold_term(folded) == folded
    assert fold_term(fold(text)) == folded
    assert not set(folded) & (set(DASHES) | {chr(k) for k in FOLD})


@given(st.text())
def test_collapse_has_no_whitespace_runs(text: str) -> None:
    out = collapse(text)
    assert out == out.strip()
    assert "  " not in out
    assert out.split() == text.split()


# --- split_sentences ---------------------------------------------------------------------


def test_split_basic() -> None:
    assert split_sentences("It rained. Then it stopped! Why? Nobody knows.") == (
        "It rained.",
        "Then it stopped!",
        "Why?",
        "Nobody knows.",
    )


def test_split_keeps_closing_quotes_with_sentence() -> None:
    assert split_sentences('He said, "We agree." The talks ended.') == (
        'He said, "We agree."',
        "The talks ended.",
    )
    assert split_sentences("(It was late.) Talks resumed.") == ("(It was late.)", "Talks resumed.")


def test_split_starts_on_quote_or_digit() -> None:
    assert split_sentences('It ended. "We won," he said. 2024 was hard.') == (
        "It ended.",
        '"We won," he said.',
        "2024 was hard.",
    )


@pytest.mark.parametrize(
    "text",
    [
        "The U.S. Navy and the U.N. Security Council responded.",
        "Mr. Kim and Mrs. Lee met Dr. Tanaka and Gov. Smith.",
        "Sen. Brown, Rep. Jones and St. Louis officials met Jan. 5 and Dec. 12.",
        "It was resolution No. 2231 in Korea vs. Japan talks.",
        "Allies, e.g. Australia, and partners, i.e. Canada, joined.",
        "The report by J. Smith and K. Lee was published.",
        "Kim Jong Un met Sept. Officials later.",
    ],
)
def test_split_does_not_break_after_abbreviations(text: str) -> None:
    assert split_sentences(text) == (text,)


def test_split_needs_capital_after_punctuation() -> None:
    assert split_sentences("Version 2.5 shipped. version 3 did not.") == (
        "Version 2.5 shipped. version 3 did not.",
    )


def test_split_empty() -> None:
    assert split_sentences("") == ()
    assert split_sentences("   ") == ()


@given(st.lists(st.sampled_from(["Mr.", "Kim", "said.", "It", "U.S.", "rained!", '"Yes."', "5"])))
def test_split_sentences_keeps_all_words(words: list[str]) -> None:
    paragraph = " ".join(words)
    sentences = split_sentences(paragraph)
    assert " ".join(sentences).split() == paragraph.split()
    assert all(s == s.strip() and s for s in sentences)


@given(st.text())
def test_split_sentences_keeps_all_words_any_text(text: str) -> None:
    assert " ".join(split_sentences(text)).split() == text.split()


# --- furniture: site styles --------------------------------------------------------------


def test_wordpress_related_posts_leave_a_reply_share_this() -> None:
    text = f"""Japan, South Korea agree to expand maritime cooperation

{P1}

{P2}

Share this:
Twitter
Facebook
Like this:
Related Posts
Canada and Mexico sign new trade framework
Brazil's president visits Argentina amid drought
Germany weighs new budget rules
Leave a Reply
Your email address will not be published. Required fields are marked *
"""
    content, furniture = _split(text)
    assert content[1:] == [P1, P2]
    for gone in (
        "Share this:",
        "Related Posts",
        "Canada and Mexico sign new trade framework",
        "Brazil's president visits Argentina amid drought",
        "Leave a Reply",
    ):
        assert gone in furniture


def test_japanese_newspaper_popular_article_and_access_ranking() -> None:
    text = f"""Japan and South Korea Hold Security Talks
08:15 JST, March 3, 2025
TOKYO (Staff) — {P1}
{P2}
"Economy" POPULAR ARTICLE
-
Canadian Pension Funds Eye Tokyo Real Estate; Yen Weakness Draws Buyers
-
Indonesia to Build New Capital Airport by 2027
JP ACCESS RANKING
-
Philippine Coast Guard Reports Encounter Near Reef
-
Vietnam Exports Rise for Fifth Month
"""
    content, furniture = _split(text)
    assert content == [
        "Japan and South Korea Hold Security Talks",
        "08:15 JST, March 3, 2025",
        f"TOKYO (Staff) — {P1}",
        P2,
    ]
    assert "Indonesia to Build New Capital Airport by 2027" in furniture
    assert "Vietnam Exports Rise for Fifth Month" in furniture
    assert furniture.count("-") == 4


def test_related_stories_in_the_middle_then_more_paragraphs() -> None:
    text = f"""{P1}

{P2}

RELATED STORIES

Canada, Australia sign critical minerals deal

India and Pakistan trade accusations over border clash

{P3}

"We will not back down," the minister said.

Edited by Jane Doe.
"""
    content, furniture = _split(text)
    quote = '"We will not back down," the minister said.'
    assert content == [P1, P2, P3, quote, "Edited by Jane Doe."]
    assert furniture == [
        "RELATED STORIES",
        "Canada, Australia sign critical minerals deal",
        "India and Pakistan trade accusations over border clash",
    ]


def test_recent_posts_with_teasers_and_relative_times() -> None:
    text = f"""{P1}
{P2}
Recent Posts
Thailand's new prime minister faces coalition test
Bangkok's ruling coalition was shaken on Monday after two parties threatened to…
3 hours ago
Why Chile's lithium plan matters for Europe
Santiago wants a larger share of the profits from the metal, and European buyers...
1 day ago
"""
    content, furniture = _split(text)
    assert content == [P1, P2]
    assert "Thailand's new prime minister faces coalition test" in furniture
    assert "3 hours ago" in furniture and "1 day ago" in furniture


def test_cookie_banner_and_newsletter_and_copyright() -> None:
    text = f"""{P1}
We use cookies to improve your experience. By using this site you agree to our use of cookies.
Accept all cookies
Sign up for our free morning newsletter to get the day's top stories in your inbox.
{P2}
Advertisement
Follow us on X
Copyright © 2025 Example Media. All rights reserved.
#Japan #Korea
"""
    content, furniture = _split(text)
    assert content == [P1, P2]
    assert len(furniture) == 7


def test_top_of_page_navigation_and_headline_as_title() -> None:
    text = f"""Connect with us

World

Japan and South Korea pledge closer defense ties

Published

on

{P1}

{P2}

Continue Reading

Read more
"""
    article = normalize(_raw(text))
    assert article.title == "Japan and South Korea pledge closer defense ties"
    assert article.paragraphs == (P1, P2)
    assert "Connect with us" in article.furniture
    assert "World" in article.furniture and "on" in article.furniture
    assert "Continue Reading" in article.furniture


def test_headerless_run_of_headlines_is_furniture() -> None:
    text = f"""{P1}
{P2}
Norway's sovereign fund posts record gain
Kenya and Ethiopia reopen border crossing
Peru's congress votes to remove minister
"""
    content, furniture = _split(text)
    assert content == [P1, P2]
    assert len(furniture) == 3


def test_subheadings_interview_lines_and_short_quotes_stay() -> None:
    text = f"""{P1}
**Interview with a regional security analyst**
**Editor:** How do you see this cooperation evolving?
**Analyst:** Slowly, but steadily.
Trade and supply chains
{P2}
"No," he said.
Why now?
{P3}
"""
    content, furniture = _split(text)
    assert furniture == []
    assert len(content) == 9


def test_two_subheadings_in_a_row_stay() -> None:
    # three headline-like lines in a row are a link list; two are not
    content, _ = _split(f"{P1}\nThe view from Seoul and Tokyo\nWhat comes next\n{P2}\n")
    assert content == [P1, "The view from Seoul and Tokyo", "What comes next", P2]


def test_two_word_lines_are_navigation_labels() -> None:
    content, furniture = _split(f"{P1}\nPart two\n{P2}\n")
    assert content == [P1, P2]
    assert furniture == ["Part two"]


def test_body_bullet_points_are_not_a_link_list() -> None:
    text = (
        f"{P1}\nKey points\n- Japan to expand coast guard patrols\n- Seoul to host drills\n"
        f"- Leaders to meet again in May\n{P2}\n"
    )
    content, _ = _split(text)
    assert "- Seoul to host drills" in content


def test_prose_starting_with_furniture_words_is_kept() -> None:
    lines = [
        P1,
        "Share prices in Tokyo fell sharply after the announcement.",
        "Follow the money, investigators said, and you find the ministry.",
        "Advertising revenue at the broadcaster fell by a third last year, it said.",
        "Copyright holders in South Korea have sued the platform over the clips.",
        "Related talks with Beijing are expected to begin next month in Seoul, the ministry said.",
    ]
    content, furniture = strip_furniture(lines)
    assert furniture == []
    assert content == lines


def test_classify_gives_reasons() -> None:
    lines = [P1, "Most Read", "Chile elects new president", P2, "This website uses cookies."]
    reasons = classify(lines)
    assert reasons == [None, "list-header", "list-item", None, "cookies"]


def test_strip_furniture_empty() -> None:
    assert strip_furniture([]) == ([], [])


@given(st.lists(st.text(min_size=1).map(collapse).filter(bool), max_size=20))
def test_strip_furniture_partitions_in_order(lines: list[str]) -> None:
    content, furniture = strip_furniture(lines)
    assert len(content) + len(furniture) == len(lines)
    it = iter(lines)
    assert all(line in it for line in content)  # content is a subsequence
    it = iter(lines)
    assert all(line in it for line in furniture)


# --- normalize ---------------------------------------------------------------------------


def test_normalize_drops_repeated_headline_and_sets_lead() -> None:
    text = f"Leaders Meet in Lima\n\nLeaders Meet in Lima\n\nBy Jane Doe, Lima\n\n{P1}\n\n{P2}\n"
    article = normalize(_raw(text))
    assert article.title == "Leaders Meet in Lima"
    assert article.paragraphs == ("By Jane Doe, Lima", P1, P2)
    assert article.lead_end == 2
    assert article.lead == ("By Jane Doe, Lima", P1)
    assert article.sentences == tuple(split_sentences(p) for p in article.paragraphs)


def test_normalize_with_source_title() -> None:
    raw = RawItem(
        source="feed",
        item_id="x",
        text=f"Ministers’ talks\n{P1}",
        title="  Ministers’ \u00a0talks ",
        url="https://example.com/a",
    )
    article = normalize(raw)
    assert article.title == "Ministers' talks"
    assert article.paragraphs == (P1,)
    assert article.url == "https://example.com/a"
    expected = hashlib.sha256(f"Ministers' talks\n{P1}".encode()).hexdigest()
    assert article.content_hash == expected


def test_normalize_empty_and_title_only() -> None:
    empty = normalize(_raw(""))
    assert (empty.title, empty.paragraphs, empty.lead_end) == ("", (), 0)
    only = normalize(_raw("Just a headline here\n\nAdvertisement\n"))
    assert only.title == "Just a headline here"
    assert only.paragraphs == ()
    assert only.lead_end == 0
    short = normalize(_raw("A headline here\nShort line one.\nShort line two."))
    assert short.lead_end == 1


def test_normalize_hash_is_stable_and_ignores_whitespace_and_quote_style() -> None:
    a = normalize(_raw(f"Title’s here\n\n{P1}\n"))
    b = normalize(_raw(f"  Title's   here \r\n\r\n\r\n {P1}  "))
    assert a.content_hash == b.content_hash
    c = normalize(_raw(f"Title's here\n\n{P2}\n"))
    assert c.content_hash != a.content_hash


def test_normalize_payload_round_trip() -> None:
    article = normalize(_raw(f"Headline of the day\n{P1} Mr. Kim agreed. {P2}\nRead more"))
    again = Article.from_payload(article.to_payload())
    assert again == article
    # sentences are not stored: whoever needs them splits again, with the same result
    assert tuple(split_sentences(p) for p in again.paragraphs) == article.sentences
    assert len(article.sentences[0]) == 3


# --- seeds: general properties only ------------------------------------------------------


def _seed(prefix: str) -> Article:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return normalize(RawItem(source="seeds", item_id=path.name, text=path.read_text("utf-8")))


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seeds not present")
class TestSeeds:
    def test_every_seed_has_title_and_body_without_curly_quotes(self) -> None:
        for path in sorted(SEEDS.glob("*.txt")):
            raw = RawItem(source="s", item_id=path.name, text=path.read_text("utf-8"))
            article = normalize(raw)
            assert article.title
            assert article.paragraphs
            text = article.title + article.body
            assert not set(text) & set("‘’“”\u00a0")

    def test_related_stories_and_recent_posts_are_furniture(self) -> None:
        article = _seed("003")
        furniture = " ".join(article.furniture)
        assert "RELATED STORIES" in article.furniture
        assert "Recent Posts" in article.furniture
        assert "Myanmar" not in article.body and "Myanmar" in furniture
        assert "Kamala Harris" not in article.body
        assert "9 hours ago" in article.furniture
        assert "This website uses cookies." in article.furniture
        assert any("Lee Jin-man" in p for p in article.paragraphs)
        # real paragraphs after the mid-article link list stay
        assert any(p.startswith("Yoon and Luxon denounced") for p in article.paragraphs)

    def test_page_navigation_is_not_the_title(self) -> None:
        article = _seed("004")
        assert article.title.startswith("Japan, South Korea Leaders")
        assert "Connect with us" in article.furniture
        assert "Continue Reading" in article.furniture
        assert not any(p.startswith("Copyright") for p in article.paragraphs)

    def test_ranking_lists_are_furniture_and_title_is_kept(self) -> None:
        article = _seed("001")
        assert article.title.startswith("Japan's Ishiba, South Korea's Yoon")
        assert "Chinese Tourists" not in article.body
        assert any("Chinese Tourists" in f for f in article.furniture)
        assert article.paragraphs[-1].startswith("Speaking to reporters")

    def test_repeated_headline_and_interview_are_handled(self) -> None:
        article = _seed("000")
        assert article.paragraphs[0] != article.title
        assert any(p.startswith("**Editor:** How do you see") for p in article.paragraphs)
        assert "Leave a Replay" in article.furniture
        assert "North Korea's" in article.body

    def test_hashtag_line_is_furniture(self) -> None:
        article = _seed("002")
        assert not any(p.startswith("#") for p in article.paragraphs)


@given(st.text())
def test_fold_equals_translate_table(text: str) -> None:
    assert fold(text) == text.translate(FOLD)


def test_single_inline_related_link_is_furniture() -> None:
    text = (
        f"Headline of the day\n{P1}\n"
        "Related: Pyongyang and Moscow sign new military pact\n"
        f"{P2}\nWatch: Kim and Putin ride in a limousine\n{P3}\n"
    )
    content, furniture = _split(text)
    assert furniture == [
        "Related: Pyongyang and Moscow sign new military pact",
        "Watch: Kim and Putin ride in a limousine",
    ]
    assert content[-1] == P3


# --- hostile text: control and bidi characters, bounds ---------------------------------------


def test_normalize_deletes_control_and_bidi_characters_from_title_text_and_link() -> None:
    raw = RawItem(
        source="feed",
        item_id="id\x00-1",
        title="Kim\u202e meets\x00 Pu\u200btin\u2066 in\x1b[31m Moscow\u2069\u200e",
        text=f"First\x07 line\u061c here\x9b2J\n{P1}\tand\u202a more\u202c\n",
        url=" java\tscript:alert(1)\u202e ",
    )
    article = normalize(raw)
    assert article.title == "Kim meets Pu tin in[31m Moscow"  # U+200B is a space (fold)
    assert article.paragraphs == ("First line here2J", f"{P1} and more")
    assert article.url == "javascript:alert(1)"  # cleaned; the templates refuse its scheme
    assert article.item_id == "id-1"
    assert article.truncated == ()  # cleaning is not truncation


def test_normalize_keeps_line_breaking_controls_as_breaks() -> None:
    article = normalize(_raw(f"Headline of the day\r\n{P1}\x0c{P2}\x85{P3}\x1e\tEnd line here."))
    assert article.paragraphs == (P1, P2, P3, "End line here.")


def test_a_lone_surrogate_from_a_json_feed_does_not_break_the_hash() -> None:
    article = normalize(_raw("Body text.", title="Kim \ud800meets Putin"))
    assert article.title == "Kim meets Putin"
    assert len(article.content_hash) == 64


def test_normalize_cuts_a_long_title_at_a_word_boundary_and_records_it() -> None:
    title = "Kim Jong Un and Vladimir Putin meet again " * 50
    article = normalize(_raw(P1, title=title))
    assert len(article.title) <= TITLE_MAX_CHARS
    assert article.title.endswith("…") and title.startswith(article.title[:-1] + " ")
    assert article.truncated == ("title",)
    # without a source title the first line is the title, bounded the same way
    from_body = normalize(_raw(f"{title}\n{P1}"))
    assert from_body.title == article.title and from_body.paragraphs == (P1,)
    # a repeated headline is recognised on the whole line, before the cut
    repeated = normalize(_raw(f"{title}\n{P1}", title=title))
    assert repeated.paragraphs == (P1,)


def test_normalize_bounds_each_paragraph_and_the_whole_body() -> None:
    long_paragraph = " ".join([P1] * 200)  # ~29,000 characters on one line
    one = normalize(_raw(f"Headline of the day\n{long_paragraph}\n{P2}"))
    assert len(one.paragraphs[0]) <= PARAGRAPH_MAX_CHARS and one.paragraphs[0].endswith("…")
    assert one.paragraphs[1] == P2
    assert one.truncated == ("text",)
    many = normalize(_raw("Headline of the day\n" + f"{long_paragraph}\n" * 40))
    assert len(many.body) <= TEXT_MAX_CHARS
    assert 9 <= len(many.paragraphs) < 40
    assert many.truncated == ("text",)
    furniture = normalize(_raw(f"Headline of the day\n{P1}\n" + "Advertisement\n" * 30_000))
    assert len("\n".join(furniture.furniture)) <= TEXT_MAX_CHARS
    assert furniture.truncated == ("furniture",)


def test_normalize_drops_an_overlong_link_and_bounds_a_long_item_id() -> None:
    base = RawItem(source="feed", item_id="x" * 5_000 + "a", text=P1, title="Title here")
    article = normalize(replace(base, url="https://example.org/?q=" + "a" * URL_MAX_CHARS))
    assert article.url is None
    assert len(article.item_id) == ITEM_ID_MAX_CHARS
    assert article.truncated == ("url", "item")
    other = normalize(replace(base, item_id="x" * 5_000 + "b"))
    assert other.item_id != article.item_id  # a digest of the whole id keeps them apart
    assert normalize(base).item_id == article.item_id
    ok = normalize(replace(base, item_id="guid-1", url="https://example.org/" + "a" * 2_000))
    assert ok.url is not None and ok.truncated == ()


def test_truncation_is_recorded_in_the_payload_and_old_payloads_still_load() -> None:
    article = normalize(_raw(P1, title="word " * 200))
    payload = article.to_payload()
    assert payload["truncated"] == ["title"]
    assert Article.from_payload(payload) == article
    del payload["truncated"]  # an ArticleObserved recorded before the field existed
    assert Article.from_payload(payload).truncated == ()


def test_shorten_and_bound_utf8() -> None:
    assert shorten("short", 10) == "short"
    assert shorten("one two three four", 12) == "one two…"
    assert shorten("one two three", 8) == "one two…"  # the cut falls on a space
    assert shorten("a" * 20, 5) == "aaaa…"  # no space: cut mid-word
    assert shorten("北朝鮮とロシア", 4) == "北朝鮮…"
    assert bound_utf8("é" * 10, 20) == "é" * 10
    cut = bound_utf8("é" * 200, 300)
    assert len(cut.encode()) <= 300 and cut.endswith("…")
    emoji = bound_utf8("a" * 297 + "😀", 300)
    assert len(emoji.encode()) <= 300 and emoji.endswith("…")


@given(st.text(), st.integers(min_value=1, max_value=50))
def test_shorten_never_exceeds_its_limit(text: str, limit: int) -> None:
    out = shorten(text, limit)
    assert len(out) <= limit
    assert out == text or out.endswith("…")
