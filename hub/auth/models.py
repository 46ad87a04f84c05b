"""Accounts and personal API tokens."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    event,
    or_,
    select,
    text,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship, validates

from hub.auth.handles import first_free_handle, handle_base
from hub.db import utcnow
from hub.extensions import db
from hub.tags import tag_key, tag_order

ROLES = ("councillor", "officer", "other")


class User(UserMixin, db.Model):
    __tablename__ = "users"
    # The few deactivated accounts, which the people finder takes off its count of matches.
    # Partial: an index of every row would tempt the planner to walk all active people by it.
    __table_args__ = (
        Index(
            "ix_users_deactivated_id",
            "id",
            sqlite_where=text("deactivated_at IS NOT NULL"),
            postgresql_where=text("deactivated_at IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(120), index=True)
    # How others mention this person (hub.auth.handles); given at the first flush.
    handle: Mapped[str] = mapped_column(String(40), unique=True, index=True)
    role: Mapped[str] = mapped_column(String(20), index=True)
    organisation: Mapped[str | None] = mapped_column(String(160), index=True)
    job_title: Mapped[str | None] = mapped_column(String(160))
    region: Mapped[str | None] = mapped_column(String(80), index=True)
    bio: Mapped[str | None] = mapped_column(Text)
    bio_html: Mapped[str | None] = mapped_column(Text)
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    email_verified_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Set at once for public-sector addresses; others wait for a site admin.
    approved_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Set through the ORM: its flush listener takes a deactivated person's words out of
    # the people finder's index (hub.people.models.PersonTerm), which alone it searches.
    deactivated_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    expertise: Mapped[list[UserExpertise]] = relationship(
        "UserExpertise", cascade="all, delete-orphan", lazy="selectin", order_by="UserExpertise.tag"
    )

    @property
    def is_active(self) -> bool:
        return self.deactivated_at is None

    @property
    def expertise_tags(self) -> list[str]:
        return tag_order(e.tag for e in self.expertise)


class UserExpertise(db.Model):
    __tablename__ = "user_expertise"
    # One spelling of each tag a person holds (hub.tags).
    __table_args__ = (
        Index("uq_user_expertise_user_id_tag_key", "user_id", "tag_key", unique=True),
    )

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(60), primary_key=True)
    # hub.tags.tag_key(tag), set with the tag: filters compare it, through its index.
    tag_key: Mapped[str] = mapped_column(String(60), index=True)

    @validates("tag")
    def _set_key(self, _attribute: str, tag: str) -> str:
        self.tag_key = tag_key(tag)
        return tag


@event.listens_for(Session, "before_flush")
def _give_handles(session: Session, _flush_context, _instances) -> None:
    """Give each new person without a handle the first free one made from their name."""
    newcomers = [obj for obj in session.new if isinstance(obj, User) and not obj.handle]
    taken: set[str] = set()
    with session.no_autoflush:
        for person in newcomers:
            base = handle_base(person.name or "")
            # Bases are words and dots: nothing in them is special to LIKE.
            taken.update(
                session.scalars(
                    select(User.handle).where(
                        or_(User.handle == base, User.handle.like(f"{base}%"))
                    )
                )
            )
            person.handle = first_free_handle(base, taken)
            taken.add(person.handle)


class ApiToken(db.Model):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    # sha256 of the token: the token itself is shown once and never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship(lazy="joined")


class BrowserSession(db.Model):
    """One browser sign-in. The cookie carries a random key whose hash is stored here, so
    that ending the row (sign-out, password change, deactivation) ends the session at once."""

    __tablename__ = "browser_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # sha256 of the cookie's key: a stolen database copy holds no usable cookie.
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class PasswordReset(db.Model):
    """A single-use link to choose a new password; only the hash of its token is kept."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)
