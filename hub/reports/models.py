"""A person's report about a post, thread, file, suggestion, question, message or person."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.db import utcnow
from hub.extensions import db

if TYPE_CHECKING:
    from hub.auth.models import User

TARGET_TYPES = ("post", "thread", "file", "suggestion", "question", "message", "person")
STATUSES = ("open", "resolved", "dismissed")
CLOSED_STATUSES = ("resolved", "dismissed")


class Report(db.Model):
    __tablename__ = "reports"
    __table_args__ = (
        # A group's reports by status, newest first.
        Index("ix_reports_group_status_created", "group_id", "status", "created_at"),
        # Pruning: closed reports by when they were closed.
        Index("ix_reports_status_resolved", "status", "resolved_at"),
        # One open report a person for one target, even when two arrive at once.
        Index(
            "uq_reports_open_target_reporter",
            "target_type",
            "target_id",
            "reporter_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    target_type: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int] = mapped_column(Integer)
    # The group whose content it is about; None for people and direct messages (site
    # admins' alone).
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    # SET NULL: an erased account's reports and resolutions stay, by "Former member".
    reporter_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="open")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    note: Mapped[str | None] = mapped_column(Text)

    reporter: Mapped[User | None] = relationship(
        foreign_keys=[reporter_id], lazy="joined", viewonly=True
    )
    resolved_by: Mapped[User | None] = relationship(
        foreign_keys=[resolved_by_id], lazy="joined", viewonly=True
    )
