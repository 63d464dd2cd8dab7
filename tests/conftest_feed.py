"""The ``feed_server`` pytest fixture: a fresh :class:`feedserver.FeedServer` per test.

Not a ``conftest.py`` itself, so that the suite's own conftest decides what is
shared; bring the fixture in with::

    from conftest_feed import feed_server  # noqa: F401
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from feedserver import FeedServer


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    """A running local feed server, closed (hanging requests released) after the test."""
    with FeedServer() as server:
        yield server
