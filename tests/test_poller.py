"""The polling shell: one bad file or source never hides the good ones."""

from __future__ import annotations

from pathlib import Path

from monitor.config import Config, SourceConfig
from monitor.poller import Poller
from monitor.store.projections import open_log


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
