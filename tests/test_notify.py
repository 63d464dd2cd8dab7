"""Notifications with real parts: a local SMTP server, a local Slack webhook, the real pipeline.

Alerts come from replaying the seeds through the shipped watchlists into a
SQLite log with the outbox projection attached; email goes through apprise
to an in-process aiosmtpd server, Slack through apprise to a local HTTP
server standing in for ``hooks.slack.com``. Time is injected (``now=``), so
back-off is tested without sleeping.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest
from apprise.plugins.slack import NotifySlack
from smtpsink import SmtpSink, free_port

from monitor.errors import ConfigError, TemplateError
from monitor.normalize.bounds import (
    EVIDENCE_MAX_CHARS,
    EVIDENCE_MAX_ITEMS,
    FIELD_MAX_CHARS,
    SUBJECT_MAX_BYTES,
    SUBJECT_MAX_CHARS,
    TITLE_MAX_CHARS,
)
from monitor.notify.channels import (
    Channel,
    ConsoleChannel,
    DeliveryResult,
    build_channels,
    mask,
)
from monitor.notify.mutes import MutesProjection
from monitor.notify.outbox import Outbox, check_routes
from monitor.notify.projection import (
    NOTIFICATION_DEAD,
    NOTIFICATION_FAILED,
    NOTIFICATION_QUEUED,
    NOTIFICATION_RETRIED,
    NOTIFICATION_SENT,
    OutboxProjection,
    for_alerts,
    summary,
)
from monitor.notify.templates import (
    DEFAULT_DIRECTORY,
    Rendered,
    Templates,
    alert_context,
    sample_alert,
)
from monitor.replay import replay
from monitor.rules.watchlist import Watchlists
from monitor.store.events import NewEvent
from monitor.store.log import EventLog
from monitor.store.projections import ALERT_RAISED, ReadModels

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
T0 = datetime(2025, 1, 1, tzinfo=UTC)
SLACK_URL = "slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ/#alerts?footer=no&image=no"


# -- real servers -------------------------------------------------------------


@pytest.fixture
def slack(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, Any]]]:
    """A local stand-in for Slack's webhook endpoint; yields the (path, JSON) posts."""
    posts: list[tuple[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            posts.append((self.path, json.loads(body)))
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    # a short poll interval: shutdown() waits for the loop's next poll (0.5 s by default)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    monkeypatch.setattr(NotifySlack, "webhook_url", f"http://127.0.0.1:{server.server_port}/hooks")
    yield posts
    server.shutdown()
    server.server_close()


# -- the pipeline -------------------------------------------------------------


def channels_for(config: dict[str, str]) -> dict[str, Channel]:
    """Channels without apprise's 5.5 s spacing between sends (a local server needs none)."""
    return build_channels(config, min_interval=0)


def open_log(url: str) -> EventLog:
    log = EventLog(url, projectors=[ReadModels(), OutboxProjection(), MutesProjection()])
    with log.engine.begin() as conn:
        ReadModels().create(conn)
    return log


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'monitor.db'}"


@pytest.fixture
def seeded(db_url: str, shipped: Watchlists) -> Iterator[EventLog]:
    """A file-backed log holding the seeds' replay: 6 raised alerts, 2 suppressed."""
    log = open_log(db_url)
    replay([SEEDS], shipped, log)
    yield log
    log.close()


@pytest.fixture(scope="module")
def templates() -> Templates:
    return Templates.load()


def raised(log: EventLog) -> list[Any]:
    return list(log.read(types=[ALERT_RAISED]))


def events(log: EventLog, type_: str) -> list[Any]:
    return list(log.read(types=[type_]))


def alert_payload(**fields: Any) -> dict[str, Any]:
    """A hand-made ``AlertRaised`` payload (for titles and links the seeds do not have)."""
    return {
        "rule": "north-korea-russia",
        "severity": "medium",
        "source": "example",
        "item": "x-1",
        "title": "A title",
        "url": "https://example.org/a",
        "evidence": ["North Korea and Russia signed a pact."],
        "notify": None,
        "template": None,
        "article_seq": 0,
        **fields,
    }


def add_alert(log: EventLog, **fields: Any) -> int:
    """Append a hand-made ``AlertRaised`` (:func:`alert_payload`)."""
    payload = alert_payload(**fields)
    key = f"outcome:test:{uuid.uuid4().hex}"
    (stored,) = log.append([NewEvent(ALERT_RAISED, "rule:test", key, payload)])
    return stored.seq


def parts(msg: EmailMessage) -> tuple[str, str]:
    text = msg.get_body(("plain",))
    html = msg.get_body(("html",))
    assert text is not None and html is not None
    return text.get_content(), html.get_content()


# -- email ----------------------------------------------------------------------


def test_one_email_per_raised_alert_naming_rule_title_source_and_evidence(
    seeded: EventLog, smtp: SmtpSink, templates: Templates
) -> None:
    outbox = Outbox(seeded, channels_for({"team-email": smtp.url}), templates, clock=lambda: T0)
    alerts = raised(seeded)
    assert len(alerts) == 6
    assert outbox.queue() == 6
    assert outbox.deliver() == 6
    assert len(smtp.messages) == 6
    for alert, msg in zip(alerts, smtp.messages, strict=True):
        p = alert.payload
        subject = str(msg["Subject"])
        assert subject.startswith(f"[monitor] {p['severity'].upper()} {p['rule']}: ")
        assert p["title"][:30] in subject
        text, html = parts(msg)
        for body in (text, html):
            assert p["rule"] in body
            assert p["source"] in body and p["item"] in body
            assert p["evidence"][-1][:60].replace("'", "&#39;") in body or (
                p["evidence"][-1][:60] in body
            )
    with seeded.engine.connect() as conn:
        assert summary(conn) == {"queued": 0, "failed": 0, "sent": 6, "dead": 0, "muted": 0}
    assert outbox.deliver() == 0 and len(smtp.messages) == 6


def test_email_html_escapes_article_text_and_carries_the_link(
    db_url: str, smtp: SmtpSink, templates: Templates
) -> None:
    log = open_log(db_url)
    title = "Pact <script>alert(1)</script> & more"
    add_alert(log, title=title, url="https://example.org/news?id=1&x=2")
    outbox = Outbox(log, channels_for({"mail": smtp.url}), templates)
    outbox.run()
    (msg,) = smtp.messages
    assert title in str(msg["Subject"])
    text, html = parts(msg)
    assert "<script>" not in html
    assert "Pact &lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html
    assert 'href="https://example.org/news?id=1&amp;x=2"' in html
    assert "https://example.org/news?id=1&x=2" in text
    assert "North Korea and Russia signed a pact." in text


def test_the_plain_text_part_keeps_one_line_per_evidence_snippet(
    db_url: str, smtp: SmtpSink, templates: Templates
) -> None:
    """apprise derives the text/plain part from the HTML: the snippets must not run together."""
    log = open_log(db_url)
    snippets = ["Kim met Putin in Moscow on Tuesday.", "They signed a pact on arms."]
    add_alert(log, evidence=snippets)
    Outbox(log, channels_for({"mail": smtp.url}), templates).run()
    (msg,) = smtp.messages
    text, _ = parts(msg)
    lines = [line.strip() for line in text.splitlines()]
    for snippet in snippets:
        assert any(line.endswith(snippet) and len(line) < len(snippet) + 5 for line in lines), text


def test_smtp_down_then_back_is_delivered_once(
    seeded: EventLog, templates: Templates, caplog: pytest.LogCaptureFixture
) -> None:
    sink = SmtpSink()  # not started: connections are refused
    outbox = Outbox(
        seeded,
        channels_for({"mail": sink.url}),
        templates,
        base_delay=timedelta(seconds=10),
        max_delay=timedelta(seconds=25),
    )
    outbox.queue()
    assert outbox.deliver(T0) == 0
    failed = events(seeded, NOTIFICATION_FAILED)
    assert len(failed) == 6
    assert {f.payload["next_attempt"] for f in failed} == {"2025-01-01T00:00:10.000000+00:00"}
    assert "Connection error" in failed[0].payload["error"]
    assert outbox.deliver(T0 + timedelta(seconds=5)) == 0  # not due yet: nothing attempted
    assert len(events(seeded, NOTIFICATION_FAILED)) == 6
    outbox.deliver(T0 + timedelta(seconds=10))  # second attempt: 20 s, then capped at 25 s
    outbox.deliver(T0 + timedelta(seconds=30))
    nexts = [f.payload["next_attempt"] for f in events(seeded, NOTIFICATION_FAILED)[-6:]]
    assert set(nexts) == {"2025-01-01T00:00:55.000000+00:00"}
    sink.start()
    try:
        assert outbox.deliver(T0 + timedelta(seconds=55)) == 6
        assert outbox.deliver(T0 + timedelta(hours=1)) == 0
        assert len(sink.messages) == 6
    finally:
        sink.stop()
    sent = events(seeded, NOTIFICATION_SENT)
    assert len(sent) == 6 and {s.payload["attempt"] for s in sent} == {4}


def test_dead_letter_after_max_attempts_and_operator_retry(
    seeded: EventLog, templates: Templates
) -> None:
    sink = SmtpSink()
    outbox = Outbox(seeded, channels_for({"mail": sink.url}), templates, max_attempts=2)
    outbox.queue()
    outbox.deliver(T0)
    outbox.deliver(T0 + timedelta(hours=2))
    dead = events(seeded, NOTIFICATION_DEAD)
    assert len(dead) == 6
    with seeded.engine.connect() as conn:
        assert summary(conn)["dead"] == 6
        first = raised(seeded)[0].seq
        (row,) = for_alerts(conn, [first])[first]
    assert row.status == "dead" and row.attempts == 2 and row.next_attempt is None
    assert "Connection error" in (row.last_error or "")
    assert outbox.deliver(T0 + timedelta(days=1)) == 0  # dead letters are not retried alone
    assert outbox.retry(first) == 1
    assert outbox.retry(first) == 0  # queued again, not dead: nothing to do
    sink.start()
    try:
        assert outbox.deliver(T0 + timedelta(days=1)) == 1
        assert len(sink.messages) == 1
        assert outbox.retry(row.notification) == 0  # sent now
    finally:
        sink.stop()
    (retried,) = events(seeded, NOTIFICATION_RETRIED)
    assert retried.payload["round"] == 1
    with seeded.engine.connect() as conn:
        assert summary(conn) == {"queued": 0, "failed": 0, "sent": 1, "dead": 5, "muted": 0}


# -- Slack --------------------------------------------------------------------


def test_slack_gets_the_exact_json(
    db_url: str, slack: list[tuple[str, Any]], templates: Templates
) -> None:
    log = open_log(db_url)
    add_alert(
        log,
        title="Kim <!channel> meets Putin",
        source="wire",
        url="https://example.org/a(1)",
        evidence=["Pyongyang and Moscow *deepen* ties.", "Second snippet."],
    )
    outbox = Outbox(log, channels_for({"team-slack": SLACK_URL}), templates)
    assert outbox.run() == (1, 1)
    ((path, body),) = slack
    assert path == "/hooks/T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ"
    assert body == {
        "mrkdwn": True,
        "attachments": [
            {
                "title": "[monitor] MEDIUM north-korea-russia: Kim &lt;!channel&gt; meets Putin",
                "text": (
                    "*Kim &lt;!channel&gt; meets Putin*\n"
                    "Rule `north-korea-russia` · medium · wire · "
                    "<https://example.org/a%281%29|open the article>\n"
                    "\n"
                    "> Pyongyang and Moscow _deepen_ ties.\n"
                    "\n"
                    "> Second snippet."
                ),
                "color": "#3AA3E3",
            }
        ],
        "channel": "#alerts",
    }


def test_routing_by_notify_list_and_a_raising_channel_does_not_stop_others(
    db_url: str, smtp: SmtpSink, slack: list[tuple[str, Any]], templates: Templates
) -> None:
    class Broken(Channel):
        name, target = "broken", "broken://"

        def send(self, rendered: Rendered) -> DeliveryResult:
            raise RuntimeError("boom")

    log = open_log(db_url)
    add_alert(log, notify=["mail"])
    add_alert(log)  # no notify: every channel
    channels = {**channels_for({"mail": smtp.url, "chat": SLACK_URL}), "broken": Broken()}
    outbox = Outbox(log, channels, templates)
    assert outbox.queue() == 4
    assert outbox.deliver() == 3
    assert len(smtp.messages) == 2 and len(slack) == 1
    (failed,) = events(log, NOTIFICATION_FAILED)
    assert failed.payload["channel"] == "broken"
    assert failed.payload["error"] == "broken: RuntimeError: boom"


# -- templates ------------------------------------------------------------------


def template_dir(tmp_path: Path, files: dict[str, str] | None = None) -> Path:
    """A copy of the default set plus ``files`` (``{"custom/body.txt": source}``)."""
    root = tmp_path / "templates"
    (root / "default").mkdir(parents=True)
    for src in (DEFAULT_DIRECTORY / "default").iterdir():
        (root / "default" / src.name).write_text(src.read_text())
    for name, source in (files or {}).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
    return root


def test_default_templates_render_the_sample() -> None:
    out = Templates.load().render(sample_alert(), seq=3)
    assert out.subject == "[monitor] HIGH sample-rule: Leaders <meet> & agree"
    assert "Leaders &lt;meet&gt; &amp; agree" in out.html
    assert "alert #3" in out.text  # a sample (or an old caller) has no number
    numbered = Templates.load().render(sample_alert(), seq=12, number=3)
    assert (
        "alert 3 (#12 in the log)" in numbered.text and "alert 3 (#12 in the log)" in numbered.html
    )
    assert out.slack.startswith("**Leaders \\<meet\\> & agree**\n")


def test_watchlist_set_overrides_some_files_and_falls_back_for_the_rest(tmp_path: Path) -> None:
    root = template_dir(tmp_path, {"custom/subject.txt": "ALERT {{ alert.rule }}"})
    tpl = Templates.load(root)
    assert tpl.names() == ["custom", "default"]
    custom, default = tpl.render(sample_alert(), "custom"), tpl.render(sample_alert())
    assert custom.subject == "ALERT sample-rule"
    assert custom.text == default.text
    tpl.require(["custom", None])
    with pytest.raises(TemplateError, match="no such template set"):
        tpl.require(["nope"])


@pytest.mark.parametrize(
    ("source", "line", "message"),
    [
        ("Line one\n{{ alert.rule }}\n{{ article.body }}\n", 3, "unknown variable 'article'"),
        ("ok\n{% if alert.rule %}\nunclosed\n", 3, "Unexpected end of template"),
        ("a\nb\n{{ alert.nonexistent }}\n", 3, "has no attribute 'nonexistent'"),
        ("{{ alert.rule }}\n{{ ''.__class__.__mro__ }}\n", 2, "unsafe"),
        ("{{ alert.evidence.append('x') }}\n", 1, "unsafe"),
    ],
)
def test_broken_template_fails_at_load_naming_file_and_line(
    tmp_path: Path, source: str, line: int, message: str
) -> None:
    root = template_dir(tmp_path)
    (root / "default" / "body.txt").write_text(source)
    with pytest.raises(TemplateError) as info:
        Templates.load(root)
    text = str(info.value)
    assert str(root / "default" / "body.txt") in text
    assert f"line {line}:" in text
    assert message in text


def test_article_text_is_data_not_template_source(templates: Templates) -> None:
    out = templates.render({**sample_alert(), "title": "{{ monitor.hostname }} {% raw %}"})
    assert "{{ monitor.hostname }} {% raw %}" in out.text


def test_render_failure_is_a_failed_notification_not_a_crash(
    db_url: str, smtp: SmtpSink, templates: Templates
) -> None:
    log = open_log(db_url)
    add_alert(log, template="no-such-set")
    add_alert(log)
    outbox = Outbox(log, channels_for({"mail": smtp.url}), templates)
    assert outbox.run() == (2, 1)
    (failed,) = events(log, NOTIFICATION_FAILED)
    assert "no such template set" in failed.payload["error"]


# -- secrets ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "masked"),
    [
        (
            "mailtos://alice:s3cr%40t@smtp.example.org?to=b@example.org",
            "mailtos://alice:***@smtp.example.org?to=b@example.org",
        ),
        (
            "mailtos://smtp.example.org?user=me&pass=hunter22",
            "mailtos://smtp.example.org?user=me&pass=***",
        ),
        (
            "slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ/#alerts",
            "slack://***/***/***/#alerts",
        ),
        ("discord://1234567/abcdefghij", "discord://***/***"),
    ],
)
def test_mask_hides_passwords_and_tokens(url: str, masked: str) -> None:
    assert mask(url) == masked


