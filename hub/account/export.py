"""Your data, to take away (UK GDPR articles 15 and 20): a zip of JSON files and the
files you uploaded, written as it is sent.

The zip goes to a pipe that the response drains after every few rows: rows come from
the database in batches (`yield_per`), so an account with many thousands of posts is never
held in memory at once. Only the person's own data and what they may still read: their
own writing wherever it is (a group they left too), and the conversations they are in.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterable, Iterator
from datetime import datetime

from sqlalchemy import or_, select

from hub.auth.models import User
from hub.auth.schemas import MeSchema, person_ref
from hub.extensions import db
from hub.forum.models import Post, Thread
from hub.library import storage
from hub.library.models import FileVersion, LibraryFile
from hub.live.models import LiveAnswer, LiveChatMessage, LiveQuestion, LiveVote
from hub.messages.models import ConversationParticipant, Message
from hub.notifications.service import email_preference, every_visible_notification
from hub.people.models import Block, Connection
from hub.suggestions.models import Suggestion, SuggestionVote

BATCH = 200  # rows a query hands over at a time: a batch of long posts is a few MB
SEND_AT = 64 * 1024  # bytes gathered before they are handed to the response

README = """\
Your Knowledge Hub data, exported on {date} (times are UTC).

profile.json         your profile and account, as GET /api/v1/me shows it
connections.json     your professional network: connected, and requests either way
blocks.json          the people you blocked
conversations.json   the direct conversations you are in, with every message in them
threads.json         the forum threads you started, with their opening post
posts.json           every forum post you wrote (replies and opening posts)
suggestions.json     the suggestions you made
votes.json           your votes on suggestions and on live questions
live_questions.json  the questions you asked in live sessions (anonymous ones too)
live_answers.json    your answers to live questions
live_chat.json       your live sessions' chat messages
notifications.json   your notifications, as GET /api/v1/notifications shows them
files.json           every version of a library file you uploaded; `path` is its copy here
files/               those files' bytes, as you uploaded them

Group ids are given, not group names or other people's writing, except in your
conversations. What you wrote in groups stays in them if you close your account,
shown as by "Former member".
"""


def export_filename(today: datetime) -> str:
    return f"knowledge-hub-export-{today:%Y-%m-%d}.zip"


def export_archive(user_id: int, today: datetime) -> Iterator[bytes]:
    """The zip's bytes, in pieces, as they are made (after the view has returned: the
    account is read here, in the generator's own session)."""
    user = db.session.get(User, user_id)
    archive = _Archive()
    yield from archive.text("README.txt", README.format(date=f"{today:%d %B %Y}"))
    yield from archive.json_value("profile.json", _profile(user))
    for name, rows in (
        ("connections.json", _connections(user.id)),
        ("blocks.json", _blocks(user.id)),
        ("conversations.json", _conversations(user.id)),
        ("threads.json", _threads(user.id)),
        ("posts.json", _posts(user.id)),
        ("suggestions.json", _suggestions(user.id)),
        ("votes.json", _votes(user.id)),
        ("live_questions.json", _live_questions(user.id)),
        ("live_answers.json", _own_rows(LiveAnswer, user.id, "question_id", "text")),
        ("live_chat.json", _own_rows(LiveChatMessage, user.id, "session_id", "text")),
        ("notifications.json", _rows(*every_visible_notification(user))),
        ("files.json", (version for version, _key in _file_versions(user.id))),
    ):
        yield from archive.json_array(name, rows)
    for version, storage_key in _file_versions(user.id):
        yield from archive.copy(version["path"], storage.path_of(storage_key))
    yield archive.close()


class _Pipe(io.RawIOBase):
    """A write-only stream that keeps what is written until it is taken: zipfile writes
    to it (it cannot seek, so zipfile puts each entry's sizes after its data)."""

    def __init__(self) -> None:
        self.pending = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.pending += data
        return len(data)

    def flush(self) -> None:
        """Nothing to flush: the bytes wait in `pending`."""

    def take(self) -> bytes:
        data = bytes(self.pending)
        self.pending.clear()
        return data


