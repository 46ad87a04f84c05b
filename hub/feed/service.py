"""The activity feed: only ever content from groups the caller may read."""

from __future__ import annotations

from sqlalchemy import false, literal, or_, select, union_all
from sqlalchemy.orm import selectinload

from hub.auth.models import User
from hub.extensions import db
from hub.groups.forum.models import Post
from hub.groups.models import Group, Membership
from hub.groups.service import readable_group_ids
from hub.library.models import LibraryFile
from hub.live.models import LiveSession
from hub.people.service import connected_ids


def feed_for(user: User):
    """New threads, posts, files and live sessions in your groups, and your connections'
    in groups you may read: rows of (kind, id, created_at), newest first."""
    readable = readable_group_ids(user)
    mine = set(db.session.scalars(select(Membership.group_id).where(Membership.user_id == user.id)))
    connections = connected_ids(user.id)

    def activity(kind: str, model, author_column):
        conditions = []
        if mine & readable:
            conditions.append(model.group_id.in_(mine & readable))
        if connections and readable:
            conditions.append(author_column.in_(connections) & model.group_id.in_(readable))
        return select(
            literal(kind).label("kind"), model.id.label("id"), model.created_at.label("created_at")
        ).where(or_(*conditions) if conditions else false())

    everything = union_all(
        activity("post", Post, Post.author_id),
        activity("file", LibraryFile, LibraryFile.uploaded_by_id),
        activity("session", LiveSession, LiveSession.created_by_id),
    ).subquery()
    return select(everything.c.kind, everything.c.id, everything.c.created_at).order_by(
        everything.c.created_at.desc(), everything.c.kind, everything.c.id.desc()
    )


def feed_items(rows) -> list[dict]:
    """Dump-ready feed items, each kind loaded in one query: a thread's opening post stands
    for the thread."""
    ids = {"post": [], "file": [], "session": []}
    for row in rows:
        ids[row.kind].append(row.id)
    loaded = {
        "post": _by_id(Post, ids["post"], selectinload(Post.thread), selectinload(Post.group)),
        "file": _by_id(LibraryFile, ids["file"]),
        "session": _by_id(LiveSession, ids["session"]),
    }
    groups = _by_id(
        Group, {item.group_id for kind in ("file", "session") for item in loaded[kind].values()}
    )
    describe = {"post": _post_item, "file": _file_item, "session": _session_item}
    return [describe[row.kind](loaded[row.kind][row.id], groups) for row in rows]


def _by_id(model, ids, *options) -> dict:
    if not ids:
        return {}
    rows = db.session.scalars(select(model).where(model.id.in_(ids)).options(*options))
    return {row.id: row for row in rows}


def _post_item(post: Post, _groups) -> dict:
    thread = post.thread
    opening = post.is_opening
    return {
        "type": "thread" if opening else "post",
        "id": thread.id if opening else post.id,
        "title": thread.title,
        "body": post.body,
        "body_html": post.body_html,
        "author": post.author,
        "group": post.group,
        "thread": thread,
        "url": f"/api/v1/threads/{thread.id}" if opening else f"/api/v1/posts/{post.id}",
        "created_at": post.created_at,
    }


def _file_item(file: LibraryFile, groups: dict) -> dict:
    return {
        "type": "file",
        "id": file.id,
        "title": file.title,
        "body": file.description,
        "body_html": file.description_html,
        "author": file.uploaded_by,
        "group": groups[file.group_id],
        "thread": None,
        "url": f"/api/v1/library/files/{file.id}",
        "created_at": file.created_at,
    }


def _session_item(session: LiveSession, groups: dict) -> dict:
    return {
        "type": "session",
        "id": session.id,
        "title": session.title,
        "body": session.description,
        "body_html": session.description_html,
        "author": session.created_by,
        "group": groups[session.group_id],
        "thread": None,
        "url": f"/api/v1/live-sessions/{session.id}",
        "created_at": session.created_at,
    }
