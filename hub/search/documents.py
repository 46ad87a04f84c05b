"""What each kind of thing looks like in the index, read fresh from the database.

Bodies written in Markdown are indexed as the text a reader sees (`plain_text`): no
markup in snippets, and "**damp** and mould" is the phrase "damp and mould".

A `Source` turns ids into `SearchDoc`s in a few queries (never a query per row) and lists
every id for a rebuild. A thing that should not be searchable (deleted, deactivated, a
thread's opening post, a session without a transcript) is simply not returned, and the
indexer deletes it. To index a new kind of thing, add a Source here and the models that
change it to `hub/search/tracking.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache

from sqlalchemy import bindparam, select

from hub.db import run
from hub.extensions import db
from hub.search.backend import SearchDoc
from hub.tags import tag_order
from hub.text import plain_text

API = "/api/v1"


@dataclass(frozen=True)
class Source:
    type: str
    load: Callable[[list[int]], list[SearchDoc]]
    ids: Callable[[], object]  # a select of every id that may be indexed


SOURCES: dict[str, Source] = {}


def source(type_: str, ids: Callable[[], object]):
    def register(load: Callable[[list[int]], list[SearchDoc]]):
        SOURCES[type_] = Source(type_, load, ids)
        return load

    return register


def group_names(group_ids: set[int]) -> dict[int, str]:
    """Each group's current name (a search page names up to ~40: its hits' and facet's)."""
    if not group_ids:
        return {}
    rows = run(_group_names_select(), {"ids": list(group_ids)}).all()
    return {group_id: name for group_id, name in rows}


@cache
def _group_names_select():
    """Built once, run without the ORM: every search asks."""
    from hub.groups.models import Group

    return select(Group.id, Group.name).where(Group.id.in_(bindparam("ids", expanding=True)))


def group_tags(group_ids: set[int]) -> dict[int, list[str]]:
    """The tags of these groups as typed, from the database (the index keeps them in
    lower case, to filter by)."""
    if not group_ids:
        return {}
    tags: dict[int, list[str]] = {}
    for group_id, tag in run(_group_tags_select(), {"ids": list(group_ids)}):
        tags.setdefault(group_id, []).append(tag)
    return {group_id: tag_order(names) for group_id, names in tags.items()}


@cache
def _group_tags_select():
    from hub.groups.models import GroupTag

    return select(GroupTag.group_id, GroupTag.tag).where(
        GroupTag.group_id.in_(bindparam("ids", expanding=True))
    )


def _join(*parts: str | None) -> str:
    return "\n".join(p for p in parts if p)


# --- people --------------------------------------------------------------------------


def _people_ids():
    from hub.auth.models import User

    return select(User.id).where(User.deactivated_at.is_(None)).order_by(User.id)


@source("person", _people_ids)
def load_people(ids: list[int]) -> list[SearchDoc]:
    from hub.auth.models import User, UserExpertise

    people = db.session.execute(
        select(User.id, User.name, User.job_title, User.organisation, User.region, User.bio)
        .add_columns(User.created_at)
        .where(User.id.in_(ids), User.deactivated_at.is_(None))
    ).all()
    tags: dict[int, list[str]] = {}
    for user_id, tag in db.session.execute(
        select(UserExpertise.user_id, UserExpertise.tag)
        .where(UserExpertise.user_id.in_(ids))
        .order_by(UserExpertise.user_id, UserExpertise.tag)
    ):
        tags.setdefault(user_id, []).append(tag)
    return [
        SearchDoc(
            type="person",
            id=u.id,
            title=u.name,
            body=_join(
                u.job_title,
                u.organisation,
                u.region,
                plain_text(u.bio),
                " ".join(tags.get(u.id, ())),
            ),
            group_id=None,
            tags=tags.get(u.id, []),
            created_at=u.created_at,
            url=f"{API}/people/{u.id}",
        )
        for u in people
    ]


# --- groups --------------------------------------------------------------------------


def _group_ids():
    from hub.groups.models import Group

    return select(Group.id).order_by(Group.id)


def group_doc_scope(group) -> int | None:
    """Whose search finds the group itself: everyone while it is listed, else its members.

    Mirrors policy.can_list_group for a non-member: hidden and archived groups are not
    listed, so their own document carries their id and only their readers find it.
    """
    from hub import policy

    if policy.can_list_group(group, policy.GroupAccess()):
        return None
    return group.id


