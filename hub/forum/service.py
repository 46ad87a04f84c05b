"""The forum: threads and posts in a group, mentions, replies and subscriptions.

Mentions come in three forms, all in the Markdown body:
- `@[Amira Khan](user:12)`: exact, whatever the name (front ends insert this form when a
  person is picked from a list); it shows as a link to the person's profile.
- `@amira.khan`: a handle (hub.auth.handles), unique and stable, ignoring case; a full
  stop after it ends the sentence, not the handle.
- `@Amira Khan`: a plain name, matched (ignoring case) against the names of the group's
  members, with or without titles (`@James Whitfield` is Cllr James Whitfield), the
  longest name first, up to five words. A name two members share mentions neither: use
  a handle or the exact form for them. Where one `@` could be both, the
  longer wins: a name of two words or more over a handle, a handle over a one-word name.
Mentions notify only people who may read the group (kind `mention`); subscribers to the
thread, its author among them, and the author of the post answered hear of each new post
(kind `reply`), unless they were mentioned in it.
"""

from __future__ import annotations

import re
from functools import cache

from flask_babel import gettext as _
from flask_babel import lazy_gettext
from sqlalchemy import bindparam, delete, exists, func, select
from sqlalchemy.orm import lazyload

from hub import policy
from hub.audit.service import record
from hub.auth.handles import HANDLE_IN_TEXT, TITLES, without_titles
from hub.auth.models import User
from hub.auth.schemas import person_ref
from hub.db import Listing, lock_row, paginate, utcnow
from hub.errors import Conflict, Forbidden, Invalid, NotFound
from hub.extensions import db
from hub.forum.models import Post, Thread, ThreadSubscription
from hub.groups.access import (
    access_columns,
    access_of,
    caller_id,
    facts_with_access,
    get_readable_group,
    group_access,
    remember_access,
    require_readable_content,
    require_readable_facts,
    require_readable_group_content,
)
from hub.groups.models import Group, Membership
from hub.groups.service import count_content
from hub.notifications.service import notify_many
from hub.policy import GroupAccess
from hub.text import render_markdown

EXACT_MENTION = re.compile(r"@\[([^\[\]\n]{1,120})\]\(user:(\d{1,12})\)")
_NAME_WORD = r"[^\W\d_][\w'’.-]*"
PLAIN_MENTION = re.compile(rf"(?<![\w@\[])@({_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,4}})")
_CODE = re.compile(r"```.*?```|~~~.*?~~~|`[^`\n]*`", re.DOTALL)


NO_THREAD = lazy_gettext("There is no thread with this id, or you may not see it.")
NO_POST = lazy_gettext("There is no post with this id, or you may not see it.")


def _author_name(model):
    """The name of the author of a thread or post, as a column.

    A subquery rather than a join: the count of a list then never reads people's rows."""
    return (
        select(User.name).where(User.id == model.author_id).scalar_subquery().label("author_name")
    )


def _with_authors(rows) -> list[dict]:
    """List rows as the schemas dump them: `author_id` and `author_name` as `author`."""
    return [{**row, "author": person_ref(row["author_id"], row["author_name"])} for row in rows]


# --- Threads -------------------------------------------------------------------------


def thread_page(user: User, group_id: int, pagination_parameters) -> list[dict]:
    """One page of the group's threads, dump-ready: pinned first, then the most recently
    active, each with its author and whether you follow it."""
    require_readable_group_content(user, group_id)
    params = {"group_id": group_id, "caller_id": user.id}
    return _with_authors(paginate(_threads(), pagination_parameters, "mappings", params))


@cache
def _threads() -> Listing:
    """Built once: the threads of `group_id`, with whether `caller_id` follows each."""
    followed = exists().where(
        ThreadSubscription.thread_id == Thread.id,
        ThreadSubscription.user_id == bindparam("caller_id"),
    )
    return Listing(
        select(
            Thread.id,
            Thread.group_id,
            Thread.title,
            Thread.author_id,
            _author_name(Thread),
            Thread.pinned,
            Thread.locked,
            Thread.post_count,
            Thread.last_post_at,
            Thread.created_at,
            followed.label("subscribed"),
        )
        .where(Thread.group_id == bindparam("group_id"))
        .order_by(Thread.pinned.desc(), Thread.last_post_at.desc(), Thread.id.desc())
    )


