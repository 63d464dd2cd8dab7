"""The read-only web page and API (``monitor.front.web``), served for real.

Real parts only: the seeds are replayed into a SQLite file store and their
alerts delivered through a console channel and a channel whose server is
down; the app runs under uvicorn on a free port (the daemon's own
``WebServer``), and is read with httpx, Prometheus's own text parser and a
headless Debian chromium driven by Selenium through the system chromedriver.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import ROOT, SEEDS
from prometheus_client.parser import text_string_to_metric_families

from monitor.config import Config, DaemonConfig, SourceConfig, WebConfig
from monitor.daemon import Daemon, build_runtime
from monitor.errors import ConfigError
from monitor.front.web.context import WebContext
from monitor.front.web.server import WebServer, serve
from monitor.replay import replay
from monitor.rules.watchlist import Watchlists
from monitor.store.events import NewEvent
from monitor.store.log import EventLog
from monitor.store.projections import ALERT_RAISED, list_outcomes
from monitor.wiring import open_log

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
SUMMIT_TITLE = "Japan and South Korea Strengthen Ties Amid North Korea Concerns"
HOSTILE_TITLE = '<script>alert("x")</script> Summit & "quotes"'


def seeds_config(**extra: Any) -> Config:
    """The shipped watchlists and templates, the seeds as a source, two channels."""
    return Config.model_validate(
        {
            "watchlists": str(ROOT / "watchlists"),
            "templates": str(ROOT / "templates"),
            "sources": [{"name": "seeds", "type": "fixtures", "path": str(SEEDS)}],
            # the console takes every alert; nothing listens on port 9, so "down" fails
            "channels": {"console": "console", "down": "json://127.0.0.1:9/"},
            **extra,
        }
    )


def add_hostile_alert(log: EventLog) -> int:
    """An alert whose feed text tries to be markup and whose link tries to be script."""
    payload = {
        "rule": "north-korea-russia",
        "severity": "high",
        "source": "hostile",
        "item": "x-1",
        "title": HOSTILE_TITLE,
        "url": "javascript:alert(1)",
        "evidence": ['<img src=x onerror="alert(2)"> North Korea and Russia met.'],
        "notify": [],
        "template": None,
        "article_seq": 0,
    }
    key = f"outcome:test:{uuid.uuid4().hex}"
    (stored,) = log.append([NewEvent(ALERT_RAISED, "rule:north-korea-russia", key, payload)])
    return stored.seq


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, shipped: Watchlists) -> Iterator[EventLog]:
    """The seeds replayed into a file store, queued and delivered once (console ok, down failed)."""
    path = tmp_path_factory.mktemp("web") / "monitor.db"
    log = open_log(f"sqlite:///{path}")
    replay([SEEDS], shipped, log)
    runtime = build_runtime(log, seeds_config(), watchlists=shipped)
    runtime.outbox.run()
    yield log
    log.close()


class FakeHealth:
    """What ``Daemon.health`` answers, set by the test."""

    def __init__(self) -> None:
        self.report: dict[str, Any] = {"healthy": True, "reason": ""}

    def __call__(self) -> dict[str, Any]:
        return dict(self.report)


@pytest.fixture(scope="module")
def health() -> FakeHealth:
    return FakeHealth()


@pytest.fixture(scope="module")
def server(store: EventLog, shipped: Watchlists, health: FakeHealth) -> Iterator[WebServer]:
    config = seeds_config()
    context = WebContext(
        events=store,
        config=lambda: config,
        watchlists=lambda: shipped,
        health=health,
        polls=lambda: {("seeds", "ok"): 4, ("seeds", "error"): 1},
    )
    web = WebServer(context, WebConfig(listen="127.0.0.1:0"))
    web.start()
    yield web
    assert web.stop(5)


@pytest.fixture
def client(server: WebServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=10) as c:
        yield c


def test_api_alerts_lists_the_replayed_alerts_with_evidence_and_deliveries(
    client: httpx.Client, store: EventLog
) -> None:
    with store.engine.connect() as conn:
        raised = list_outcomes(conn, outcome="raised", limit=500)
        everything = list_outcomes(conn, limit=500)
    res = client.get("/api/alerts", params={"limit": 500})
    assert res.status_code == 200
    alerts = res.json()["alerts"]
    assert [a["seq"] for a in alerts] == [r.seq for r in raised]  # newest first, raised only
    assert all(a["outcome"] == "raised" and a["evidence"] and a["time"] for a in alerts)
    summit = next(
        a for a in alerts if a["title"] == SUMMIT_TITLE and a["rule"] == "japan-korea-summit"
    )
    assert summit["source"] == "seeds" and summit["key"]  # the story key
    for a in alerts:  # the delivery state of each channel, from the outbox
        states = {d["channel"]: d for d in a["deliveries"]}
        assert states["console"]["status"] == "sent"
        assert states["down"]["status"] == "failed" and states["down"]["next_attempt"]
        assert states["down"]["last_error"]

    res = client.get("/api/alerts", params={"limit": 500, "all": 1})
    records = res.json()["alerts"]
    assert len(records) == len(everything) > len(alerts)
    suppressed = [r for r in records if r["outcome"] == "suppressed"]
    assert suppressed and all(r["reason"] and r["deliveries"] == [] for r in suppressed)
    assert any(r["reason"] == "same story" and r["duplicate_of"] for r in suppressed)

    assert len(client.get("/api/alerts", params={"limit": 2}).json()["alerts"]) == 2
    bad = client.get("/api/alerts", params={"limit": "lots"})
    assert bad.status_code == 400 and "limit" in bad.json()["error"]


def test_api_rules_sources_and_log(client: httpx.Client, store: EventLog) -> None:
    with store.engine.connect() as conn:
        outcomes = list_outcomes(conn, limit=500)
    rules = {r["rule"]: r for r in client.get("/api/rules").json()["rules"]}
    assert set(rules) == {"japan-korea-summit", "north-korea-russia"}
    for rule_id, r in rules.items():
        mine = [o for o in outcomes if o.rule == rule_id]
        assert r["loaded"] and r["severity"]
        assert r["raised"] == sum(o.outcome == "raised" for o in mine) > 0
        reasons: dict[str, int] = {}
        for o in mine:
            if o.outcome == "suppressed":
                reasons[o.reason or "unspecified"] = reasons.get(o.reason or "unspecified", 0) + 1
        assert r["suppressed"] == reasons and r["suppressed_total"] == sum(reasons.values())
    assert rules["japan-korea-summit"]["suppressed"].get("same story", 0) >= 1

    (seeds,) = client.get("/api/sources").json()["sources"]
    assert seeds["name"] == "seeds" and seeds["items"] == len(list(SEEDS.glob("*.txt")))
    assert seeds["last_item"]["title"] and seeds["last_item"]["observed"]
    assert seeds["health"] == "never polled"  # replayed, never polled by a daemon
    assert seeds["failures"] == 0 and seeds["last_error"] is None

    state = client.get("/api/log").json()
    assert state["head"]["seq"] == store.head() and len(state["head"]["hash"]) == 64
    assert state["head_file"]["agrees"] is True and state["head_file"]["seq"] == store.head()
    assert state["tail_check"] == {"ok": True, "problems": []}
    assert state["consumers"]["rules"]["lag"] == 0
    assert state["outbox"]["sent"] > 0 and state["outbox"]["failed"] > 0


def test_metrics_parse_as_prometheus_text(client: httpx.Client, store: EventLog) -> None:
    res = client.get("/metrics")
    assert res.status_code == 200 and res.headers["content-type"].startswith("text/plain")
    samples: dict[tuple[str, tuple[tuple[str, str], ...]], float] = {}
    types = {}
    for family in text_string_to_metric_families(res.text):
        types[family.name] = family.type
        for s in family.samples:
            samples[(s.name, tuple(sorted(s.labels.items())))] = s.value

    def value(name: str, **labels: str) -> float:
        return samples[(name, tuple(sorted(labels.items())))]

    with store.engine.connect() as conn:
        outcomes = list_outcomes(conn, limit=500)
    raised = sum(o.outcome == "raised" for o in outcomes)
    summit = [o for o in outcomes if o.rule == "japan-korea-summit"]
    assert types["monitor_outcomes"] == "counter"
    assert value(
        "monitor_outcomes_total", rule="japan-korea-summit", outcome="raised", reason=""
    ) == sum(o.outcome == "raised" for o in summit)
    assert value(
        "monitor_outcomes_total",
        rule="japan-korea-summit",
        outcome="suppressed",
        reason="same story",
    ) == sum(o.reason == "same story" for o in summit)
    assert value("monitor_items_observed_total", source="seeds") == len(list(SEEDS.glob("*.txt")))
    assert value("monitor_deliveries_total", channel="console", result="sent") == raised
    assert value("monitor_deliveries_total", channel="down", result="failed") == raised
    assert value("monitor_outbox_notifications", channel="down", status="failed") == raised
    assert value("monitor_outbox_depth") == raised  # failed, awaiting a retry
    assert value("monitor_consumer_lag_events", consumer="rules") == 0
    assert value("monitor_polls_total", source="seeds", result="ok") == 4
    assert value("monitor_polls_total", source="seeds", result="error") == 1
    assert value("monitor_log_head") == store.head()
    assert value("monitor_store_up") == 1 and value("monitor_healthy") == 1
    assert value("monitor_log_tail_ok") == 1

    # counted incrementally: an event appended since the last scrape is counted once
    # (the log is append-only: later tests see this extra alert, and allow for it)
    seq = add_hostile_alert(store)
    again = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for f in text_string_to_metric_families(client.get("/metrics").text)
        for s in f.samples
    }
    key = (
        "monitor_outcomes_total",
        (("outcome", "raised"), ("reason", ""), ("rule", "north-korea-russia")),
    )
    assert again[key] == samples[key] + 1
    assert again[("monitor_log_head", ())] == seq


def test_healthz_follows_the_daemon_health(client: httpx.Client, health: FakeHealth) -> None:
    ok = client.get("/healthz")
    assert ok.status_code == 200 and ok.json()["healthy"] is True
    health.report = {"healthy": False, "reason": "no consumer progress for 300 s (limit 120 s)"}
    try:
        stale = client.get("/healthz")
        assert stale.status_code == 503 and "no consumer progress" in stale.json()["reason"]
        page = client.get("/")
        assert page.status_code == 200 and "unhealthy: no consumer progress" in page.text
    finally:
        health.report = {"healthy": True, "reason": ""}


def test_nothing_is_writable_over_http(client: httpx.Client) -> None:
    paths = ["/", "/alerts", "/api/alerts", "/api/sources", "/api/rules", "/api/log"]
    for path in [*paths, "/metrics", "/healthz"]:
        for method in ("POST", "PUT", "PATCH", "DELETE"):
            assert client.request(method, path).status_code == 405, (method, path)
        assert client.head(path).status_code in (200, 503)
    headers = client.get("/").headers
    assert "script-src" not in headers["content-security-policy"]  # default-src 'none'
    assert headers["content-security-policy"].startswith("default-src 'none'")
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["cache-control"] == "no-store"


def test_feed_text_is_escaped_and_only_web_links_are_followed(
    client: httpx.Client, store: EventLog
) -> None:
    seq = add_hostile_alert(store)
    page = client.get("/alerts", params={"limit": 500}).text
    start = page.index(f'id="alert-{seq}"')
    article = page[start : page.index("</article>", start)]
    assert "<script>" not in page and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in article
    assert "<img" not in article and "&lt;img src=x" in article
    assert "javascript:" not in page  # no link at all rather than a script link
    assert "href=" not in article.split("</h3>")[0].split("<h3")[1]
    record = next(a for a in client.get("/api/alerts").json()["alerts"] if a["seq"] == seq)
    assert record["title"] == HOSTILE_TITLE and record["link"] is None


def test_a_cut_tail_shows_in_the_log_state(tmp_path: Path, shipped: Watchlists) -> None:
    log = open_log(f"sqlite:///{tmp_path / 'cut.db'}")
    replay([next(SEEDS.glob("000_*"))], shipped, log)
    head = log.head()
    assert log.head_path is not None
    log.head_path.write_text(f'{{"seq": {head + 3}, "hash": "{"0" * 64}"}}\n')
    context = WebContext(events=log, config=Config)
    web = WebServer(context, WebConfig(listen="127.0.0.1:0"))
    web.start()
    try:
        state = httpx.get(web.url + "api/log").json()
        assert state["tail_check"]["ok"] is False
        assert (
            f"events {head + 1}-{head + 3} were removed from the end"
            in (state["tail_check"]["problems"][0])
        )
        assert state["head_file"]["agrees"] is False
        assert "FAILED" in httpx.get(web.url).text
        # without a daemon there is no health to report, and that is not "healthy"
        assert httpx.get(web.url + "healthz").status_code == 503
    finally:
        web.stop(5)
        log.close()


def test_the_same_pages_on_postgresql(pg_url: str, shipped: Watchlists) -> None:
    """The queries are portable: one PostgreSQL store (no head file there) serves it all."""
    log = open_log(pg_url)
    try:
        replay([SEEDS], shipped, log)
        build_runtime(log, seeds_config(), watchlists=shipped).outbox.run()
        with log.engine.connect() as conn:
            raised = list_outcomes(conn, outcome="raised", limit=500)
        config = seeds_config()
        context = WebContext(events=log, config=lambda: config, watchlists=lambda: shipped)
        web = WebServer(context, WebConfig(listen="127.0.0.1:0"))
        web.start()
        try:
            with httpx.Client(base_url=web.url, timeout=10) as client:
                alerts = client.get("/api/alerts", params={"limit": 500}).json()["alerts"]
                assert [a["seq"] for a in alerts] == [r.seq for r in raised]
                rules = client.get("/api/rules").json()["rules"]
                assert sum(r["raised"] for r in rules) == len(raised)
                (seeds,) = client.get("/api/sources").json()["sources"]
                assert seeds["items"] == len(list(SEEDS.glob("*.txt"))) and seeds["last_item"]
                state = client.get("/api/log").json()
                assert state["head"]["seq"] == log.head() and state["head_file"] is None
                assert state["tail_check"]["ok"] is True
                families = {
                    f.name: f for f in text_string_to_metric_families(client.get("/metrics").text)
                }
                sent = {
                    s.labels["channel"]: s.value
                    for s in families["monitor_deliveries"].samples
                    if s.labels["result"] == "sent"
                }
                assert sent == {"console": len(raised)}
                assert client.get("/").status_code == 200
        finally:
            web.stop(5)
    finally:
        log.close()


def test_an_address_in_use_is_an_error_naming_it(server: WebServer) -> None:
    port = int(server.url.rsplit(":", 1)[1].strip("/"))
    web = WebServer(
        WebContext(events=None, config=Config),  # type: ignore[arg-type]  # never reached
        WebConfig(listen=f"127.0.0.1:{port}"),
        path=Path("/etc/news-monitor/monitor.toml"),
    )
    with pytest.raises(ConfigError) as caught:
        web.start()
    message = str(caught.value)
    assert message.startswith("/etc/news-monitor/monitor.toml: web.listen: cannot listen on")
    assert f"127.0.0.1:{port}" in message and "in use" in message


def test_daemon_healthz_is_503_when_its_consumers_are_stale(tmp_path: Path) -> None:
    """The real rule (``Daemon.health``, shared with the watchdog), not a stand-in."""
    config = seeds_config(
        store={"url": f"sqlite:///{tmp_path / 'monitor.db'}"},
        channels={"console": "console"},
        daemon=DaemonConfig(
            consumer_interval=timedelta(hours=1), shutdown_grace=timedelta(seconds=2)
        ),
        web=WebConfig(listen="127.0.0.1:0"),
        sources=[SourceConfig(name="seeds", type="fixtures", path=str(SEEDS), interval="1h")],
    )
    daemon = Daemon(None, config, web=serve)
    daemon.start()
    try:
        assert daemon.web is not None
        url = daemon.web.url
        deadline = time.monotonic() + 60
        while True:  # polled, decided, delivered: then the consumers rest for an hour
            alerts = httpx.get(url + "api/alerts").json()["alerts"]
            sent = [a["deliveries"] and a["deliveries"][0]["status"] == "sent" for a in alerts]
            if alerts and all(sent):
                break
            assert time.monotonic() < deadline, "the seeds' alerts were not delivered"
            time.sleep(0.2)
        time.sleep(0.5)  # the deliverer's pass records its progress just after its last send
        assert httpx.get(url + "healthz").status_code == 200
        # the decider alone stuck (a locked store) while the deliverer keeps passing:
        # each worker is on its own clock, so the deliverer's passes do not hide it
        daemon._progress["decider"] = time.monotonic() - 5 * 3600
        daemon.deliver()
        stuck = httpx.get(url + "healthz")
        assert stuck.status_code == 503
        assert stuck.json()["reason"] == "no decider progress for 18000 s (limit 14400 s)"
        # neither consumer completed a pass for five hours (the limit is 4 consumer intervals)
        daemon._progress = dict.fromkeys(daemon._progress, time.monotonic() - 5 * 3600)
        stale = httpx.get(url + "healthz")
        assert stale.status_code == 503
        assert stale.json()["reason"] == "no consumer progress for 18000 s (limit 14400 s)"
        assert stale.json()["scheduler_running"] is True
        metrics = httpx.get(url + "metrics").text
        assert "monitor_healthy 0.0" in metrics
        assert 'monitor_polls_total{result="ok",source="seeds"} 1.0' in metrics
    finally:
        started = time.monotonic()
        assert daemon.shutdown() == 0
    assert time.monotonic() - started < 2 + 1.5  # within the grace (plus the join bound)
    assert not daemon.abandoned and daemon.web is not None and not daemon.web.alive()
    with pytest.raises(httpx.ConnectError):
        httpx.get(url + "healthz")


# -- a real browser ---------------------------------------------------------------


def artifacts_dir(tmp_path: Path) -> Path:
    """``$MONITOR_TEST_ARTIFACTS`` when set (CI keeps it), else the test's own tmp directory."""
    target = Path(os.environ.get("MONITOR_TEST_ARTIFACTS") or tmp_path)
    target.mkdir(parents=True, exist_ok=True)
    return target


