"""The activity feed: only ever content from groups the caller may read."""

from __future__ import annotations

from functools import cache

from sqlalchemy import Integer, bindparam, case, exists, func, literal, select, union_all

from hub.auth.models import User
from hub.auth.schemas import person_ref
from hub.db import dicts, run
from hub.forum.models import Post, Thread
from hub.groups.models import Group, GroupBan, Membership
from hub.library.models import LibraryFile
from hub.live.models import LiveSession
from hub.people.models import Connection


def feed_page(user: User, pagination_parameters) -> list[dict]:
    """One page of the feed, dump-ready, newest first, with the total recorded on the
    smorest pagination object.

    Each kind splits in two disjoint parts: everything in your groups, and your
    connections' items in other groups you may read. Your groups' items are counted by
    the groups' own counts; each part of the page gives at most the first
    `page * page_size` of its newest items, so that neither the count nor the page has
    to gather and sort every matching row of an OR. A first page comes in one statement,
    with its items' columns and the total; a later page is counted first, so that a page
    past the end costs only the count."""
    page, size = pagination_parameters.page, pagination_parameters.page_size
    count, newest = _statements()
    params = {"user_id": user.id, "wanted": page * size, "size": size, "skip": (page - 1) * size}
    if page > 1:
        total = run(count, params).scalar()
        pagination_parameters.item_count = total
        if (page - 1) * size >= total:
            return []
    rows = dicts(run(newest, params))
    if page == 1:
        pagination_parameters.item_count = rows[0]["total"] if rows else 0
    return [_item(row) for row in rows]


@cache
def _statements():
    """Built once: the feed's count and page statements, with parameters `user_id`,
    `wanted`, `size` and `skip`. Your groups and connections are subqueries of them, not
    lists sent with each: one round trip each, and nothing to expand per request. The
    page joins each item's own columns, author and group, and carries the total."""
    banned, mine, connections = _my_bans_groups_and_connections()
    items = Group.post_count + Group.file_count + Group.session_count
    in_my_groups = (
        select(func.coalesce(func.sum(items), 0)).where(Group.id.in_(mine)).scalar_subquery()
    )
    by_connections = [
        select(func.count()).select_from(model).where(condition).scalar_subquery()
        for _kind, model, condition in _connections_parts(banned, mine, connections)
    ]
    count = select(sum(by_connections, in_my_groups))
    newest = []
    for kind, model, condition in _parts(banned, mine, connections):
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
        .subquery()
    )
    return count, _with_columns(page, count.scalar_subquery())


def _with_columns(page, total):
    """The page's items with what the feed shows of each: one join per kind, matched
    only on rows of that kind, and the author and group of whichever kind matched."""

    def of_kind(post_column, file_column, session_column):
        return case(
            (page.c.kind == "post", post_column),
            (page.c.kind == "file", file_column),
            else_=session_column,
        )

    author_id = of_kind(Post.author_id, LibraryFile.uploaded_by_id, LiveSession.created_by_id)
    group_id = of_kind(Post.group_id, LibraryFile.group_id, LiveSession.group_id)
    return (
        select(
            page.c.kind,
            page.c.id,
            page.c.created_at,
            Post.is_opening,
            Post.thread_id,
            of_kind(Thread.title, LibraryFile.title, LiveSession.title).label("title"),
            of_kind(Post.body, LibraryFile.description, LiveSession.description).label("body"),
            of_kind(
                Post.body_html, LibraryFile.description_html, LiveSession.description_html
            ).label("body_html"),
            author_id.label("author_id"),
            User.name.label("author_name"),
            Group.id.label("group_id"),
            Group.name.label("group_name"),
            total.label("total"),
        )
        .select_from(page)
        .outerjoin(Post, (page.c.kind == "post") & (Post.id == page.c.id))
        .outerjoin(Thread, Thread.id == Post.thread_id)
        .outerjoin(LibraryFile, (page.c.kind == "file") & (LibraryFile.id == page.c.id))
        .outerjoin(LiveSession, (page.c.kind == "session") & (LiveSession.id == page.c.id))
        .outerjoin(User, User.id == author_id)
        .join(Group, Group.id == group_id)
        .order_by(page.c.created_at.desc(), page.c.kind, page.c.id.desc())
    )


def _my_bans_groups_and_connections():
    """Selects of the groups that banned `user_id`, the groups they belong to less those,
    and the people they are connected with. Each is a materialised CTE, worked out once
    for the statement rather than again in each of the dozen places that use it."""
    user_id = bindparam("user_id")
    banned = (
        select(GroupBan.group_id)
        .where(GroupBan.user_id == user_id)
        .cte("my_bans")
        .prefix_with("MATERIALIZED")
    )
    banned = select(banned.c.group_id)
    mine = (
        select(Membership.group_id)
        .where(Membership.user_id == user_id, Membership.group_id.not_in(banned))
        .cte("my_groups")
        .prefix_with("MATERIALIZED")
    )
    # Each pair is stored once, low id first.
    connected = Connection.status == "connected"
    connections = (
        union_all(
            select(Connection.user_high_id.label("user_id")).where(
                Connection.user_low_id == user_id, connected
            ),
            select(Connection.user_low_id).where(Connection.user_high_id == user_id, connected),
        )
        .cte("my_connections")
        .prefix_with("MATERIALIZED")
    )
    return banned, select(mine.c.group_id), select(connections.c.user_id)


_KINDS = (
    ("post", Post, Post.author_id),
    ("file", LibraryFile, LibraryFile.uploaded_by_id),
    ("session", LiveSession, LiveSession.created_by_id),
)


def _parts(banned, mine, connections) -> list[tuple[str, object, object]]:
    """(kind, model, condition) of every disjoint part of the feed: each kind's items in
    your groups, then your connections' items elsewhere."""
    in_mine = [(kind, model, model.group_id.in_(mine)) for kind, model, _author in _KINDS]
    return in_mine + _connections_parts(banned, mine, connections)


def _connections_parts(banned, mine, connections) -> list[tuple[str, object, object]]:
    """(kind, model, condition) of your connections' items in the other groups you may
    read: by `readable_group_ids`, those are the open groups not archived and not banning
    you, checked row by row on the few rows your connections wrote (a primary-key lookup
    each) rather than listing every open group."""
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


_URLS = {
    "file": "/api/v1/library/files/{}",
    "session": "/api/v1/live-sessions/{}",
}


def _item(row) -> dict:
    """A dump-ready feed item from a page row: a thread's opening post stands for the
    thread."""
    kind, thread_id = row["kind"], row["thread_id"]
    item = {
        "type": kind,
        "id": row["id"],
        "title": row["title"],
        "body": row["body"],
        "body_html": row["body_html"],
        "author": person_ref(row["author_id"], row["author_name"]),
        "group": {"id": row["group_id"], "name": row["group_name"]},
        "thread": None,
        "created_at": row["created_at"],
    }
    if kind == "post":
        item["thread"] = {"id": thread_id, "title": row["title"]}
        if row["is_opening"]:
            item.update(type="thread", id=thread_id, url=f"/api/v1/threads/{thread_id}")
        else:
            item["url"] = f"/api/v1/posts/{row['id']}"
    else:
        item["url"] = _URLS[kind].format(row["id"])
    return item