def with_subscribed(user: User, threads: list[Thread]) -> list[Thread]:
    """Mark each thread with whether this person follows it, in one query."""
    ids = [t.id for t in threads]
    if not ids:
        return threads
    followed = set(
        db.session.scalars(
            select(ThreadSubscription.thread_id).where(
                ThreadSubscription.user_id == user.id, ThreadSubscription.thread_id.in_(ids)
            )
        )
    )
    for thread in threads:
        thread.subscribed = thread.id in followed
    return threads


def create_thread(user: User, group_id: int, title: str, body: str) -> Thread:
    """Start a thread with its first post; its author follows it."""
    group = get_readable_group(user, group_id)
    access = group_access(user, group)
    if not policy.can_post_in_group(user, group, access):
        raise Forbidden(_why_not_posting(user, group, access))
    now = utcnow()
    thread = Thread(
        group_id=group.id,
        author_id=user.id,
        title=title.strip(),
        created_at=now,
        last_post_at=now,
        post_count=1,
    )
    db.session.add(thread)
    db.session.flush()
    post = Post(
        thread_id=thread.id,
        group_id=group.id,
        author_id=user.id,
        is_opening=True,
        body=body,
        body_html=render_mentions(body),
        created_at=now,
    )
    db.session.add(post)
    count_content(group, "post", 1)
    db.session.add(ThreadSubscription(user_id=user.id, thread_id=thread.id))
    db.session.flush()
    _notify_mentions(user, group, thread, post, mentioned_ids(body, group.id) - {user.id})
    db.session.commit()
    thread.first_post = post
    thread.subscribed = True
    return thread


def get_thread(user: User, thread_id: int) -> Thread:
    """A thread with its first post, and whether you follow it."""
    thread, _group, _access = _readable_thread(user, thread_id)
    thread.first_post = db.session.scalar(
        select(Post).where(Post.thread_id == thread.id, Post.is_opening)
    )
    return with_subscribed(user, [thread])[0]


def update_thread(user: User, thread_id: int, changes: dict) -> Thread:
    """Moderators pin and lock; the author (or a moderator) renames."""
    thread, group, access = _readable_thread(user, thread_id)
    if ("pinned" in changes or "locked" in changes) and not policy.can_pin_or_lock_thread(
        group, access
    ):
        raise Forbidden(_("Only the group's owners and moderators can pin or lock threads."))
    if "title" in changes and not policy.can_rename_thread(user, thread, group, access):
        raise Forbidden(_("Only the thread's author or the group's moderators can rename it."))
    for field in ("pinned", "locked"):
        if field in changes:
            setattr(thread, field, changes[field])
    if "title" in changes:
        thread.title = changes["title"].strip()
    db.session.commit()
    return get_thread(user, thread.id)


def delete_thread(user: User, thread_id: int) -> None:
    thread, group, access = _readable_thread(user, thread_id)
    if not policy.can_delete_thread(user, thread, group, access):
        raise Forbidden(
            _("Only the group's moderators can delete a thread others have replied to.")
        )
    # The group's row first, as a reply takes it (its count) before the thread's: a reply
    # committed meanwhile is then deleted, and counted out, with the others.
    lock_row(Group, group.id)
    removed = db.session.execute(delete(Post).where(Post.thread_id == thread.id)).rowcount
    count_content(group, "post", -removed)
    if thread.author_id != user.id:  # taking back one's own thread is not moderation
        detail = {"author_id": thread.author_id, "posts": removed}
        record(user, "thread.deleted", "thread", thread.id, group.id, detail)
    db.session.delete(thread)
    db.session.commit()