@source("group", _group_ids)
def load_groups(ids: list[int]) -> list[SearchDoc]:
    from hub.groups.models import Group

    groups = db.session.scalars(select(Group).where(Group.id.in_(ids)))
    return [
        SearchDoc(
            type="group",
            id=g.id,
            title=g.name,
            body=g.description or "",
            group_id=group_doc_scope(g),
            group_name=g.name,
            tags=g.tag_names,
            created_at=g.created_at,
            url=f"{API}/groups/{g.id}",
        )
        for g in groups
    ]


# --- forum ---------------------------------------------------------------------------


def _thread_ids():
    from hub.forum.models import Thread

    return select(Thread.id).order_by(Thread.id)


@source("thread", _thread_ids)
def load_threads(ids: list[int]) -> list[SearchDoc]:
    from hub.forum.models import Post, Thread

    rows = db.session.execute(
        select(Thread.id, Thread.title, Thread.group_id, Thread.created_at, Post.body)
        .outerjoin(Post, (Post.thread_id == Thread.id) & Post.is_opening.is_(True))
        .where(Thread.id.in_(ids))
    ).all()
    names = group_names({t.group_id for t in rows})
    return [
        SearchDoc(
            type="thread",
            id=t.id,
            title=t.title,
            body=plain_text(t.body),
            group_id=t.group_id,
            group_name=names.get(t.group_id),
            created_at=t.created_at,
            url=f"{API}/threads/{t.id}",
            parents=(f"group:{t.group_id}",),
        )
        for t in rows
    ]


def _post_ids():
    from hub.forum.models import Post

    return select(Post.id).where(Post.is_opening.is_(False)).order_by(Post.id)


@source("post", _post_ids)
def load_posts(ids: list[int]) -> list[SearchDoc]:
    from hub.forum.models import Post, Thread

    rows = db.session.execute(
        select(Post.id, Post.body, Post.group_id, Post.thread_id, Post.created_at, Thread.title)
        .join(Thread, Thread.id == Post.thread_id)
        .where(Post.id.in_(ids), Post.is_opening.is_(False))
    ).all()
    names = group_names({p.group_id for p in rows})
    return [
        SearchDoc(
            # The thread's title is shown, not indexed: a search for it finds the thread.
            type="post",
            id=p.id,
            title="",
            label=f"Re: {p.title}",
            body=plain_text(p.body),
            group_id=p.group_id,
            group_name=names.get(p.group_id),
            created_at=p.created_at,
            url=f"{API}/posts/{p.id}",
            parents=(f"thread:{p.thread_id}", f"group:{p.group_id}"),
        )
        for p in rows
    ]


# --- suggestions -----------------------------------------------------------------------


def _suggestion_ids():
    from hub.suggestions.models import Suggestion

    return select(Suggestion.id).order_by(Suggestion.id)


@source("suggestion", _suggestion_ids)
def load_suggestions(ids: list[int]) -> list[SearchDoc]:
    from hub.suggestions.models import Suggestion

    rows = db.session.execute(
        select(
            Suggestion.id,
            Suggestion.title,
            Suggestion.body,
            Suggestion.group_id,
            Suggestion.created_at,
        ).where(Suggestion.id.in_(ids))
    ).all()
    names = group_names({s.group_id for s in rows})
    return [
        SearchDoc(
            type="suggestion",
            id=s.id,
            title=s.title,
            body=plain_text(s.body),
            group_id=s.group_id,
            group_name=names.get(s.group_id),
            created_at=s.created_at,
            url=f"{API}/suggestions/{s.id}",
            parents=(f"group:{s.group_id}",),
        )
        for s in rows
    ]


# --- library -----------------------------------------------------------------------------


def _file_ids():
    from hub.library.models import LibraryFile

    return select(LibraryFile.id).order_by(LibraryFile.id)


