"""The activity feed: only ever content from groups the caller may read."""

from __future__ import annotations

from functools import cache

from sqlalchemy import Integer, bindparam, exists, func, literal, select, union_all

from hub.auth.models import User
from hub.auth.schemas import person_ref
from hub.db import run
from hub.groups.forum.models import Post, Thread
from hub.groups.models import Group, GroupBan, Membership
from hub.library.models import LibraryFile
from hub.live.models import LiveSession
from hub.people.models import Connection


def feed_page(user: User, pagination_parameters) -> list:
    """One page of the feed, as rows of (kind, id, created_at), newest first, with the
    total recorded on the smorest pagination object.

    Each kind splits in two disjoint parts: everything in your groups, and your
    connections' items in other groups you may read. Your groups' items are counted by
    the groups' own counts; each part of the page gives at most the first
    `page * page_size` of its newest items, so that neither the count nor the page has
    to gather and sort every matching row of an OR."""
    page, size = pagination_parameters.page, pagination_parameters.page_size
    count, newest = _statements()
    params = {"user_id": user.id}
    total = run(count, params).scalar()
    pagination_parameters.item_count = total
    if (page - 1) * size >= total:  # past the end: nothing to fetch
        return []
    params.update(wanted=page * size, size=size, skip=(page - 1) * size)
    return run(newest, params).all()


@cache
def _statements():
    """Built once: the feed's count and page statements, with parameters `user_id`,
    `wanted`, `size` and `skip`. Your groups and connections are subqueries of them, not
    lists sent with each: one round trip each, and nothing to expand per request."""
    mine, connections = _my_groups(), _my_connections()
    items = Group.post_count + Group.file_count + Group.session_count
    in_my_groups = (
        select(func.coalesce(func.sum(items), 0)).where(Group.id.in_(mine)).scalar_subquery()
    )
    by_connections = [
        select(func.count()).select_from(model).where(condition).scalar_subquery()
        for _kind, model, condition in _connections_parts(mine, connections)
    ]
    count = select(sum(by_connections, in_my_groups))
    newest = []
    for kind, model, condition in _parts(mine, connections):
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


def _my_groups():
    """The groups of `user_id`, less those that banned them."""
    banned = select(GroupBan.group_id).where(GroupBan.user_id == bindparam("user_id"))
    return select(Membership.group_id).where(
        Membership.user_id == bindparam("user_id"), Membership.group_id.not_in(banned)
    )


def _my_connections():
    """The people `user_id` is connected with (each pair is stored once, low id first)."""
    user_id, connected = bindparam("user_id"), Connection.status == "connected"
    return union_all(
        select(Connection.user_high_id).where(Connection.user_low_id == user_id, connected),
        select(Connection.user_low_id).where(Connection.user_high_id == user_id, connected),
    )


_KINDS = (
    ("post", Post, Post.author_id),
    ("file", LibraryFile, LibraryFile.uploaded_by_id),
    ("session", LiveSession, LiveSession.created_by_id),
)


def _parts(mine, connections) -> list[tuple[str, object, object]]:
    """(kind, model, condition) of every disjoint part of the feed: each kind's items in
    your groups, then your connections' items elsewhere."""
    in_mine = [(kind, model, model.group_id.in_(mine)) for kind, model, _author in _KINDS]
    return in_mine + _connections_parts(mine, connections)


def _connections_parts(mine, connections) -> list[tuple[str, object, object]]:
    """(kind, model, condition) of your connections' items in the other groups you may
    read: by `readable_group_ids`, those are the open groups not archived and not banning
    you, checked row by row on the few rows your connections wrote (a primary-key lookup
    each) rather than listing every open group."""
    banned = select(GroupBan.group_id).where(GroupBan.user_id == bindparam("user_id"))
    parts = []
    for kind, model, author_column in _KINDS:
        open_group = (
            exists()
            .where(
                Group.id == model.group_id,
                Group.visibility == "open",
                Group.archived_at.is_(None),
            )
            .correlate(model)
        )
        condition = (
            author_column.in_(connections)
            & open_group
            & model.group_id.not_in(banned)
            & model.group_id.not_in(mine)
        )
        parts.append((kind, model, condition))
    return parts