def subscribe(user: User, thread_id: int) -> None:
    thread, _group, _access = _readable_thread(user, thread_id)
    if db.session.get(ThreadSubscription, (thread.id, user.id)) is None:
        db.session.add(ThreadSubscription(thread_id=thread.id, user_id=user.id))
        db.session.commit()


def unsubscribe(user: User, thread_id: int) -> None:
    thread, _group, _access = _readable_thread(user, thread_id)
    db.session.execute(
        delete(ThreadSubscription).where(
            ThreadSubscription.thread_id == thread.id, ThreadSubscription.user_id == user.id
        )
    )
    db.session.commit()


def _readable_thread(user: User, thread_id: int) -> tuple[Thread, Group, GroupAccess]:
    """The thread, its group and your access, in one query: 404 if unseen, 403 if its group
    is unreadable."""
    row = db.session.execute(
        _thread_with_group_and_access(), {"thread_id": thread_id, "caller_id": caller_id(user)}
    ).first()
    thread, group, access = (row.Thread, row.Group, access_of(user, row)) if row else (None,) * 3
    require_readable_content(group, access, NO_THREAD, _("threads"))
    remember_access(user, group, access)
    return thread, group, access


@cache
def _thread_with_group_and_access():
    """Built once: the thread `thread_id`, its group and the access of `caller_id`."""
    return (
        select(Thread, Group, *access_columns(Group.id, bindparam("caller_id")))
        .join(Group, Group.id == Thread.group_id)
        .where(Thread.id == bindparam("thread_id"))
        .options(lazyload(Thread.author), lazyload(Group.tags))
    )


def _why_not_posting(user: User, group: Group, access: GroupAccess) -> str:
    if group.archived_at is not None:
        return _("This group is archived; its forum can be read but not added to.")
    if not access.is_member:
        return _("Join this group to start threads and reply in it.")
    if not policy.can_post(user):
        return _(
            "Confirm your email address (and wait for approval if you were told to) "
            "before you post."
        )
    return _("You may not post in this group.")


# --- Posts ---------------------------------------------------------------------------


def post_page(user: User, thread_id: int, pagination_parameters) -> list[dict]:
    """One page of the thread's posts, dump-ready, oldest first."""
    params = {"thread_id": thread_id}
    require_readable_facts(user, _thread_group_facts(), params, NO_THREAD, _("threads"))
    return _with_authors(paginate(_posts(), pagination_parameters, "mappings", params))


def thread_with_posts(
    user: User, thread_id: int, pagination_parameters
) -> tuple[Thread, Group, GroupAccess, list[dict]]:
    """The thread page's reads: the thread, its group, your access and one page of its
    posts (as `post_page`), with access read once, in the thread's own query."""
    thread, group, access = _readable_thread(user, thread_id)
    params = {"thread_id": thread_id}
    posts = _with_authors(paginate(_posts(), pagination_parameters, "mappings", params))
    return thread, group, access, posts


@cache
def _thread_group_facts():
    """Built once: `facts_with_access` of the group of the thread `thread_id`."""
    return (
        select(*facts_with_access())
        .join(Thread, Thread.group_id == Group.id)
        .where(Thread.id == bindparam("thread_id"))
    )


@cache
def _posts() -> Listing:
    """Built once: the posts of `thread_id`."""
    return Listing(
        select(
            Post.id,
            Post.thread_id,
            Post.group_id,
            Post.author_id,
            _author_name(Post),
            Post.body,
            Post.body_html,
            Post.reply_to_id,
            Post.created_at,
            Post.edited_at,
        )
        .where(Post.thread_id == bindparam("thread_id"))
        .order_by(Post.id)
    )