def test_secrets_never_reach_logs_or_recorded_errors(
    seeded: EventLog, templates: Templates, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    secret = "Sup3rS3cretPw"
    url = f"mailto://alice:{secret}@127.0.0.1:{free_port()}?from=a@example.org&to=b@example.org&mode=insecure"
    channels = channels_for({"mail": url})
    assert secret not in repr(channels)
    outbox = Outbox(seeded, channels, templates)

    class Collect(logging.Handler):  # what the process's own handlers (the journal) get
        def __init__(self) -> None:
            super().__init__(logging.DEBUG)
            self.records: list[logging.LogRecord] = []

        def emit(self, record: logging.LogRecord) -> None:
            self.records.append(record)

    journal = Collect()
    logging.getLogger().addHandler(journal)
    try:
        outbox.run(T0)
    finally:
        logging.getLogger().removeHandler(journal)
    # apprise records DEBUG for the cause of a failure, but hands none of it on
    assert not [r for r in journal.records if r.name.startswith("apprise") and r.levelno < 20]
    assert [r for r in journal.records if r.name.startswith("apprise")]  # its warning is
    assert secret not in "\n".join(r.getMessage() for r in journal.records)
    assert "connection refused" in events(seeded, NOTIFICATION_FAILED)[0].payload["error"]
    assert events(seeded, NOTIFICATION_FAILED)
    recorded = json.dumps([e.payload for e in seeded.read()])
    assert secret not in recorded
    assert secret not in caplog.text
    with pytest.raises(ConfigError) as info:
        build_channels({"bad": f"mailto://alice:{secret}@127.0.0.1?to=b@example.org"})
    assert secret not in str(info.value) and "channels.bad" in str(info.value)
    with pytest.raises(ConfigError) as info:
        build_channels({"s": "slack://T1JJ3T3L2/A1BRTD4JD"})
    assert "A1BRTD4JD" not in str(info.value)


# -- config and routing -----------------------------------------------------------


def test_check_routes_names_rule_and_channel(smtp: SmtpSink) -> None:
    channels = channels_for({"team-email": smtp.url})
    check_routes({"a": ["team-email"], "b": None}, channels)
    with pytest.raises(ConfigError, match="rule 'a' routes to unknown channel 'team-slack'"):
        check_routes({"a": ["team-email", "team-slack"]}, channels)
    check_routes({"a": ["team-slack"]}, build_channels({}))  # console fallback takes all


def test_console_fallback_prints_alerts(
    seeded: EventLog, templates: Templates, capsys: pytest.CaptureFixture[str]
) -> None:
    channels = build_channels({})
    assert isinstance(channels["console"], ConsoleChannel)
    assert Outbox(seeded, channels, templates).run() == (6, 6)
    out = capsys.readouterr().out
    assert out.count("[monitor] HIGH japan-korea-summit:") == 3
    assert out.count("[monitor] MEDIUM north-korea-russia:") == 3


# -- restarts and idempotency ------------------------------------------------------------


def test_queue_is_idempotent_and_a_second_outbox_does_not_resend(
    seeded: EventLog, db_url: str, smtp: SmtpSink, templates: Templates
) -> None:
    channels = channels_for({"mail": smtp.url})
    first = Outbox(seeded, channels, templates)
    assert first.queue() == 6
    assert first.queue() == 0
    assert first.deliver() == 6
    again = open_log(db_url)  # another process over the same file
    try:
        second = Outbox(again, channels, templates)
        assert second.run() == (0, 0)
        assert len(events(again, NOTIFICATION_QUEUED)) == 6
        assert again.rebuild() > 0  # the outbox is a projection: rebuilt from the log alone
        with again.engine.connect() as conn:
            assert summary(conn) == {"queued": 0, "failed": 0, "sent": 6, "dead": 0, "muted": 0}
        assert second.run() == (0, 0)
    finally:
        again.close()
    assert len(smtp.messages) == 6


def test_restart_resumes_undelivered(
    seeded: EventLog, db_url: str, smtp: SmtpSink, templates: Templates
) -> None:
    Outbox(seeded, channels_for({"mail": smtp.url}), templates).queue()  # then "crash"
    again = open_log(db_url)
    try:
        assert Outbox(again, channels_for({"mail": smtp.url}), templates).run() == (0, 6)
    finally:
        again.close()
    assert len(smtp.messages) == 6


# -- PostgreSQL: several daemons, each notification once ------------------------------------


def test_two_daemons_on_postgresql_send_each_notification_once(
    shipped: Watchlists, templates: Templates, pg_url: str
) -> None:
    sent: list[str] = []
    gate = threading.Barrier(2)

    class Slow(Channel):
        name, target = "slow", "slow://"

        def send(self, rendered: Rendered) -> DeliveryResult:
            sent.append(rendered.subject)
            threading.Event().wait(0.05)  # widen the race window
            return DeliveryResult(True, "ok")

    logs = [open_log(pg_url), open_log(pg_url)]
    try:
        replay([SEEDS], shipped, logs[0])
        outboxes = [Outbox(lg, {"slow": Slow()}, templates) for lg in logs]
        outboxes[0].queue()

        def work(ob: Outbox) -> None:
            gate.wait()
            ob.deliver()

        threads = [threading.Thread(target=work, args=(ob,)) for ob in outboxes]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(sent) == 6 and len(set(sent)) == 6
        assert len(events(logs[0], NOTIFICATION_SENT)) == 6
    finally:
        for lg in logs:
            lg.close()


# -- hostile text: bounds, controls and links (issue 7) ------------------------------------------


def test_an_unbounded_title_stored_before_the_bounds_is_emailed_bounded(
    db_url: str, smtp: SmtpSink, templates: Templates
) -> None:
    """An ``AlertRaised`` recorded before normalization bounded titles may hold anything;
    such a subject used to take the standard library minutes to encode per attempt."""
    log = open_log(db_url)
    title = "\u202eKim\x00 Jong Un — Putin 北朝鮮とロシア " * 5_000  # ~150,000 characters
    add_alert(log, title=title, evidence=["Pyongyang\u2066 and Moscow. " * 2_000] * 50)
    outbox = Outbox(log, channels_for({"mail": smtp.url}), templates, send_timeout=20)
    assert outbox.run() == (1, 1)
    (msg,) = smtp.messages
    subject = str(msg["Subject"])
    assert subject.startswith("[monitor] MEDIUM north-korea-russia: Kim Jong Un — Putin 北朝鮮")
    assert len(subject) <= SUBJECT_MAX_CHARS and len(subject.encode()) <= SUBJECT_MAX_BYTES
    assert "\u202e" not in subject and "\x00" not in subject
    text, html = parts(msg)
    assert len(text) < 30_000 and len(html) < 40_000
    assert "\u2066" not in html and html.count("<li") == EVIDENCE_MAX_ITEMS


def test_every_alert_field_reaches_templates_as_one_bounded_clean_line() -> None:
    huge = "a\u202eb\x1bc\nd " * 50_000
    context = alert_context(
        {
            **{k: huge for k in ("rule", "severity", "title", "source", "item", "key")},
            "published": huge,
            "evidence": [huge] * 100,
        }
    )
    strings = [v for k, v in context.items() if isinstance(v, str) and k != "time"]
    assert len(strings) == 7
    assert len(context["evidence"]) == EVIDENCE_MAX_ITEMS
    for value in strings + context["evidence"]:
        assert len(value) <= max(TITLE_MAX_CHARS, EVIDENCE_MAX_CHARS)
        assert value.startswith("abc d abc d") and value.endswith("…")
        assert not any(c in value for c in "\u202e\x1b\n")
    assert len(context["title"]) <= TITLE_MAX_CHARS
    assert len(context["rule"]) <= FIELD_MAX_CHARS


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "  javascript:alert(1)",
        "java\tscript:alert(1)",
        "\x01javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "//evil.example/x",
        "https:evil.example",
        "http://[::1",
    ],
)
def test_links_in_notifications_are_http_or_https_only(url: str, templates: Templates) -> None:
    out = templates.render({**sample_alert(), "url": url})
    assert "href" not in out.html
    assert "](" not in out.slack and "open the article" not in out.slack
    assert "Link:      none" in out.text
    assert "script" not in out.text + out.html + out.slack and "passwd" not in out.html