class _Archive:
    def __init__(self) -> None:
        self.pipe = _Pipe()
        self.zip = zipfile.ZipFile(self.pipe, "w", compression=zipfile.ZIP_DEFLATED)

    def _entry(self, name: str) -> zipfile.ZipInfo:
        """A new entry dated now (zipfile would date it 1980)."""
        entry = zipfile.ZipInfo(name, date_time=datetime.now().timetuple()[:6])
        entry.compress_type = zipfile.ZIP_DEFLATED
        return entry

    def _ready(self) -> Iterator[bytes]:
        if len(self.pipe.pending) >= SEND_AT:
            yield self.pipe.take()

    def text(self, name: str, text: str) -> Iterator[bytes]:
        self.zip.writestr(name, text)
        yield from self._ready()

    def json_value(self, name: str, value) -> Iterator[bytes]:
        yield from self.text(name, _json(value, indent=2) + "\n")

    def json_array(self, name: str, rows: Iterable[dict]) -> Iterator[bytes]:
        """A JSON array written an item at a time (an entry of unknown size: zip64)."""
        with self.zip.open(self._entry(name), "w", force_zip64=True) as entry:
            separator = b"[\n"
            for row in rows:
                entry.write(separator + _json(row).encode())
                separator = b",\n"
                yield from self._ready()
            entry.write(b"[]\n" if separator == b"[\n" else b"\n]\n")
        yield from self._ready()

    def copy(self, name: str, path) -> Iterator[bytes]:
        if not path.is_file():  # missing from storage: files.json still lists it
            return
        with (
            open(path, "rb") as source,
            self.zip.open(self._entry(name), "w", force_zip64=True) as entry,
        ):
            while chunk := source.read(storage.CHUNK):
                entry.write(chunk)
                yield from self._ready()
        yield from self._ready()

    def close(self) -> bytes:
        self.zip.close()
        return self.pipe.take()


def _json(value, indent: int | None = None) -> str:
    return json.dumps(value, default=_iso, ensure_ascii=False, indent=indent)


def _iso(value):
    if isinstance(value, datetime):
        return value.isoformat() + "Z"
    raise TypeError(f"{type(value).__name__} is not JSON")


def _rows(statement, params: dict | None = None) -> Iterator[dict]:
    """Each row as a dict of its columns, fetched from the database in batches."""
    result = db.session.execute(statement.execution_options(yield_per=BATCH), params)
    for row in result.mappings():
        yield dict(row)


# --- What goes in each file ------------------------------------------------------------


def _profile(user: User) -> dict:
    return {**MeSchema().dump(user), "notification_email": email_preference(user)}


def _person(person_id: int, name: str) -> dict:
    return {"id": person_id, "name": name}


def _connections(user_id: int) -> Iterator[dict]:
    other_id = Connection.user_low_id + Connection.user_high_id - user_id
    statement = (
        select(Connection, User.name)
        .join(User, User.id == other_id)
        .where(or_(Connection.user_low_id == user_id, Connection.user_high_id == user_id))
        .order_by(Connection.created_at)
    )
    for connection, name in db.session.execute(statement.execution_options(yield_per=BATCH)):
        yield {
            "person": _person(connection.other(user_id), name),
            "status": connection.status_for(user_id),
            "created_at": connection.created_at,
            "connected_at": connection.connected_at,
        }


def _blocks(user_id: int) -> Iterator[dict]:
    statement = (
        select(Block.blocked_id, User.name, Block.created_at)
        .join(User, User.id == Block.blocked_id)
        .where(Block.blocker_id == user_id)
        .order_by(Block.created_at)
    )
    for row in _rows(statement):
        yield {"person": _person(row["blocked_id"], row["name"]), "created_at": row["created_at"]}


