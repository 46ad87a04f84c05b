"""Forum threads, their posts, and who follows them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.auth.models import User
from hub.db import utcnow
from hub.extensions import db
from hub.groups.models import Group


class Thread(db.Model):
    __tablename__ = "forum_threads"
    # The thread list reads pinned first, then by latest activity, one group at a time.
    __table_args__ = (
        Index("ix_forum_threads_group_activity", "group_id", "pinned", "last_post_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Kept by the forum service in the same transaction as each post added or deleted,
    # so that listing threads never counts posts row by row.
    post_count: Mapped[int] = mapped_column(Integer, default=0)
    last_post_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    author: Mapped[User | None] = relationship(lazy="selectin")


class Post(db.Model):
    __tablename__ = "forum_posts"
    __table_args__ = (
        Index("ix_forum_posts_thread_id_id", "thread_id", "id"),
        Index("ix_forum_posts_group_created", "group_id", "created_at"),
        # The feed: a person's connections' newest posts, read from the index alone
        # (the rows hold the bodies, which lie before created_at).
        Index("ix_forum_posts_author_created", "author_id", "created_at", "group_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("forum_threads.id", ondelete="CASCADE"))
    # The thread's group, repeated so that the activity feed filters posts by group alone.
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The post that opened the thread: the feed shows it as the thread itself.
    is_opening: Mapped[bool] = mapped_column(Boolean, default=False)
    reply_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("forum_posts.id", ondelete="SET NULL")
    )
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(DateTime)

    author: Mapped[User | None] = relationship(lazy="selectin")
    # Loaded on purpose (selectinload) where a list needs them, e.g. the activity feed.
    thread: Mapped[Thread] = relationship()
    group: Mapped[Group] = relationship()


class ThreadSubscription(db.Model):
    __tablename__ = "forum_subscriptions"

    thread_id: Mapped[int] = mapped_column(
        ForeignKey("forum_threads.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