def test_http_and_https_links_are_kept() -> None:
    for url in ("http://example.org/a?b=1", "HTTPS://Example.org/news/1"):
        out = Templates.load().render({**sample_alert(), "url": f" {url}\u202e "})
        assert f'href="{url.replace("&", "&amp;")}"' in out.html
        assert f"({url})" in out.slack
        assert f"Link:      {url}" in out.text


# -- why a delivery failed --------------------------------------------------------


def _refusing_auth() -> tuple[Any, int]:
    """A real SMTP server that refuses every login (535)."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    port = free_port()

    def authenticator(*_: Any) -> AuthResult:
        return AuthResult(success=False, handled=False)

    controller = Controller(
        SmtpSink(port),
        hostname="127.0.0.1",
        port=port,
        auth_required=True,
        auth_require_tls=False,
        authenticator=authenticator,
    )
    controller.start()
    return controller, port


def _send(url: str) -> str:
    (channel,) = channels_for({"out": url}).values()
    result = channel.send(Templates.load().render(alert_payload()))
    assert not result.ok
    return result.detail


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_a_refused_login_says_authentication_and_hides_the_password() -> None:
    controller, port = _refusing_auth()
    try:
        detail = _send(
            f"mailto://alice:Sup3rS3cret@127.0.0.1:{port}"
            "?from=a@example.org&to=b@example.org&mode=insecure"
        )
    finally:
        controller.stop()
    assert "authentication refused" in detail and "535" in detail, detail
    assert "Sup3rS3cret" not in detail


def test_tls_against_a_plain_server_says_tls(smtp: SmtpSink) -> None:
    detail = _send(smtp.url.replace("mode=insecure", "mode=ssl"))
    assert "TLS failed" in detail, detail


def test_a_refused_connection_says_so() -> None:
    detail = _send(
        f"mailto://127.0.0.1:{free_port()}?from=a@example.org&to=b@example.org&mode=insecure"
    )
    assert "connection refused" in detail and "Errno 111" in detail, detail


def test_a_webhook_error_says_the_status_and_the_start_of_the_reply() -> None:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(503)
            self.end_headers()
            self.wfile.write(b'{"error": "maintenance until 06:00"}' + b" x" * 400)

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        detail = _send(f"json://127.0.0.1:{server.server_port}/hook")
    finally:
        server.shutdown()
        server.server_close()
    assert 'HTTP 503: {"error": "maintenance until 06:00"}' in detail, detail
    assert len(detail) < 400  # the start of the reply, not all of it
