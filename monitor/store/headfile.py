"""The head file: the log's last ``seq`` and hash, kept beside a SQLite store.

A hash chain proves that nothing inside it was edited, removed or re-linked,
but a log whose newest events were deleted is still a valid, shorter chain.
So after every append that inserted events, :class:`~monitor.store.log.EventLog`
writes ``<database>.head`` (``{"seq": 123, "hash": "…"}``) where rewriting the
database alone does not change it, and ``monitor verify`` compares the log
with it.

Properties the checks rely on:

* **Written after the commit**, atomically (a temporary file in the same
  directory, then ``os.replace``): a reader sees an old head or the new one,
  never a torn one, and a recorded head is never ahead of the committed log —
  except after a power loss that cost SQLite its last transactions (WAL with
  ``synchronous=NORMAL``), which ``verify`` then rightly reports as lost.
* **Never moved backwards by one process**: threads finishing their appends
  out of order cannot replace a newer head with an older one. Two *processes*
  appending to one file can: the one that committed first may write last.
  That leaves an older head, which is still true as a lower bound — the log
  really reached that event — so ``verify`` still holds; the next append
  moves it on.
* **Kept when it disagrees with the log**: the appender checks the recorded
  head against the log inside its write transaction, and if the log ends
  before it or has another hash there, it leaves the file alone (and logs an
  error) so that a cut tail cannot be hidden by appending past it.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from monitor.errors import StoreError
from monitor.store.events import Head

__all__ = ["HeadFile", "tail_problem"]

log = logging.getLogger("monitor.store")


class HeadFile:
    """``<database>.head`` for one SQLite file store, as seen by one log object."""

    def __init__(self, database: str) -> None:
        self.path = Path(f"{database}.head")
        self._lock = threading.Lock()
        self._recorded = 0  # the highest seq this object wrote: never go below it
        self._warned = False

    def read(self) -> Head | None:
        """The recorded head, or ``None`` when there is no head file (yet)."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as exc:
            raise StoreError(f"cannot read the head file {self.path}: {exc}") from exc
        try:
            data = json.loads(text)
            seq, digest = data["seq"], data["hash"]
            if not isinstance(seq, int) or seq < 1 or not isinstance(digest, str):
                raise ValueError("seq must be a positive integer and hash a string")
        except (ValueError, TypeError, KeyError) as exc:
            raise StoreError(f"the head file {self.path} is not a head record: {exc}") from exc
        return Head(seq, digest)

    def record(self, head: Head) -> None:
        """Write ``head`` unless this object already wrote a later one.

        A failure to write is logged, not raised: the events are committed,
        and an append reported as failed would make its caller act as if
        they were not (the head file then lags, which ``verify`` tolerates).
        """
        with self._lock:
            if head.seq <= self._recorded:
                return
            try:
                _write_atomically(self.path, {"seq": head.seq, "hash": head.hash})
            except OSError as exc:
                log.warning("could not write the head file %s: %s", self.path, exc)
                return
            self._recorded = head.seq

    def fits(self, end: int, end_hash: str, hash_at: Callable[[int], str | None]) -> bool:
        """May the head file be moved on from a log that ended at ``end`` (with ``end_hash``)?

        Called by an appender under the writer lock, before its commit. A
        head file that the log does not reach, or whose hash the log does not
        have at that ``seq``, is the only evidence of a cut or rewritten
        tail: it is kept (and the fact logged once) rather than overwritten.
        A missing head file fits; so does an older one another process wrote.
        """
        try:
            recorded = self.read()
        except StoreError as exc:
            problem = str(exc)
        else:
            if recorded is None:
                return True
            if recorded.seq > end:
                actual = None
            else:
                actual = end_hash if recorded.seq == end else hash_at(recorded.seq)
            problem = tail_problem(end, actual, recorded, f"its head file {self.path} records")
            if not problem:
                return True
        if not self._warned:
            self._warned = True
            log.error("not moving the head file on: %s (run `monitor verify`)", problem)
        return False


def _write_atomically(path: Path, data: dict[str, object]) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh)
            fh.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def tail_problem(log_head: int, hash_at_recorded: str | None, recorded: Head, says: str) -> str:
    """Why the log disagrees with a recorded head, or ``""`` when it agrees.

    ``log_head`` is the log's last ``seq``; ``hash_at_recorded`` the stored
    hash of event ``recorded.seq`` (``None`` if the log does not reach it);
    ``says`` names the witness as the subject of a sentence, e.g. "its head
    file /var/…/monitor.db.head records".
    """
    if recorded.seq > log_head:
        first = log_head + 1
        missing = (
            f"event {first} was" if first == recorded.seq else f"events {first}-{recorded.seq} were"
        )
        return (
            f"the log ends at event {log_head} but {says} event {recorded.seq}: "
            f"{missing} removed from the end"
        )
    if recorded.hash is not None and hash_at_recorded != recorded.hash:
        return (
            f"event {recorded.seq} has hash {hash_at_recorded} but {says} {recorded.hash}: "
            "the log was rewritten up to there, or it is another log"
        )
    return ""
