"""Feed bytes to raw items: links, text, order, and what is not a feed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from monitor.errors import SourceError
from monitor.sources.feedfile import html_to_text, parse_feed, strip_tracking

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>Later</title><link>/news/2?utm_source=rss&amp;id=2#top</link><guid>b</guid>
<pubDate>Tue, 02 Jan 2024 10:00:00 GMT</pubDate>
<description>&lt;p&gt;Second &amp;amp; last&lt;/p&gt;&lt;script&gt;evil()&lt;/script&gt;</description></item>
<item><title>Earlier</title><link>https://other.example/1?fbclid=x</link><guid>a</guid>
<pubDate>Mon, 01 Jan 2024 10:00:00 GMT</pubDate><description>First</description></item>
<item><title>Undated</title><link>https://other.example/3</link><guid>c</guid>
<description>Third</description></item>
</channel></rss>"""


def test_rss_entries_in_published_order_with_clean_links_and_text() -> None:
    items = parse_feed(RSS, source="s", url="https://news.example.org/feed.xml")
    assert [i.title for i in items] == ["Earlier", "Later", "Undated"]
    assert items[0].url == "https://other.example/1"
    assert items[1].url == "https://news.example.org/news/2?id=2"  # joined, tracking dropped
    assert items[1].text.strip() == "Second & last"  # entities decoded, script removed
    assert [i.item_id for i in items] == ["a", "b", "c"]


def test_json_feed() -> None:
    body = json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "items": [
                {
                    "id": "2",
                    "title": "B",
                    "content_text": "b",
                    "date_published": "2024-01-02T00:00:00Z",
                },
                {
                    "id": "1",
                    "title": "A",
                    "content_html": "<p>a</p>",
                    "url": "https://x/?utm_medium=m",
                    "date_published": "2024-01-01T00:00:00+09:00",
                },
            ],
        }
    ).encode()
    items = parse_feed(body, source="s", url="https://x/feed.json")
    assert [(i.item_id, i.url) for i in items] == [("1", "https://x/"), ("2", None)]
    assert items[0].published is not None and items[0].published.utcoffset() is not None


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"<!DOCTYPE html><html><body><p>Home</p></body></html>", "not a feed"),
        (b"\x00\x01garbage", "not a feed"),
        (b'{"items": []}', "JSON Feed version"),
        (b"{not json", "invalid JSON"),
    ],
)
def test_what_is_not_a_feed_names_source_and_url(body: bytes, reason: str) -> None:
    with pytest.raises(SourceError) as err:
        parse_feed(body, source="world", url="https://news.example.org/rss")
    assert reason in str(err.value)
    assert "world" in str(err.value) and "https://news.example.org/rss" in str(err.value)


def test_html_to_text_keeps_blocks_apart() -> None:
    text = html_to_text("<div><h2>Head</h2><p>One<br>two</p><ul><li>a</li><li>b</li></ul></div>")
    assert [line for line in text.splitlines() if line] == ["Head", "One", "two", "a", "b"]


def test_strip_tracking_keeps_real_parameters() -> None:
    assert strip_tracking("https://x/a?id=7&utm_campaign=c&gclid=g#frag") == "https://x/a?id=7"


def test_a_link_that_is_not_a_url_drops_the_link_not_the_feed() -> None:
    bad = RSS.replace(
        b"</channel>",
        b"<item><title>Broken link</title><link>http://[bad/x</link>"
        b"<description>Still news.</description></item></channel>",
    )
    items = parse_feed(bad, source="s", url="https://news.example.org/feed.xml")
    broken = [i for i in items if i.title == "Broken link"]
    assert len(broken) == 1 and broken[0].url is None
    assert len(items) > 1  # the other entries are still there
    assert strip_tracking("http://[bad/x") is None


def test_replay_reads_a_feed_file_with_an_entry_dated_past_the_calendar(tmp_path: Path) -> None:
    """Replay used to skip the whole file ("year 10000 is out of range")."""
    from monitor.ingest import Input, read_one

    path = tmp_path / "far.xml"
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>T</title><id>urn:t</id><updated>2026-01-01T00:00:00Z</updated>"
        "<entry><title>Good entry</title><id>urn:1</id><updated>2026-01-01T00:00:00Z</updated>"
        "<content>One.</content></entry>"
        "<entry><title>Far entry</title><id>urn:2</id>"
        "<updated>9999-12-31T23:59:59-14:00</updated><content>Two.</content></entry></feed>\n"
    )
    out = read_one(Input(path, "far"))
    assert out.skipped is None
    by_title = {a.title: a for a in out.articles}
    assert set(by_title) == {"Good entry", "Far entry"}
    assert by_title["Far entry"].published is None
    assert (by_title["Far entry"].published_suspect or "").startswith("9999-12-31")
    assert by_title["Good entry"].published is not None