def _conversations(user_id: int) -> Iterator[dict]:
    conversation_ids = list(
        db.session.scalars(
            select(ConversationParticipant.conversation_id)
            .where(ConversationParticipant.user_id == user_id)
            .order_by(ConversationParticipant.conversation_id)
        )
    )
    for conversation_id in conversation_ids:
        participants = db.session.execute(
            select(User.id, User.name)
            .join(ConversationParticipant, ConversationParticipant.user_id == User.id)
            .where(ConversationParticipant.conversation_id == conversation_id)
            .order_by(User.id)
        ).all()
        messages = (
            select(Message.id, Message.sender_id, User.name, Message.body, Message.created_at)
            .outerjoin(User, User.id == Message.sender_id)
            .where(Message.conversation_id == conversation_id)
            .order_by(Message.id)
        )
        # One conversation's messages are a list inside one item: held together, as a
        # conversation is read. The posts of a busy account are what must stream.
        yield {
            "id": conversation_id,
            "participants": [_person(pid, name) for pid, name in participants],
            "messages": [
                {
                    "id": m["id"],
                    "author": person_ref(m["sender_id"], m["name"]),
                    "body": m["body"],
                    "created_at": m["created_at"],
                }
                for m in _rows(messages)
            ],
        }


def _threads(user_id: int) -> Iterator[dict]:
    statement = (
        select(Thread.id, Thread.group_id, Thread.title, Post.body, Thread.created_at)
        .outerjoin(Post, (Post.thread_id == Thread.id) & Post.is_opening.is_(True))
        .where(Thread.author_id == user_id)
        .order_by(Thread.id)
    )
    return _rows(statement)


def _posts(user_id: int) -> Iterator[dict]:
    statement = (
        select(
            Post.id,
            Post.thread_id,
            Post.group_id,
            Post.is_opening,
            Post.reply_to_id,
            Post.body,
            Post.created_at,
            Post.edited_at,
        )
        .where(Post.author_id == user_id)
        .order_by(Post.id)
    )
    return _rows(statement)


def _suggestions(user_id: int) -> Iterator[dict]:
    statement = (
        select(
            Suggestion.id,
            Suggestion.group_id,
            Suggestion.title,
            Suggestion.body,
            Suggestion.status,
            Suggestion.created_at,
        )
        .where(Suggestion.author_id == user_id)
        .order_by(Suggestion.id)
    )
    return _rows(statement)


def _votes(user_id: int) -> Iterator[dict]:
    for row in _rows(
        select(SuggestionVote.suggestion_id, SuggestionVote.created_at)
        .where(SuggestionVote.user_id == user_id)
        .order_by(SuggestionVote.created_at)
    ):
        yield {"on": "suggestion", **row}
    for row in _rows(
        select(LiveVote.question_id, LiveVote.created_at)
        .where(LiveVote.user_id == user_id)
        .order_by(LiveVote.created_at)
    ):
        yield {"on": "live_question", **row}


def _live_questions(user_id: int) -> Iterator[dict]:
    statement = (
        select(
            LiveQuestion.id,
            LiveQuestion.session_id,
            LiveQuestion.text,
            LiveQuestion.anonymous,
            LiveQuestion.status,
            LiveQuestion.answered,
            LiveQuestion.created_at,
        )
        .where(LiveQuestion.author_id == user_id)
        .order_by(LiveQuestion.id)
    )
    return _rows(statement)


def _own_rows(model, user_id: int, *columns: str) -> Iterator[dict]:
    """The id, `columns` and time of each of this person's rows of `model`."""
    chosen = [model.id, *(getattr(model, c) for c in columns), model.created_at]
    return _rows(select(*chosen).where(model.author_id == user_id).order_by(model.id))


_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")


def _file_versions(user_id: int) -> Iterator[tuple[dict, str]]:
    """Each version they uploaded, with where its copy is in the zip, and its storage
    key (for the copy; never written in the zip)."""
    statement = (
        select(
            FileVersion.file_id,
            LibraryFile.group_id,
            LibraryFile.title,
            FileVersion.number.label("version"),
            FileVersion.filename,
            FileVersion.content_type,
            FileVersion.size,
            FileVersion.sha256,
            FileVersion.created_at,
        )
        .add_columns(FileVersion.storage_key)
        .join(LibraryFile, LibraryFile.id == FileVersion.file_id)
        .where(FileVersion.uploaded_by_id == user_id)
        .order_by(FileVersion.file_id, FileVersion.number)
    )
    for row in _rows(statement):
        storage_key = row.pop("storage_key")
        name = _UNSAFE.sub("_", row["filename"]).strip(" .") or "file"
        row["path"] = f"files/{row['file_id']}-v{row['version']}-{name}"
        yield row, storage_key