def create_post(user: User, thread_id: int, body: str, reply_to: int | None) -> Post:
    """Reply in a thread: mentioned people, subscribers and the author answered hear of it."""
    thread, group, access = _readable_thread(user, thread_id)
    if not policy.can_reply_in_thread(user, thread, group, access):
        if thread.locked and policy.can_post_in_group(user, group, access):
            raise Conflict(_("This thread is locked: only the group's moderators can post in it."))
        raise Forbidden(_why_not_posting(user, group, access))
    answered = None
    if reply_to is not None:
        answered = db.session.get(Post, reply_to)
        if answered is None or answered.thread_id != thread.id:
            raise Invalid(
                _("reply_to must be the id of a post in this thread."),
                errors={"json": {"reply_to": [_("No post with this id in this thread.")]}},
            )
    now = utcnow()
    post = Post(
        thread_id=thread.id,
        group_id=group.id,
        author_id=user.id,
        body=body,
        body_html=render_mentions(body),
        reply_to_id=reply_to,
        created_at=now,
    )
    db.session.add(post)
    # In SQL, so that two replies at once both count.
    thread.post_count = Thread.post_count + 1
    count_content(group, "post", 1)
    thread.last_post_at = now
    db.session.flush()
    mentioned = _notify_mentions(
        user, group, thread, post, mentioned_ids(body, group.id) - {user.id}
    )
    followers = set(
        db.session.scalars(
            select(ThreadSubscription.user_id).where(ThreadSubscription.thread_id == thread.id)
        )
    )
    if answered is not None and answered.author_id is not None:
        followers.add(answered.author_id)
    notify_many(
        followers - mentioned - {user.id},
        "reply",
        _news(user, group, thread, post),
        group_id=group.id,
    )
    db.session.commit()
    return post


def threads_of_posts(post_ids: set[int]) -> dict[int, int]:
    """The thread of each of these posts, by post id (for links to posts a search found:
    the caller has already been shown them)."""
    if not post_ids:
        return {}
    rows = db.session.execute(select(Post.id, Post.thread_id).where(Post.id.in_(post_ids)))
    return {row.id: row.thread_id for row in rows}


def get_post(user: User, post_id: int) -> Post:
    return _readable_post(user, post_id)[0]


def update_post(user: User, post_id: int, body: str) -> Post:
    """Edit a post (author or moderator); people newly mentioned hear of it."""
    post, thread, group, access = _readable_post(user, post_id)
    if not policy.can_edit_post(user, post, thread, group, access):
        if post.author_id == user.id and thread.locked:
            raise Conflict(_("This thread is locked: its posts can no longer be edited."))
        raise Forbidden(_("Only the post's author or the group's moderators can edit it."))
    before = mentioned_ids(post.body, group.id)
    post.body = body
    post.body_html = render_mentions(body)
    post.edited_at = utcnow()
    _notify_mentions(
        user,
        group,
        thread,
        post,
        mentioned_ids(body, group.id) - before - {user.id, post.author_id},
    )
    db.session.commit()
    return post


def delete_post(user: User, post_id: int) -> None:
    """Delete a reply (author or moderator); the opening post goes with its thread."""
    post, thread, group, access = _readable_post(user, post_id)
    if not policy.can_delete_post(user, post, group, access):
        raise Forbidden(_("Only the post's author or the group's moderators can delete it."))
    if post.is_opening:
        raise Conflict(
            _(
                "This post opened its thread: delete the thread instead "
                "(DELETE /api/v1/threads/%(thread_id)s), or edit the post.",
                thread_id=thread.id,
            ),
        )
    if not lock_row(Post, post.id):
        raise NotFound(NO_POST)
    db.session.delete(post)
    if post.author_id != user.id:  # taking back one's own post is not moderation
        detail = {"thread_id": thread.id, "author_id": post.author_id}
        record(user, "post.deleted", "post", post.id, group.id, detail)
    db.session.flush()
    thread.post_count = Thread.post_count - 1
    count_content(group, "post", -1)
    thread.last_post_at = (
        db.session.scalar(select(func.max(Post.created_at)).where(Post.thread_id == thread.id))
        or thread.created_at
    )
    db.session.commit()