@source("file", _file_ids)
def load_files(ids: list[int]) -> list[SearchDoc]:
    """A file is searched by its title, description, tags and its newest version's text."""
    from hub.library.models import FileVersion, LibraryFile, LibraryFileTag

    rows = db.session.execute(
        select(
            LibraryFile.id,
            LibraryFile.title,
            LibraryFile.description,
            LibraryFile.group_id,
            LibraryFile.created_at,
            FileVersion.extracted_text,
        )
        .outerjoin(
            FileVersion,
            (FileVersion.file_id == LibraryFile.id) & (FileVersion.number == LibraryFile.version),
        )
        .where(LibraryFile.id.in_(ids))
    ).all()
    tags: dict[int, list[str]] = {}
    for file_id, tag in db.session.execute(
        select(LibraryFileTag.file_id, LibraryFileTag.tag)
        .where(LibraryFileTag.file_id.in_(ids))
        .order_by(LibraryFileTag.file_id, LibraryFileTag.tag)
    ):
        tags.setdefault(file_id, []).append(tag)
    names = group_names({f.group_id for f in rows})
    return [
        SearchDoc(
            type="file",
            id=f.id,
            title=f.title,
            body=_join(plain_text(f.description), f.extracted_text),
            group_id=f.group_id,
            group_name=names.get(f.group_id),
            tags=tags.get(f.id, []),
            created_at=f.created_at,
            url=f"{API}/library/files/{f.id}",
            parents=(f"group:{f.group_id}",),
        )
        for f in rows
    ]


# --- live session transcripts ---------------------------------------------------------------


def _session_ids():
    from hub.live.models import LiveSession

    return (
        select(LiveSession.id)
        .where(LiveSession.transcript_thread_id.is_not(None))
        .order_by(LiveSession.id)
    )


@source("session", _session_ids)
def load_sessions(ids: list[int]) -> list[SearchDoc]:
    """An ended session, searched by its title, description and transcript."""
    from hub.forum.models import Post
    from hub.live.models import LiveSession

    sessions = db.session.scalars(
        select(LiveSession).where(
            LiveSession.id.in_(ids), LiveSession.transcript_thread_id.is_not(None)
        )
    ).all()
    transcripts: dict[int, list[str]] = {}
    thread_ids = [s.transcript_thread_id for s in sessions]
    if thread_ids:
        for thread_id, body in db.session.execute(
            select(Post.thread_id, Post.body)
            .where(Post.thread_id.in_(thread_ids))
            .order_by(Post.thread_id, Post.id)
        ):
            transcripts.setdefault(thread_id, []).append(plain_text(body))
    names = group_names({s.group_id for s in sessions})
    return [
        SearchDoc(
            type="session",
            id=s.id,
            title=s.title,
            body=_join(plain_text(s.description), *transcripts.get(s.transcript_thread_id, [])),
            group_id=s.group_id,
            group_name=names.get(s.group_id),
            created_at=s.created_at,
            url=f"{API}/live-sessions/{s.id}",
            parents=(f"group:{s.group_id}", f"thread:{s.transcript_thread_id}"),
        )
        for s in sessions
    ]


# --- helpers -------------------------------------------------------------------------------


def split_ref(ref: str) -> tuple[str, int]:
    type_, _, id_ = ref.partition(":")
    return type_, int(id_)


def load(refs: set[str]) -> tuple[list[SearchDoc], list[str]]:
    """The documents for these refs as the database has them now, and the refs to delete."""
    by_type: dict[str, list[int]] = {}
    for ref in refs:
        type_, id_ = split_ref(ref)
        by_type.setdefault(type_, []).append(id_)
    docs: list[SearchDoc] = []
    for type_, ids in by_type.items():
        found = SOURCES[type_].load(sorted(ids)) if type_ in SOURCES else []
        docs.extend(found)
    present = {doc.ref for doc in docs}
    return docs, sorted(refs - present)


def all_batches(batch_size: int = 1000) -> Iterator[list[SearchDoc]]:
    """Every document the database holds, in batches (for rebuilds and checks)."""
    for src in SOURCES.values():
        ids = list(db.session.scalars(src.ids()))
        for start in range(0, len(ids), batch_size):
            yield src.load(ids[start : start + batch_size])
            db.session.expunge_all()


def count_all() -> int:
    from sqlalchemy import func

    return sum(
        db.session.scalar(select(func.count()).select_from(src.ids().order_by(None).subquery()))
        for src in SOURCES.values()
    )
