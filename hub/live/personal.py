"""`personal_event`: what happens to one person (a notification, a direct message), sent to
the room of that person on the live channel so that pages and apps update without polling.

Every socket joins its person's room at connect (hub.live.events). Services queue events
in the transaction of the change (`queue`); the outbox sends them after the commit, so
nothing is sent for a write that rolled back, and through the Socket.IO message queue
(Redis) when several processes serve. A socket whose token, session or account is
revoked is disconnected (hub.live.events.on_revocation), and leaves the room with it.
Nothing is replayed: the REST lists stay the record.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from flask import Flask

from hub import outbox
from hub.extensions import socketio

log = logging.getLogger("hub.live")

NAMESPACE = "/live"
EVENT = "personal_event"
TYPES = ("notification", "message")
OUTBOX_KIND = "personal_event"


def room(user_id: int) -> str:
    """Every connection of one person."""
    return f"person:{user_id}"


def queue(type_: str, to: Iterable[tuple[int, dict]]) -> None:
    """In the current transaction: send each (person id, data) a `personal_event` of this
    type once it commits. `data` is the object as the REST API shows it to that person."""
    events = [[user_id, data] for user_id, data in to]
    if events:
        outbox.emit(OUTBOX_KIND, type=type_, events=events)


def send_batch(payloads: list[dict]) -> None:
    """The outbox handler: each event to its person's room only."""
    for payload in payloads:
        for user_id, data in payload["events"]:
            event = {"type": payload["type"], "data": data}
            socketio.emit(EVENT, event, to=room(user_id), namespace=NAMESPACE)


def init_app(app: Flask) -> None:
    outbox.register(OUTBOX_KIND, send_batch)
