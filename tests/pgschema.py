"""PostgreSQL for tests: a fresh schema per store, always dropped afterwards.

Tests that run on PostgreSQL share one database (``MONITOR_TEST_PG_URL``,
printed by ``.ci/pg-setup.sh``). Each store a test opens gets a schema of its
own, selected with ``search_path`` in the URL, so tests never see each
other's tables and may run while another suite runs; the schemas are dropped
when the test ends, passed or failed. Not a ``conftest.py`` itself; the
suite's conftest brings the fixtures in::

    from pgschema import pg_schemas, pg_url  # noqa: F401
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

PG_URL = os.environ.get("MONITOR_TEST_PG_URL")
PG_SKIP = 'MONITOR_TEST_PG_URL is not set (run `eval "$(bash .ci/pg-setup.sh | tail -1)"`)'
#: How long dropping a schema may wait for a lock: a test that leaked an open
#: transaction fails its teardown instead of hanging the suite.
DROP_LOCK_TIMEOUT = "10s"


class PgSchemas:
    """Creates schemas in the test database and drops every one it created."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        self._engine = create_engine(admin_url, poolclass=NullPool)
        self.created: list[str] = []

    def new(self) -> str:
        """The URL of a new, empty schema (the store's tables are created in it)."""
        schema = f"t_{uuid.uuid4().hex[:16]}"
        with self._engine.begin() as conn:
            conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
        self.created.append(schema)
        url = make_url(self.admin_url).update_query_dict({"options": f"-csearch_path={schema}"})
        return url.render_as_string(hide_password=False)

    def drop_all(self) -> None:
        """Drop every schema created here (close the stores using them first).

        Each in its own transaction, and all of them even if one fails: the
        first failure is raised once the others are gone.
        """
        failures: list[Exception] = []
        for schema in reversed(self.created):
            try:
                with self._engine.begin() as conn:
                    conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{DROP_LOCK_TIMEOUT}'")
                    conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            except Exception as exc:  # noqa: BLE001 - raised below, after the others
                failures.append(exc)
        self.created.clear()
        self._engine.dispose()
        if failures:
            raise failures[0]


@pytest.fixture
def pg_schemas() -> Iterator[PgSchemas]:
    """Schemas on demand (``pg_schemas.new()``), all dropped after the test; skips without PG."""
    if PG_URL is None:
        pytest.skip(PG_SKIP)
    schemas = PgSchemas(PG_URL)
    yield schemas
    schemas.drop_all()


@pytest.fixture
def pg_url(pg_schemas: PgSchemas) -> str:
    """The URL of one fresh PostgreSQL schema, dropped after the test."""
    return pg_schemas.new()
