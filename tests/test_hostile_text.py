"""Hostile text the way a hostile feed sent it (issue 7: items 4, 8 and the bidi part of 10).

Each attack starts as RSS bytes, goes through ``parse_feed``, normalization,
the rule engine (the shipped ``north-korea-russia`` rule) and the outbox, and
ends in a real SMTP server (aiosmtpd) and a local stand-in for Slack's
webhook, exactly the path a poll takes in the daemon:

* a 2,000,005-character title (it used to be stored whole, and encoding it as
  an email subject took the standard library minutes of CPU per attempt);
* ``javascript:`` and ``data:`` article links (they reached HTML email as
  ``href``);
* a right-to-left override (U+202E) in a title (it reached subjects and Slack).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest
from smtpsink import SmtpSink
from test_notify import SLACK_URL, channels_for, open_log, parts, slack  # noqa: F401

from monitor.article import Article
from monitor.normalize import normalize
from monitor.normalize.bounds import SUBJECT_MAX_CHARS, TITLE_MAX_CHARS
from monitor.notify.outbox import Outbox
from monitor.notify.templates import Templates
from monitor.replay import observe
from monitor.rules.engine import RuleEngine
from monitor.rules.watchlist import Watchlists
from monitor.sources.feedfile import parse_feed
from monitor.store.log import EventLog

FEED_URL = "https://hostile.example/feed.xml"
BODY = (
    "<p>North Korean troops have arrived in Russia, officials in Seoul said on Monday.</p>"
    "<p>Kim Jong Un and Vladimir Putin signed the mutual defence pact in Pyongyang in June.</p>"
)
HEADLINE = "Kim Jong Un and Putin deepen their pact — "  # the em dash keeps it non-ASCII
HUGE = 2_000_005
HREF = re.compile(r"""href\s*=\s*["']?([^"'\s>]*)""", re.IGNORECASE)


def rss(title: str, link: str, guid: str = "hostile-1") -> bytes:
    """One RSS 2.0 item, escaped as a real feed would be."""
    return (
        "<?xml version='1.0' encoding='utf-8'?>"
        '<rss version="2.0"><channel><title>Hostile</title><link>https://hostile.example/</link>'
        f"<item><title>{escape(title)}</title><link>{escape(link)}</link>"
        f'<guid isPermaLink="false">{guid}</guid>'
        "<pubDate>Mon, 18 Nov 2024 09:00:00 GMT</pubDate>"
        f"<description>{escape(BODY)}</description></item>"
        "</channel></rss>"
    ).encode()


def feed_articles(body: bytes) -> list[Article]:
    return [normalize(raw) for raw in parse_feed(body, source="hostile", url=FEED_URL)]


def poll(log: EventLog, body: bytes, shipped: Watchlists) -> list[Article]:
    """What one poll of the feed does: parse, normalize, append; then the rule engine."""
    articles = feed_articles(body)
    observe(log, articles)
    RuleEngine(log, shipped).run()
    return articles


@pytest.fixture
def log(tmp_path: Path) -> Iterator[EventLog]:
    log = open_log(f"sqlite:///{tmp_path / 'monitor.db'}")
    yield log
    log.close()


@pytest.fixture(scope="module")
def templates() -> Templates:
    return Templates.load()


def huge_title() -> str:
    return (HEADLINE * (HUGE // len(HEADLINE) + 1))[:HUGE]


# -- a 2 MB title -------------------------------------------------------------------------


def test_a_two_megabyte_feed_title_is_cut_at_normalization_and_says_so() -> None:
    body = rss(huge_title(), "https://hostile.example/news/1")
    assert len(body) > 2_000_000
    (article,) = feed_articles(body)
    assert len(article.title) <= TITLE_MAX_CHARS
    assert article.title.startswith(HEADLINE) and article.title.endswith("…")
    assert not article.title.endswith(" …")  # cut at a word boundary, not mid-space
    assert article.truncated == ("title",)
    assert article.paragraphs[0].startswith("North Korean troops")
    payload = article.to_payload()
    assert payload["truncated"] == ["title"]
    assert Article.from_payload(payload) == article
    assert feed_articles(body)[0].content_hash == article.content_hash  # still deterministic


def test_a_two_megabyte_title_is_emailed_with_a_truncated_subject(
    log: EventLog, smtp: SmtpSink, templates: Templates, shipped: Watchlists
) -> None:
    """Before the bounds this send did not finish: apprise hands the subject to the
    standard library's header encoder, which re-measures the whole encoded line after
    every character (quadratic: 100,000 characters took 181 s), and the outbox gave up
    on it after ``send_timeout``."""
    poll(log, rss(huge_title(), "https://hostile.example/news/1"), shipped)
    outbox = Outbox(log, channels_for({"mail": smtp.url}), templates, send_timeout=20)
    assert outbox.run() == (1, 1)
    (msg,) = smtp.messages
    subject = str(msg["Subject"])
    assert subject.startswith("[monitor] MEDIUM north-korea-russia: Kim Jong Un and Putin")
    assert len(subject) <= SUBJECT_MAX_CHARS and subject.endswith("…")
    text, html = parts(msg)
    assert len(html) < 20_000 and "Kim Jong Un and Putin deepen their pact" in html
    assert 'href="https://hostile.example/news/1"' in html


# -- javascript: and data: links ------------------------------------------------------------


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(document.cookie)",
        " JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    ],
)
def test_a_javascript_or_data_link_is_never_an_href_in_email_or_slack(
    link: str,
    log: EventLog,
    smtp: SmtpSink,
    slack: list[tuple[str, Any]],  # noqa: F811  (the fixture imported above)
    templates: Templates,
    shipped: Watchlists,
) -> None:
    (article,) = poll(log, rss("Kim Jong Un meets Putin in Moscow", link), shipped)
    assert article.url is not None  # recorded as the source gave it; only rendering refuses it
    outbox = Outbox(log, channels_for({"mail": smtp.url, "chat": SLACK_URL}), templates)
    assert outbox.run() == (2, 2)
    (msg,) = smtp.messages
    text, html = parts(msg)
    assert HREF.findall(html) == []  # the only link the template had was the article's
    assert "javascript:" not in html.lower() and "data:text" not in html
    assert "javascript:" not in text.lower() and "data:text" not in text
    ((_, post),) = slack
    rendered = str(post)
    assert "javascript:" not in rendered.lower() and "data:text" not in rendered


# -- bidi controls --------------------------------------------------------------------------


def test_a_right_to_left_override_reaches_neither_the_subject_nor_slack(
    log: EventLog,
    smtp: SmtpSink,
    slack: list[tuple[str, Any]],  # noqa: F811  (the fixture imported above)
    templates: Templates,
    shipped: Watchlists,
) -> None:
    title = "Kim Jong Un meets Putin \u202etroper\u202c in \u2067Moscow\u2069\u200f"
    (article,) = poll(log, rss(title, "https://hostile.example/news/2"), shipped)
    assert article.title == "Kim Jong Un meets Putin troper in Moscow"
    outbox = Outbox(log, channels_for({"mail": smtp.url, "chat": SLACK_URL}), templates)
    assert outbox.run() == (2, 2)
    (msg,) = smtp.messages
    subject = str(msg["Subject"])
    assert (
        subject == "[monitor] MEDIUM north-korea-russia: Kim Jong Un meets Putin troper in Moscow"
    )
    ((_, post),) = slack
    (attachment,) = post["attachments"]
    assert attachment["title"] == subject
    assert "Kim Jong Un meets Putin troper in Moscow" in attachment["text"]
    bidi = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
    assert not bidi.search(subject + str(post) + "".join(parts(msg)))