def _readable_post(user: User, post_id: int) -> tuple[Post, Thread, Group, GroupAccess]:
    post = db.session.get(Post, post_id)
    if post is None:
        raise NotFound(NO_POST)
    thread, group, access = _readable_thread(user, post.thread_id)
    return post, thread, group, access


def _news(user: User, group: Group, thread: Thread, post: Post) -> dict:
    return {
        "user": {"id": user.id, "name": user.name},
        "group": {"id": group.id, "name": group.name},
        "thread": {"id": thread.id, "title": thread.title},
        "post_id": post.id,
    }


def _notify_mentions(
    user: User, group: Group, thread: Thread, post: Post, people: set[int]
) -> set[int]:
    """Notify the people mentioned; returns those who were (readers of the group only)."""
    return set(notify_many(people, "mention", _news(user, group, thread, post), group_id=group.id))


# --- Mentions ------------------------------------------------------------------------


def render_mentions(body: str) -> str:
    """The body as safe HTML, exact mentions shown as links to the person's profile."""
    linked = EXACT_MENTION.sub(lambda m: f"[@{m.group(1)}](/api/v1/people/{m.group(2)})", body)
    return render_markdown(linked)


def mentioned_ids(body: str, group_id: int) -> set[int]:
    """The people a body mentions (see the module's docstring for the two forms)."""
    text = _CODE.sub(" ", body)
    exact = {int(m.group(2)) for m in EXACT_MENTION.finditer(text)}
    text = EXACT_MENTION.sub(" ", text)
    found = set()
    if exact:
        found |= set(
            db.session.scalars(
                select(User.id).where(User.id.in_(exact), User.deactivated_at.is_(None))
            )
        )
    found |= _plain_mentions(text, group_id)
    return found


def _plain_mentions(text: str, group_id: int) -> set[int]:
    """The people `@handle` and `@Name` mentions in a text mean (the module's docstring)."""
    mentions = []  # (the handle it could be, the words of the name it could be)
    for found in HANDLE_IN_TEXT.finditer(text):
        name = PLAIN_MENTION.match(text, found.start())
        mentions.append((found.group(1).lower(), name.group(1).split() if name else []))
    if not mentions:
        return set()
    by_handle = dict(
        db.session.execute(
            select(User.handle, User.id).where(
                User.handle.in_({handle for handle, _words in mentions}),
                User.deactivated_at.is_(None),
            )
        ).all()
    )
    by_name = _members_named(group_id, [words for _handle, words in mentions])
    found = set()
    for handle, words in mentions:
        # The longest match wins; a handle counts as one word, and wins over a one-word name
        # (a handle is unique, a first name seldom).
        for length in range(len(words), 0, -1):
            people = by_name.get(_name_key(" ".join(words[:length])))
            if length == 1 and handle in by_handle:
                people = {by_handle[handle]}
            if people:
                if len(people) == 1:
                    found |= people
                break
        else:
            if handle in by_handle:
                found.add(by_handle[handle])
    return found


def _members_named(group_id: int, spans: list[list[str]]) -> dict[str, set[int]]:
    """The ids of the group's members by name key, for every name a span's words begin; a
    name with titles (`Cllr James Whitfield`) is also found without them."""
    candidates: set[str] = set()
    for words in spans:
        for length in range(1, len(words) + 1):
            candidates.add(_name_key(" ".join(words[:length])))
    candidates |= {f"{title} {name}" for title in TITLES for name in candidates}
    if not candidates:
        return {}
    rows = db.session.execute(
        select(User.id, User.name)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.group_id == group_id,
            func.lower(User.name).in_(candidates),
            User.deactivated_at.is_(None),
        )
    ).all()
    by_name: dict[str, set[int]] = {}
    for row in rows:
        key = _name_key(row.name)
        for name in {key, " ".join(without_titles(key.split()))}:
            by_name.setdefault(name, set()).add(row.id)
    return by_name


def _name_key(name: str) -> str:
    return " ".join(name.rstrip(".'’-").split()).lower()
