"""Access to groups: what a person is to a group, and which groups they may read.

The facts other features (forum, suggestions, library, search, live, notifications) ask
before they ask `hub.policy`; groups' own service builds on them too.
"""

from __future__ import annotations

from functools import cache

from flask_babel import gettext as _
from flask_babel import lazy_gettext
from sqlalchemy import (
    String,
    bindparam,
    cast,
    event,
    exists,
    func,
    or_,
    select,
)
from sqlalchemy.orm import Session, lazyload

from hub import policy
from hub.auth.models import User
from hub.db import run, value_list, values_of
from hub.errors import Forbidden, NotFound
from hub.extensions import db
from hub.groups.models import Group, GroupBan, GroupTag, Invitation, JoinRequest, Membership
from hub.policy import GroupAccess
from hub.tags import tag_order

NOT_FOUND = lazy_gettext("There is no group with this id, or you may not see it.")


def group_access(user: User | None, group: Group) -> GroupAccess:
    """What this person is to this group, read fresh from the database in one query."""
    if user is None or not user.is_authenticated:
        return GroupAccess()
    row = db.session.execute(select(*access_columns(group.id, user.id))).one()
    return access_of(user, row)


def access_columns(group_id, user_id) -> tuple:
    """The facts of a GroupAccess as the columns `role`, `invited`, `requested` and
    `banned`, for a group id (or a group id column, to read them in the query that loads
    the group, its thread or its file) and a person's id (None: nobody)."""

    def theirs(model):
        return (model.group_id == group_id, model.user_id == user_id)

    return (
        select(Membership.role).where(*theirs(Membership)).scalar_subquery().label("role"),
        exists().where(*theirs(Invitation)).label("invited"),
        exists().where(*theirs(JoinRequest)).label("requested"),
        exists().where(*theirs(GroupBan)).label("banned"),
    )


def access_of(user: User | None, row) -> GroupAccess:
    """The GroupAccess read by `access_columns` into this row."""
    return GroupAccess(
        role=row.role,
        invited=bool(row.invited),
        requested=bool(row.requested),
        banned=bool(row.banned),
        site_admin=policy.is_site_admin(user),
    )


def caller_id(user: User | None) -> int | None:
    """The id to read a person's access by: None (matching no row) when signed out."""
    return user.id if user is not None and user.is_authenticated else None


def get_visible_group(user: User | None, group_id: int) -> Group:
    """The group, or 404 when it does not exist or is hidden from this person."""
    return visible_group_and_access(user, group_id)[0]


def get_readable_group(user: User | None, group_id: int) -> Group:
    """The group whose content this person may read: 404 if unseen, 403 if not readable."""
    group, access = visible_group_and_access(user, group_id)
    if not policy.can_read_group_content(group, access):
        raise Forbidden(_("Only members can read this group's content; ask to join it first."))
    return group


def group_of_readable_content(
    user: User | None, item, not_found: str, what: str
) -> tuple[Group, GroupAccess]:
    """The group of a thread, suggestion, file...: 404 when the item is missing or its group
    is hidden from the caller, 403 when they may see the group but not read its `what`."""
    group, access = _group_and_access(user, item.group_id) if item is not None else (None, None)
    require_readable_content(group, access, not_found, what)
    return group, access


def require_readable_content(
    group: Group | None, access: GroupAccess | None, not_found: str, what: str
) -> None:
    """404 unless the group exists and the caller may see it, 403 unless they may read its
    content (its `what`: threads, files...)."""
    if group is None or not policy.can_see_group(group, access):
        raise NotFound(not_found)
    if not policy.can_read_group_content(group, access):
        raise Forbidden(
            _("Only members can read this group's %(what)s; ask to join it first.", what=what)
        )


def require_readable_facts(
    user: User | None, facts, params: dict, not_found: str, what: str
) -> None:
    """`require_readable_content` for a read that needs no Group object (a page of a group's
    threads, or a thread's posts): `facts`, a select of `facts_with_access()`, reads what
    policy decides on as one plain row."""
    row = run(facts, {**params, "caller_id": caller_id(user)}).first()
    require_readable_content(row, access_of(user, row) if row else None, not_found, what)


def facts_with_access() -> tuple:
    """What policy reads of a group (its visibility and archive time), with the access of
    `caller_id`: the columns of a `require_readable_facts` select."""
    return (Group.visibility, Group.archived_at, *access_columns(Group.id, bindparam("caller_id")))


def require_readable_group_content(user: User | None, group_id: int) -> None:
    """`get_readable_group`'s decision, without loading the group (nor reading anything
    when this request has read the group and the caller's access already)."""
    known = _known_access(user, group_id)
    if known is not None:
        require_readable_content(*known, NOT_FOUND, _("content"))
        return
    params = {"group_id": group_id}
    require_readable_facts(user, _group_facts(), params, NOT_FOUND, _("content"))


def readable_content_rows(user: User | None, group_id: int, statement, limit: int) -> list:
    """The first `limit` rows of a built-once `statement` of a group's content (with bind
    parameters `group_id` and `limit`): 404 or 403 as `get_readable_group` answers."""
    require_readable_group_content(user, group_id)
    return run(statement, {"group_id": group_id, "limit": limit}).all()


@cache
def _group_facts():
    """Built once: `facts_with_access` of the group `group_id`."""
    return select(*facts_with_access()).where(Group.id == bindparam("group_id"))


