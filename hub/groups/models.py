"""Subject groups and who belongs to them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from hub.db import utcnow
from hub.extensions import db
from hub.tags import tag_key, tag_order

if TYPE_CHECKING:
    from hub.auth.models import User

VISIBILITIES = ("open", "restricted", "private", "hidden")
# In rank order, which is also reverse alphabetical order: `ORDER BY role DESC` ranks them
# (tests/groups/test_models.py holds it so).
ROLES = ("owner", "moderator", "member")


class Group(db.Model):
    __tablename__ = "groups"
    # The directory: a page in name order is a walk along this index, and its count reads
    # the index alone, never the groups' descriptions. (An index of archived_at alone,
    # NULL for nearly every group, only lured the planner into sorting every group.)
    __table_args__ = (Index("ix_groups_directory", "name", "archived_at", "visibility"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    slug: Mapped[str] = mapped_column(String(140), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    visibility: Mapped[str] = mapped_column(String(12), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    archived_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Kept by the membership service in the same transaction as each join and leave.
    member_count: Mapped[int] = mapped_column(Integer, default=0)
    # What the activity feed counts, kept by the forum, library and live services in the
    # same transaction as each post, file or session added or deleted (`count_content`):
    # a feed's total sums its groups' counts instead of counting thousands of rows.
    post_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    file_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    session_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    tags: Mapped[list[GroupTag]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="GroupTag.tag"
    )

    @property
    def tag_names(self) -> list[str]:
        return tag_order(t.tag for t in self.tags)


class GroupTag(db.Model):
    __tablename__ = "group_tags"
    # One spelling of each tag a group holds (hub.tags).
    __table_args__ = (Index("uq_group_tags_group_id_tag_key", "group_id", "tag_key", unique=True),)

    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(60), primary_key=True)
    # hub.tags.tag_key(tag), set with the tag: filters compare it, through its index.
    tag_key: Mapped[str] = mapped_column(String(60), index=True)

    @validates("tag")
    def _set_key(self, _attribute: str, tag: str) -> str:
        self.tag_key = tag_key(tag)
        return tag


class Membership(db.Model):
    __tablename__ = "memberships"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[str] = mapped_column(String(12))
    joined_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    user: Mapped[User] = relationship(lazy="joined", viewonly=True)


# A group's members in the order they are listed (owners, moderators, then members, by
# when they joined): read from the index, not sorted, even for 20,000 members.
Index(
    "ix_memberships_group_rank",
    Membership.group_id,
    Membership.role.desc(),
    Membership.joined_at,
    Membership.user_id,
)


class JoinRequest(db.Model):
    __tablename__ = "join_requests"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    user: Mapped[User] = relationship(lazy="joined", viewonly=True)


class Invitation(db.Model):
    __tablename__ = "invitations"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined", viewonly=True)
    invited_by: Mapped[User | None] = relationship(
        foreign_keys=[invited_by_id], lazy="joined", viewonly=True
    )


class GroupBan(db.Model):
    __tablename__ = "group_bans"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    banned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
