"""Notifications: written in the transaction of what caused them, read by their owner."""

from __future__ import annotations

from sqlalchemy import func, select, update

from hub.auth.models import User
from hub.db import utcnow
from hub.extensions import db
from hub.notifications.models import Notification


def notify(user_id: int, kind: str, data: dict, group_id: int | None = None) -> None:
    """Add a notification to the current transaction."""
    db.session.add(Notification(user_id=user_id, kind=kind, data=data, group_id=group_id))


def notifications_for(user: User, unread_only: bool):
    statement = select(Notification).where(Notification.user_id == user.id)
    if unread_only:
        statement = statement.where(Notification.read_at.is_(None))
    return statement.order_by(Notification.id.desc())


def unread_count(user: User) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    )


def mark_read(user: User, ids: list[int] | None, everything: bool) -> int:
    statement = update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    if not everything:
        statement = statement.where(Notification.id.in_(ids or []))
    db.session.execute(statement.values(read_at=utcnow()))
    db.session.commit()
    return unread_count(user)
