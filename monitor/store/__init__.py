"""The append-only event log and the projections built from it."""

from monitor.store.events import NewEvent, Projector, StoredEvent, VerifyResult

__all__ = ["NewEvent", "Projector", "StoredEvent", "VerifyResult"]