@pytest.mark.skipif(
    not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()),
    reason=f"needs Debian's chromium and chromium-driver ({CHROMIUM}, {CHROMEDRIVER}); "
    "`apt-get install chromium chromium-driver` (.ci/run does)",
)
def test_browser_renders_the_page_with_a_replayed_alert(server: WebServer, tmp_path: Path) -> None:
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as until
    from selenium.webdriver.support.ui import WebDriverWait

    options = Options()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",  # root in a container has no user namespace for the sandbox
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1280,2000",
        f"--user-data-dir={tmp_path / 'profile'}",
    ):
        options.add_argument(arg)
    service = Service(executable_path=shutil.which("chromedriver") or CHROMEDRIVER)
    driver = webdriver.Chrome(options=options, service=service)
    try:
        driver.set_page_load_timeout(30)
        driver.get(server.url)
        assert driver.title == "news-monitor"
        assert driver.find_element(By.ID, "health").text == "healthy"
        titles = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "article.alert .title")]
        assert SUMMIT_TITLE in titles
        summit = next(
            e
            for e in driver.find_elements(By.CSS_SELECTOR, "article.alert")
            if SUMMIT_TITLE in e.text
        )
        assert summit.find_elements(By.CSS_SELECTOR, ".evidence li")
        assert "console" in summit.find_element(By.CSS_SELECTOR, ".deliveries").text
        rules = driver.find_element(By.ID, "rule-japan-korea-summit").text
        assert "same story" in rules
        assert "seeds" in driver.find_element(By.ID, "source-seeds").text
        # the stylesheet loaded under the CSP (an unstyled page would have a white health badge)
        badge = driver.find_element(By.ID, "health").value_of_css_property("background-color")
        assert badge not in ("rgba(0, 0, 0, 0)", "transparent")
        # the charts are drawn: today's alerts stand as coloured bars, a legend names the rules
        chart = driver.find_element(By.CSS_SELECTOR, "#activity figure.chart svg")
        bars = chart.find_elements(By.CSS_SELECTOR, "rect")
        assert bars and all(b.size["height"] > 0 for b in bars)
        assert bars[0].value_of_css_property("fill") not in ("none", "rgb(0, 0, 0)")
        legend = driver.find_element(By.CSS_SELECTOR, "#activity figcaption").text
        assert "north-korea-russia" in legend and "japan-korea-summit" in legend
        shot = artifacts_dir(tmp_path) / "web-status-page.png"
        assert driver.save_screenshot(str(shot)) and shot.stat().st_size > 10_000
        # the filters narrow the list; the form submits as a plain GET under the CSP
        driver.get(server.url + "alerts")
        driver.find_element(
            By.CSS_SELECTOR, "#filters select[name=outcome] option[value=all]"
        ).click()
        driver.find_element(
            By.CSS_SELECTOR, "#filters select[name=rule] option[value=japan-korea-summit]"
        ).click()
        driver.find_element(By.CSS_SELECTOR, "#filters button").click()
        # the click starts a navigation; the page is read once the browser has loaded it
        WebDriverWait(driver, 10).until(until.url_contains("rule=japan-korea-summit"))
        assert (
            "outcome=all" in driver.current_url and "rule=japan-korea-summit" in driver.current_url
        )
        rules = {e.text for e in driver.find_elements(By.CSS_SELECTOR, "article.alert .rule")}
        assert rules == {"japan-korea-summit"}
        assert driver.find_elements(By.CSS_SELECTOR, "article.alert.suppressed")
        driver.save_screenshot(str(shot.with_name("web-alerts-page.png")))
        # one alert's whole story, one level down: styled, and its events by position
        driver.find_element(By.CSS_SELECTOR, "article.alert.raised a.seq").click()
        WebDriverWait(driver, 10).until(
            until.presence_of_element_located((By.CSS_SELECTOR, "#trail tr.step"))
        )
        steps = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "#trail tr.step")]
        assert any("ArticleObserved" in t for t in steps) and any("queued for" in t for t in steps)
        badge = driver.find_element(By.ID, "health").value_of_css_property("background-color")
        assert badge not in ("rgba(0, 0, 0, 0)", "transparent")
        driver.save_screenshot(str(shot.with_name("web-alert-page.png")))
    finally:
        driver.quit()


