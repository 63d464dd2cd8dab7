"""The polling shell: one bad file or source never hides the good ones."""

from __future__ import annotations

import time
from pathlib import Path

from feedserver import Entry, FeedServer, rss

from monitor.config import Config, SourceConfig
from monitor.front.status import collect_status
from monitor.poller import Poller
from monitor.wiring import open_log


def test_a_bad_fixture_file_is_reported_once_and_the_others_observed(tmp_path: Path) -> None:
    fixtures = tmp_path / "fx"
    fixtures.mkdir()
    (fixtures / "a.txt").write_text(
        "Headline one\n\nA first article about the harvest this year.\n"
    )
    (fixtures / "b.txt").write_bytes(b"Headline two\n\n\xff\xfe not UTF-8\n")
    (fixtures / "c.txt").write_text("Headline three\n\nA third article about the weather today.\n")
    source = SourceConfig(name="fx", type="fixtures", path=str(fixtures))
    config = Config(sources=[source])
    with open_log("sqlite://") as log:
        poller = Poller(log, config)
        try:
            poller.poll(source)
            first = [(e.type, e.payload.get("item") or e.payload.get("url")) for e in log.read()]
            assert ("ArticleObserved", "a.txt") in first and ("ArticleObserved", "c.txt") in first
            failed = [e for e in log.read(types=["SourceFailed"])]
            assert len(failed) == 1 and "b.txt" in failed[0].payload["error"]
            head = log.head()
            assert poller.poll(source) == 0 and log.head() == head  # nothing new, nothing twice

            (fixtures / "b.txt").write_text("Headline two\n\nFixed now, a real article at last.\n")
            assert poller.poll(source) >= 2  # the article and the recovery
            assert poller.states["fx"].failures == 0
            assert any(e.payload.get("recovered") for e in log.read(types=["SourcePolled"]))
        finally:
            poller.close()


def test_status_shows_a_poll_that_found_nothing_new(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    """A 304 appends no event, yet `status` must show the feed was checked (not stalled)."""
    feed_server.set_feed("/quiet.xml", rss([Entry("A headline", "https://x.org/1", "<p>Hi.</p>")]))
    source = SourceConfig(
        name="quiet", type="feed", url=feed_server.url("/quiet.xml"), interval="1s"
    )
    config = Config(sources=[source], store={"url": f"sqlite:///{tmp_path / 'm.db'}"})
    with open_log(config.store_url) as log:
        poller = Poller(log, config)
        try:
            poller.poll(source, force=True)
            assert poller.flush_checks() == 1
            first = collect_status(log, config)["sources"][0]["last_poll"]
            head = log.head()
            time.sleep(0.05)
            poller.poll(source, force=True)  # 304: nothing appended
            assert feed_server.requests("/quiet.xml")[-1].headers.get("if-none-match")
            assert log.head() == head
            assert poller.flush_checks() == 1
            assert poller.flush_checks() == 0  # nothing new since: no write
            later = collect_status(log, config)["sources"][0]["last_poll"]
            assert later > first
        finally:
            poller.close()
