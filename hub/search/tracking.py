"""Keep the index in step with the database without touching each feature's code.

A session `after_flush` listener sees every insert, update and delete of an indexed
model and adds an outbox row (`kind="search"`, `{ref, action}`) to the same transaction.
If the transaction rolls back, the rows vanish with it; once it commits, the drain (the
one index writer) reads the rows as they are then and indexes or deletes them.

A backend that writes in the database itself (PostgreSQL) gets no outbox rows: the refs
are kept in the session, and a `before_commit` listener writes their documents into the
same transaction, so they are searchable the moment it commits.

Bulk statements (`session.execute(delete(...))`) bypass the ORM and so this listener: a
deleted thread or group takes its posts (or content) with it through the `parent` field
of the index, and `flask hub search check --fix` repairs anything else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Watch:
    """How changes to one model become refs: `ref(obj)`, and which attributes matter."""

    ref: Callable[[object], str | None]
    attributes: tuple[str, ...] = ()  # empty: any change to the row matters
    cascade_on: tuple[str, ...] = ()  # attributes whose change reindexes the children too


def _watches() -> dict[type, Watch]:
    from hub.auth.models import User, UserExpertise
    from hub.forum.models import Post, Thread
    from hub.groups.models import Group, GroupTag
    from hub.suggestions.models import Suggestion

    watches = {
        User: Watch(
            lambda u: f"person:{u.id}",
            ("name", "job_title", "organisation", "region", "bio", "deactivated_at"),
        ),
        UserExpertise: Watch(lambda e: f"person:{e.user_id}"),
        Group: Watch(
            lambda g: f"group:{g.id}", ("name", "description", "visibility", "archived_at")
        ),
        GroupTag: Watch(lambda t: f"group:{t.group_id}"),
        Thread: Watch(lambda t: f"thread:{t.id}", ("title", "group_id"), ("title",)),
        # An opening post is its thread's body; other posts are documents of their own.
        Post: Watch(
            lambda p: f"thread:{p.thread_id}" if p.is_opening else f"post:{p.id}",
            ("body", "thread_id", "group_id"),
        ),
        Suggestion: Watch(lambda s: f"suggestion:{s.id}", ("title", "body", "group_id")),
    }
    try:
        from hub.library.models import FileVersion, LibraryFile, LibraryFileTag
    except ImportError:  # pragma: no cover - the library is optional while it is built
        pass
    else:
        watches[LibraryFile] = Watch(
            lambda f: f"file:{f.id}", ("title", "description", "version", "group_id")
        )
        watches[LibraryFileTag] = Watch(lambda t: f"file:{t.file_id}")
        watches[FileVersion] = Watch(
            lambda v: f"file:{v.file_id}", ("extracted_text", "text_extracted", "number")
        )
    try:
        from hub.live.models import LiveSession
    except ImportError:  # pragma: no cover
        pass
    else:
        watches[LiveSession] = Watch(
            lambda s: f"session:{s.id}" if s.transcript_thread_id else None,
            ("title", "description", "transcript_thread_id", "group_id"),
        )
    return watches


_cache: dict[type, Watch] = {}


def watches() -> dict[type, Watch]:
    if not _cache:
        _cache.update(_watches())
    return _cache


def _changed(obj, attributes: tuple[str, ...]) -> tuple[bool, set[str]]:
    state = inspect(obj)
    names = attributes or tuple(a.key for a in state.mapper.column_attrs)
    changed = {name for name in names if state.attrs[name].history.has_changes()}
    return bool(changed), changed


def start() -> None:
    """Listen to every session's flushes and ends (once per process)."""
    if not event.contains(Session, "after_flush", _track_search_changes):
        event.listen(Session, "after_flush", _track_search_changes)
        event.listen(Session, "before_commit", _write_search_changes)
        event.listen(Session, "after_commit", _forget_search_refs)
        event.listen(Session, "after_rollback", _forget_search_refs)


def _track_search_changes(session: Session, _context) -> None:
    table = watches()
    seen: dict = session.info.setdefault("search_refs", {})
    found: dict[str, dict] = {}

    def add(ref: str | None, action: str, cascade: bool = False) -> None:
        if ref is None:
            return
        payload = {"ref": ref, "action": action}
        if cascade:
            payload["cascade"] = True
        if seen.get(ref) != payload:
            found[ref] = payload

    for obj in session.new:
        watch = table.get(type(obj))
        if watch is not None:
            add(watch.ref(obj), "index")
    for obj in session.dirty:
        watch = table.get(type(obj))
        if watch is None:
            continue
        changed, names = _changed(obj, watch.attributes)
        if changed:
            add(watch.ref(obj), "index", cascade=bool(names & set(watch.cascade_on)))
    for obj in session.deleted:
        watch = table.get(type(obj))
        if watch is None:
            continue
        ref = watch.ref(obj)
        # Deleting a tag or a version changes its parent; deleting the thing removes it.
        own = type(obj).__name__ in (
            "User",
            "Group",
            "Thread",
            "Post",
            "Suggestion",
            "LibraryFile",
            "LiveSession",
        )
        add(ref, "delete" if own and not _is_opening_post(obj) else "index")
    if not found:
        return
    from hub.search import service

    if service.writes_in_transaction():
        session.info.setdefault("search_pending", {}).update(found)
        seen.update(found)
        return
    from hub.outbox import OutboxEvent

    for ref, payload in found.items():
        session.add(OutboxEvent(kind="search", payload=payload))
        seen[ref] = payload
    session.info["outbox_pending"] = True


def _is_opening_post(obj) -> bool:
    return type(obj).__name__ == "Post" and bool(getattr(obj, "is_opening", False))


def _write_search_changes(session: Session) -> None:
    """Write the documents this transaction changed, before it commits (PostgreSQL)."""
    from hub.search import service

    if not service.writes_in_transaction():
        return
    session.flush()  # the commit's own flush comes after this: its changes are wanted too
    pending = session.info.pop("search_pending", None)
    if pending:
        service.write_in_transaction(list(pending.values()))


def _forget_search_refs(session: Session) -> None:
    session.info.pop("search_refs", None)
    session.info.pop("search_pending", None)
