"""A group's library: folders, files, each file's versions and tags."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    and_,
)
from sqlalchemy.orm import Mapped, foreign, mapped_column, relationship, validates

from hub.db import utcnow
from hub.extensions import db
from hub.tags import tag_key, tag_order

if TYPE_CHECKING:
    from hub.auth.models import User


class LibraryFolder(db.Model):
    __tablename__ = "library_folders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("library_folders.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class LibraryFile(db.Model):
    """A document in a group's library; its content is the newest of its versions."""

    __tablename__ = "library_files"
    __table_args__ = (
        Index("ix_library_files_group_id_updated_at", "group_id", "updated_at"),
        # The feed's newest files of a set of groups.
        Index("ix_library_files_group_id_created_at", "group_id", "created_at"),
        # The feed: a person's connections' newest files, from the index alone.
        Index("ix_library_files_uploader_created", "uploaded_by_id", "created_at", "group_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    folder_id: Mapped[int | None] = mapped_column(
        ForeignKey("library_folders.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The number of the newest version: FileVersion.number, counted from 1.
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    uploaded_by: Mapped[User | None] = relationship(lazy="selectin", viewonly=True)
    tags: Mapped[list[LibraryFileTag]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="LibraryFileTag.tag"
    )
    versions: Mapped[list[FileVersion]] = relationship(
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="FileVersion.number.desc()",
        lazy="select",
        back_populates="file",
    )
    # The newest version, the one search indexes: `current_version.extracted_text`.
    current_version: Mapped[FileVersion] = relationship(
        primaryjoin=lambda: and_(
            foreign(FileVersion.file_id) == LibraryFile.id,
            FileVersion.number == LibraryFile.version,
        ),
        viewonly=True,
        uselist=False,
        lazy="selectin",
    )

    @property
    def tag_names(self) -> list[str]:
        return tag_order(t.tag for t in self.tags)


class LibraryFileTag(db.Model):
    __tablename__ = "library_file_tags"
    # One spelling of each tag a file holds (hub.tags).
    __table_args__ = (
        Index("uq_library_file_tags_file_id_tag_key", "file_id", "tag_key", unique=True),
    )

    file_id: Mapped[int] = mapped_column(
        ForeignKey("library_files.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(60), primary_key=True)
    # hub.tags.tag_key(tag), set with the tag: filters compare it, through its index.
    tag_key: Mapped[str] = mapped_column(String(60), index=True)

    @validates("tag")
    def _set_key(self, _attribute: str, tag: str) -> str:
        self.tag_key = tag_key(tag)
        return tag


class FileVersion(db.Model):
    """One upload of a file's content: its bytes in storage and the text read from them."""

    __tablename__ = "library_file_versions"
    __table_args__ = (UniqueConstraint("file_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("library_files.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    # The name the uploader's computer gave it, sanitized: display text only, never a path.
    filename: Mapped[str] = mapped_column(String(255))
    # Decided from the bytes, not from the name or the client's Content-Type.
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    # A server-made name under HUB_DATA_DIR/files (hub.library.storage).
    storage_key: Mapped[str] = mapped_column(String(64), unique=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    text_extracted: Mapped[bool] = mapped_column(Boolean, default=False)
    text_extraction_error: Mapped[str | None] = mapped_column(String(300))
    # Deferred: lists and metadata never load it; search and tests ask for it.
    extracted_text: Mapped[str | None] = mapped_column(Text, deferred=True)

    file: Mapped[LibraryFile] = relationship(back_populates="versions")
    uploaded_by: Mapped[User | None] = relationship(lazy="selectin", viewonly=True)
