"""One row per moderation or administration action."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from hub.db import utcnow
from hub.extensions import db


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"
    # A group's log and the whole log, newest first; pruning reads by time too.
    __table_args__ = (
        Index("ix_audit_entries_group_at", "group_id", "at"),
        Index("ix_audit_entries_at", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # SET NULL: an erased account's actions stay in the log, by "Former member".
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(60))
    target_type: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int | None] = mapped_column(Integer)
    # SET NULL: a group's rows going must not take the record of what was done there.
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="SET NULL"))
    # Ids, roles and statuses only, never what people wrote: site admins read every entry,
    # and a private group's content must not reach them through its log.
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
