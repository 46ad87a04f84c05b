"""Live sessions: the session, its panelists, questions, votes, answers, chat, and events.

Every event that everyone in the room may see is stored (LiveEvent) with the next `seq`
of its session before it is sent, so a client that reconnects replays what it missed
from here. The session's transcript is archived as a forum thread of its group
(`transcript_thread_id`), which the search index picks up like any thread.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.auth.models import User
from hub.db import utcnow
from hub.extensions import db

STATUSES = ("scheduled", "live", "ended")
QUESTION_STATUSES = ("pending", "visible", "hidden")


class LiveSession(db.Model):
    __tablename__ = "live_sessions"
    __table_args__ = (
        Index("ix_live_sessions_group_starts", "group_id", "starts_at"),
        # The feed: the newest sessions of a set of groups, and of one's connections.
        Index("ix_live_sessions_group_created", "group_id", "created_at"),
        Index("ix_live_sessions_creator_created", "created_by_id", "created_at", "group_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(DateTime)
    ends_at: Mapped[datetime | None] = mapped_column(DateTime)
    moderated: Mapped[bool] = mapped_column(Boolean, default=False)
    allow_anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    # Whether the chat goes into the transcript beside the questions.
    transcript_includes_chat: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(12), default="scheduled", index=True)
    # The number of the last stored event; raised only by `service._next_seq`.
    seq: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)
    # The forum thread holding the transcript, once the session has ended.
    transcript_thread_id: Mapped[int | None] = mapped_column(
        ForeignKey("forum_threads.id", ondelete="SET NULL")
    )

    created_by: Mapped[User | None] = relationship(lazy="selectin")
    panelists: Mapped[list[LivePanelist]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="LivePanelist.user_id"
    )

    @property
    def panelist_ids(self) -> list[int]:
        return [p.user_id for p in self.panelists]


class LivePanelist(db.Model):
    __tablename__ = "live_panelists"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("live_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )

    user: Mapped[User] = relationship(lazy="selectin")


class LiveQuestion(db.Model):
    __tablename__ = "live_questions"
    __table_args__ = (Index("ix_live_questions_session_id_id", "session_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("live_sessions.id", ondelete="CASCADE"))
    # Kept for anonymous questions too (rate limits, one vote a person, the asker's own
    # view); never shown to anyone else.
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(12))  # pending | visible | hidden
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    answered: Mapped[bool] = mapped_column(Boolean, default=False)
    # Kept in the transaction of each vote and unvote, so lists never count votes.
    vote_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    author: Mapped[User | None] = relationship(lazy="selectin")
    answers: Mapped[list[LiveAnswer]] = relationship(
        lazy="selectin", order_by="LiveAnswer.id", cascade="all, delete-orphan"
    )


class LiveVote(db.Model):
    __tablename__ = "live_votes"

    question_id: Mapped[int] = mapped_column(
        ForeignKey("live_questions.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class LiveAnswer(db.Model):
    __tablename__ = "live_answers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("live_questions.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    author: Mapped[User | None] = relationship(lazy="selectin")


class LiveChatMessage(db.Model):
    __tablename__ = "live_chat_messages"
    __table_args__ = (Index("ix_live_chat_messages_session_id_id", "session_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("live_sessions.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    author: Mapped[User | None] = relationship(lazy="selectin")


class LiveEvent(db.Model):
    """One event everyone in the session's room saw, as it was sent: the replay log."""

    __tablename__ = "live_events"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("live_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    # The primary key makes a duplicate seq impossible, whichever process writes it.
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    type: Mapped[str] = mapped_column(String(40))
    data: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