def feed_items(rows) -> list[dict]:
    """Dump-ready feed items, each kind read in one query (none for a kind the page does
    not hold): a thread's opening post stands for the thread."""
    ids = {"post": [], "file": [], "session": []}
    for row in rows:
        ids[row.kind].append(row.id)
    loaded = {kind: _items_by_id(kind, kind_ids) for kind, kind_ids in ids.items() if kind_ids}
    return [loaded[row.kind][row.id] for row in rows]


def _items_by_id(kind: str, ids: list[int]) -> dict[int, dict]:
    rows = run(_item_statements()[kind], {"ids": ids}).mappings()
    describe = {"post": _post_item, "file": _file_item, "session": _session_item}[kind]
    return {row["id"]: describe(row) for row in rows}


@cache
def _item_statements() -> dict:
    """Built once: each kind's columns for the feed, with its author's and group's names,
    for the ids in the `ids` parameter."""
    ids = bindparam("ids", expanding=True)
    author, group = User.name.label("author_name"), Group.name.label("group_name")
    return {
        "post": select(
            Post.id,
            Post.is_opening,
            Post.body,
            Post.body_html,
            Post.created_at,
            Post.author_id,
            author,
            Post.group_id,
            group,
            Post.thread_id,
            Thread.title.label("thread_title"),
        )
        .join(Thread, Thread.id == Post.thread_id)
        .join(Group, Group.id == Post.group_id)
        .outerjoin(User, User.id == Post.author_id)
        .where(Post.id.in_(ids)),
        "file": _titled_items(LibraryFile, LibraryFile.uploaded_by_id, ids),
        "session": _titled_items(LiveSession, LiveSession.created_by_id, ids),
    }


def _titled_items(model, author_column, ids):
    """What the feed shows of a file or a live session: title, description, author, group."""
    return (
        select(
            model.id,
            model.title,
            model.description,
            model.description_html,
            model.created_at,
            author_column.label("author_id"),
            User.name.label("author_name"),
            model.group_id,
            Group.name.label("group_name"),
        )
        .join(Group, Group.id == model.group_id)
        .outerjoin(User, User.id == author_column)
        .where(model.id.in_(ids))
    )


def _post_item(post) -> dict:
    opening = post["is_opening"]
    thread_id = post["thread_id"]
    return {
        "type": "thread" if opening else "post",
        "id": thread_id if opening else post["id"],
        "title": post["thread_title"],
        "body": post["body"],
        "body_html": post["body_html"],
        "author": person_ref(post["author_id"], post["author_name"]),
        "group": {"id": post["group_id"], "name": post["group_name"]},
        "thread": {"id": thread_id, "title": post["thread_title"]},
        "url": f"/api/v1/threads/{thread_id}" if opening else f"/api/v1/posts/{post['id']}",
        "created_at": post["created_at"],
    }


def _file_item(file) -> dict:
    return {
        "type": "file",
        **_titled_item(file),
        "url": f"/api/v1/library/files/{file['id']}",
    }


def _session_item(session) -> dict:
    return {
        "type": "session",
        **_titled_item(session),
        "url": f"/api/v1/live-sessions/{session['id']}",
    }


def _titled_item(row) -> dict:
    """What a file and a live session show alike: a title and a description."""
    return {
        "id": row["id"],
        "title": row["title"],
        "body": row["description"],
        "body_html": row["description_html"],
        "author": person_ref(row["author_id"], row["author_name"]),
        "group": {"id": row["group_id"], "name": row["group_name"]},
        "thread": None,
        "created_at": row["created_at"],
    }
