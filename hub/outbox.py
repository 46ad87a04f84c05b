"""The transactional outbox: work that others must hear about, written in the same
transaction as the change, and done after commit by the drain.

If the transaction rolls back, the rows vanish with it; if a process dies after the
commit, the rows are still there and the next drain finishes the work.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime

from flask import Flask
from sqlalchemy import JSON, DateTime, Integer, String, Text, event, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from hub.db import utcnow
from hub.extensions import db

log = logging.getLogger("hub.outbox")

MAX_ATTEMPTS = 5
BATCH_SIZE = 500

Handler = Callable[[list[dict]], None]
_handlers: dict[str, Handler] = {}


class OutboxEvent(db.Model):
    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    processed_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)


def register(kind: str, handler: Handler) -> None:
    """Name the function that does one kind of outbox work, given a batch of payloads
    (each feature's `init_app` calls this)."""
    _handlers[kind] = handler


def emit(kind: str, **payload) -> None:
    """Add work to the current transaction; it is done only if the transaction commits."""
    db.session.add(OutboxEvent(kind=kind, payload=payload))
    db.session.info["outbox_pending"] = True


def drain(limit: int = BATCH_SIZE) -> int:
    """Do the pending work, a batch per kind, oldest first. Returns how many rows were done."""
    rows = db.session.scalars(
        select(OutboxEvent)
        .where(OutboxEvent.processed_at.is_(None), OutboxEvent.attempts < MAX_ATTEMPTS)
        .order_by(OutboxEvent.id)
        .limit(limit)
    ).all()
    by_kind: dict[str, list[OutboxEvent]] = {}
    for row in rows:
        by_kind.setdefault(row.kind, []).append(row)
    done = 0
    for kind, batch in by_kind.items():
        handler = _handlers.get(kind)
        now = utcnow()
        try:
            if handler is None:
                raise LookupError(f"no handler for outbox kind {kind!r}")
            handler([row.payload for row in batch])
        except Exception as error:  # one failing kind must not stop the others
            db.session.rollback()
            log.exception("outbox batch failed", extra={"kind": kind, "rows": len(batch)})
            for row in batch:
                row = db.session.merge(row)
                row.attempts += 1
                row.last_error = repr(error)[:2000]
            db.session.commit()
            continue
        for row in batch:
            row.processed_at = now
            row.attempts += 1
        db.session.commit()
        done += len(batch)
    return done


def discard_pending(kind: str) -> int:
    """Mark the pending work of one kind done without doing it; returns how much."""
    discarded = db.session.execute(
        update(OutboxEvent)
        .where(OutboxEvent.kind == kind, OutboxEvent.processed_at.is_(None))
        .values(processed_at=utcnow(), last_error="discarded")
    ).rowcount
    db.session.commit()
    return discarded


def drain_all() -> int:
    """Drain until nothing is pending (commands and tests)."""
    total = 0
    while True:
        done = drain()
        total += done
        if done == 0:
            return total


class DrainThread:
    """The embedded drain: a daemon thread woken after each commit that wrote outbox rows."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.wake = threading.Event()
        self.thread = threading.Thread(target=self._run, name="outbox-drain", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def _run(self) -> None:
        while True:
            self.wake.wait(timeout=2.0)
            self.wake.clear()
            with self.app.app_context():
                try:
                    drain_all()
                except Exception:
                    log.exception("outbox drain failed; will retry")
                finally:
                    db.session.remove()


def start_drain_thread(app: Flask) -> None:
    """Drain in this process (embedded serving), woken by each commit that wrote outbox rows."""
    drainer = DrainThread(app)

    @event.listens_for(db.session, "after_commit")
    def _wake_drain(session: Session) -> None:
        # Read, not pop, the flag: this listener is process-wide, and an inline-drain app
        # in the same process still needs to see it.
        if session.info.get("outbox_pending"):
            drainer.wake.set()

    drainer.start()
    drainer.wake.set()  # finish what a previous process left


def init_app(app: Flask) -> None:
    if app.config["HUB_OUTBOX_DRAIN"] == "inline":

        @app.after_request
        def _drain_after_request(response):
            if db.session.info.pop("outbox_pending", False) and response.status_code < 400:
                drain_all()
            return response
