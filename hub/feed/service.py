"""The activity feed: only ever content from groups the caller may read."""

from __future__ import annotations

from functools import cache

from sqlalchemy import Integer, bindparam, exists, func, literal, select, union_all
from sqlalchemy.orm import lazyload, selectinload

from hub.auth.models import User
from hub.extensions import db
from hub.groups.forum.models import Post, Thread
from hub.groups.models import Group, GroupBan, Membership
from hub.library.models import LibraryFile
from hub.live.models import LiveSession
from hub.people.service import connected_ids


def feed_page(user: User, pagination_parameters) -> list:
    """One page of the feed, as rows of (kind, id, created_at), newest first, with the
    total recorded on the smorest pagination object.

    Each kind splits in two disjoint parts: everything in your groups, and your
    connections' items in other groups you may read. Each part is counted on its own
    and gives at most the first `page * page_size` of its newest items, so that neither
    the count nor the page has to gather and sort every matching row of an OR."""
    page, size = pagination_parameters.page, pagination_parameters.page_size
    banned = select(GroupBan.group_id).where(GroupBan.user_id == user.id)
    mine = sorted(
        db.session.scalars(
            select(Membership.group_id).where(
                Membership.user_id == user.id, Membership.group_id.not_in(banned)
            )
        )
    )
    connections = sorted(connected_ids(user.id))
    if not mine and not connections:
        pagination_parameters.item_count = 0
        return []
    count, newest = _statements(bool(mine), bool(connections))
    params = {"user_id": user.id, "mine": mine, "connections": connections}
    total = db.session.scalar(count, params)
    pagination_parameters.item_count = total
    if (page - 1) * size >= total:  # past the end: nothing to fetch
        return []
    params.update(wanted=page * size, size=size, skip=(page - 1) * size)
    return list(db.session.execute(newest, params))


@cache
def _statements(with_mine: bool, with_connections: bool):
    """The feed's count and page statements, built once for each shape, with parameters
    `user_id`, `mine` (your groups less bans), `connections`, `wanted`, `size`, `skip`."""
    parts = _parts(with_mine, with_connections)
    counts = [
        select(func.count()).select_from(model).where(condition).scalar_subquery()
        for _kind, model, condition in parts
    ]
    count = select(sum(counts[1:], counts[0]))
    newest = []
    for kind, model, condition in parts:
        part = (
            select(
                literal(kind).label("kind"),
                model.id.label("id"),
                model.created_at.label("created_at"),
            )
            .where(condition)
            .order_by(model.created_at.desc(), model.id.desc())
            .limit(bindparam("wanted", type_=Integer))
            .subquery()
        )
        newest.append(select(part.c.kind, part.c.id, part.c.created_at))
    everything = union_all(*newest).subquery()
    page = (
        select(everything.c.kind, everything.c.id, everything.c.created_at)
        .order_by(everything.c.created_at.desc(), everything.c.kind, everything.c.id.desc())
        .limit(bindparam("size", type_=Integer))
        .offset(bindparam("skip", type_=Integer))
    )
    return count, page


def _parts(with_mine: bool, with_connections: bool) -> list[tuple[str, object, object]]:
    """(kind, model, condition) of every disjoint part of the feed.

    Items in your groups (less those that banned you), and your connections' items in
    the other groups you may read: by `readable_group_ids`, those are the open groups
    not archived and not banning you, checked row by row on the few rows your
    connections wrote (a primary-key lookup each) rather than listing every open group."""
    banned = select(GroupBan.group_id).where(GroupBan.user_id == bindparam("user_id"))
    mine = bindparam("mine", expanding=True)
    connections = bindparam("connections", expanding=True)
    parts = []
    for kind, model, author_column in (
        ("post", Post, Post.author_id),
        ("file", LibraryFile, LibraryFile.uploaded_by_id),
        ("session", LiveSession, LiveSession.created_by_id),
    ):
        if with_mine:
            parts.append((kind, model, model.group_id.in_(mine)))
        if with_connections:
            open_group = (
                exists()
                .where(
                    Group.id == model.group_id,
                    Group.visibility == "open",
                    Group.archived_at.is_(None),
                )
                .correlate(model)
            )
            condition = author_column.in_(connections) & open_group
            condition &= model.group_id.not_in(banned)
            if with_mine:
                condition &= model.group_id.not_in(mine)
            parts.append((kind, model, condition))
    return parts


def feed_items(rows) -> list[dict]:
    """Dump-ready feed items, each kind loaded in one query: a thread's opening post stands
    for the thread."""
    ids = {"post": [], "file": [], "session": []}
    for row in rows:
        ids[row.kind].append(row.id)
    loaded = {
        "post": _by_id(
            Post,
            ids["post"],
            selectinload(Post.thread).lazyload(Thread.author),
            selectinload(Post.group).lazyload(Group.tags),
            selectinload(Post.author).lazyload(User.expertise),
        ),
        "file": _by_id(
            LibraryFile,
            ids["file"],
            lazyload(LibraryFile.tags),
            lazyload(LibraryFile.current_version),
            selectinload(LibraryFile.uploaded_by).lazyload(User.expertise),
        ),
        "session": _by_id(
            LiveSession,
            ids["session"],
            lazyload(LiveSession.panelists),
            selectinload(LiveSession.created_by).lazyload(User.expertise),
        ),
    }
    groups = _by_id(
        Group,
        {item.group_id for kind in ("file", "session") for item in loaded[kind].values()},
        lazyload(Group.tags),
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