def readable_group_ids(user: User | None) -> set[int]:
    """Groups whose content this person may read: their memberships and open groups, less bans.

    Asked several times in one request (the feed, notifications, search), it is read once
    per database transaction: the answer is kept in the session until its next flush,
    commit or rollback, so a change in the same request is never missed."""
    if user is None or not user.is_authenticated:
        return set()
    db.session.flush()  # the read below does not autoflush: see this request's changes
    cache = db.session.info.setdefault(_READABLE_CACHE, {})
    if user.id not in cache:
        joined = run(_readable_group_ids_of_user(), {"user_id": user.id}).scalar()
        cache[user.id] = frozenset(map(int, joined.split(","))) if joined else frozenset()
    return set(cache[user.id])


@cache
def _readable_group_ids_of_user():
    """Built once (search asks on every request, for ~700 groups at full scale): the ids
    joined in one string, one row to read instead of a row per group."""
    readable = readable_group_ids_select(bindparam("user_id")).subquery()
    return select(func.aggregate_strings(cast(readable.c.id, String), ","))


def readable_group_ids_select(user_id):
    """`readable_group_ids` as a subquery, for queries that filter by it in SQL (`user_id`:
    an id, or a bind parameter)."""
    mine = select(Membership.group_id).where(Membership.user_id == user_id)
    banned = select(GroupBan.group_id).where(GroupBan.user_id == user_id)
    return select(Group.id).where(
        or_(
            Group.id.in_(mine),
            (Group.visibility == "open") & Group.archived_at.is_(None),
        ),
        Group.id.not_in(banned),
    )


_READABLE_CACHE = "hub.readable_group_ids"
# A group and the caller's access to it, by (caller id, group id): a page asks each of
# its parts' services (threads, members, suggestions, files, sessions), and each checks.
_ACCESS_CACHE = "hub.group_access"


@event.listens_for(Session, "after_flush")
@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_soft_rollback")
def _forget_readable_group_ids(session, *_args) -> None:
    session.info.pop(_READABLE_CACHE, None)
    session.info.pop(_ACCESS_CACHE, None)


def remember_access(user: User | None, group: Group, access: GroupAccess) -> None:
    """Keep what a query read of a group and the caller's access to it until the session's
    next flush, commit or rollback (so that a change in the same request is never missed),
    for the other checks of this request to reuse."""
    db.session.info.setdefault(_ACCESS_CACHE, {})[(caller_id(user), group.id)] = (group, access)


def _known_access(user: User | None, group_id: int) -> tuple[Group, GroupAccess] | None:
    if not db.session.info.get(_ACCESS_CACHE):
        return None
    db.session.flush()  # a pending change clears what is known
    return db.session.info.get(_ACCESS_CACHE, {}).get((caller_id(user), group_id))


def moderator_ids(group_id: int) -> list[int]:
    """The group's owners and moderators."""
    return list(
        db.session.scalars(
            select(Membership.user_id)
            .where(Membership.group_id == group_id, Membership.role.in_(("owner", "moderator")))
            .order_by(Membership.user_id)
        )
    )


def member_ids(group_id: int) -> list[int]:
    return list(
        db.session.scalars(
            select(Membership.user_id)
            .where(Membership.group_id == group_id)
            .order_by(Membership.user_id)
        )
    )


def visible_group_and_access(
    user: User | None, group_id: int, lock: bool = False
) -> tuple[Group, GroupAccess]:
    group, access = _group_and_access(user, group_id, lock)
    if group is None or not policy.can_see_group(group, access):
        raise NotFound(NOT_FOUND)
    group.my_role = access.role
    return group, access


def visible_group_access_and_tags(
    user: User | None, group_id: int
) -> tuple[Group, GroupAccess, list[str]]:
    """`visible_group_and_access` for the group's own page, with its tags (in the order
    lists show them) read in the same statement."""
    row = db.session.execute(
        _group_with_access_and_tags(), {"group_id": group_id, "caller_id": caller_id(user)}
    ).first()
    group, access = (row.Group, access_of(user, row)) if row else (None, GroupAccess())
    if group is None or not policy.can_see_group(group, access):
        raise NotFound(NOT_FOUND)
    group.my_role = access.role
    remember_access(user, group, access)
    return group, access, tag_order(values_of(row.tag_list))


def _group_and_access(
    user: User | None, group_id: int, lock: bool = False
) -> tuple[Group | None, GroupAccess]:
    """The group (None if there is none) and the caller's access to it: in one query, or
    with `lock`, the group's row locked first (PostgreSQL) and then the access read.

    The lock serialises membership changes of one group, so that two owners leaving at
    once cannot both pass the last-owner check; read after the lock is granted, the
    access cannot miss a change committed while this request waited for it."""
    if lock:
        group = db.session.get(
            Group,
            group_id,
            with_for_update=True,
            populate_existing=True,
            options=[lazyload(Group.tags)],
        )
        return group, group_access(user, group) if group is not None else GroupAccess()
    known = _known_access(user, group_id)
    if known is not None:
        return known
    row = db.session.execute(
        _group_with_access(), {"group_id": group_id, "caller_id": caller_id(user)}
    ).first()
    if row is None:
        return None, GroupAccess()
    group, access = row.Group, access_of(user, row)
    remember_access(user, group, access)
    return group, access


@cache
def _group_with_access():
    """Built once: the group `group_id` with the access of `caller_id`. Tags load only
    when the group itself is shown, not for a permission check."""
    return (
        select(Group, *access_columns(Group.id, bindparam("caller_id")))
        .where(Group.id == bindparam("group_id"))
        .options(lazyload(Group.tags))
    )


@cache
def _group_with_access_and_tags():
    """Built once: `_group_with_access` and the group's tags, joined in one column."""
    tags = value_list(GroupTag.tag, GroupTag.group_id == Group.id)
    return _group_with_access().add_columns(tags.label("tag_list"))


# --- The directory and the group itself ----------------------------------------------