def test_a_crowd_is_served_in_turn_and_healthz_answers_throughout(
    server: WebServer, caplog: pytest.LogCaptureFixture
) -> None:
    """400 clients at once on the page, the API and /metrics: they are answered (they
    queue for the store), /healthz says 200 to a healthy daemon all along, and the log
    gets no line per request. (Before: 503 for nearly all from 32 clients on, /healthz
    503 in a third of the probes, one warning per refused request.)"""

    async def crowd() -> tuple[list[int], list[int]]:
        limits = httpx.Limits(max_connections=500, max_keepalive_connections=0)
        async with httpx.AsyncClient(base_url=server.url, timeout=60, limits=limits) as c:
            paths = ["/", "/api/alerts?limit=20", "/metrics", "/alerts"] * 100

            async def get(path: str) -> int:
                return (await c.get(path)).status_code

            async def probes() -> list[int]:
                out = []
                for _ in range(20):
                    out.append((await c.get("/healthz")).status_code)
                    await asyncio.sleep(0.05)
                return out

            results = await asyncio.gather(probes(), *(get(p) for p in paths))
            return list(results[1:]), list(results[0])

    with caplog.at_level(logging.WARNING):
        statuses, health = asyncio.run(crowd())
    assert health == [200] * 20
    assert statuses.count(200) == len(statuses), {s: statuses.count(s) for s in set(statuses)}
    assert len([r for r in caplog.records if r.name.startswith(("uvicorn", "monitor"))]) <= 2


@pytest.mark.parametrize("limit", ["²", "٣", "9" * 5000, "-1", "0", "501", "1e3"])
def test_a_limit_that_is_no_small_number_is_a_400(client: httpx.Client, limit: str) -> None:
    res = client.get("/api/alerts", params={"limit": limit})
    assert res.status_code == 400 and "limit must be" in res.json()["error"]
