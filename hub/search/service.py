"""Search: the query a person runs, the outbox handler that writes the index, rebuilds.

Who may read what is `hub.policy`'s decision, gathered by the groups service as
`readable_group_ids(user)`; the backend applies it inside the query.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from flask import Flask, current_app, has_app_context
from sqlalchemy import func, select

from hub.config import ConfigError
from hub.extensions import db
from hub.outbox import OutboxEvent
from hub.search import documents
from hub.search.backend import SearchBackend, SearchDoc, WhooshBackend
from hub.search.postgres import PostgresBackend

log = logging.getLogger("hub.search")

BACKENDS = ("postgres", "whoosh")


def init_app(app: Flask) -> None:
    app.extensions["hub_search"] = _make_backend(app)
    app.extensions.setdefault("hub_readiness", {})["search"] = lambda: backend().ready()
    name = backend_name(app)
    app.extensions.setdefault("hub_readiness_details", {})["search"] = lambda: {"backend": name}


def backend_name(app: Flask) -> str:
    """HUB_SEARCH_BACKEND, or by the database: PostgreSQL's own search where the hub's
    database is PostgreSQL (every web host then serves search), Whoosh on SQLite."""
    name = app.config.get("HUB_SEARCH_BACKEND")
    if not name:
        uri = app.config["SQLALCHEMY_DATABASE_URI"]
        return "postgres" if uri.startswith("postgresql") else "whoosh"
    if name not in BACKENDS:
        raise ConfigError(f"HUB_SEARCH_BACKEND is {name!r}; use postgres or whoosh.")
    if name == "postgres" and not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        raise ConfigError(
            "HUB_SEARCH_BACKEND=postgres needs a PostgreSQL database (HUB_DATABASE_URL); "
            "on SQLite use whoosh."
        )
    return name


def _make_backend(app: Flask) -> SearchBackend:
    if backend_name(app) == "postgres":
        return PostgresBackend()
    accelerate = app.config["HUB_SEARCH_ACCELERATOR"] == "on"
    return WhooshBackend(index_path(app), accelerate=accelerate)


def index_path(app: Flask | None = None) -> Path:
    app = app or current_app
    return Path(app.config["HUB_DATA_DIR"]) / "index"


def backend() -> SearchBackend:
    return current_app.extensions["hub_search"]


def writes_in_transaction() -> bool:
    """Whether the backend writes each change in the transaction that makes it (PostgreSQL)
    rather than after commit, through the outbox (Whoosh)."""
    if not has_app_context() or "hub_search" not in current_app.extensions:
        return False
    return getattr(backend(), "writes_in_transaction", False)


# --- searching ------------------------------------------------------------------------


def search(user, args: dict) -> dict:
    """One page of results for this person, in the shape of API.md's "Search"."""
    from hub.groups.access import readable_group_ids

    allowed = readable_group_ids(user)
    result = backend().search(
        args["q"],
        allowed,
        types=args.get("type") or (),
        group_id=args.get("group_id"),
        tag=args.get("tag"),
        page=args["page"],
        page_size=args["page_size"],
        highlight=args.get("highlight", True),
    )
    shown_groups = {h.group_id for h in result.hits if h.group_id is not None}
    names = documents.group_names(shown_groups | set(result.group_counts))
    tags = documents.group_tags({hit.id for hit in result.hits if hit.type == "group"})
    items = []
    for hit in result.hits:
        if hit.group_id is not None:
            group = {"id": hit.group_id, "name": names.get(hit.group_id, hit.group_name)}
        elif hit.type == "group":
            group = {"id": hit.id, "name": hit.title}
        else:
            group = None
        items.append(
            {
                "type": hit.type,
                "id": hit.id,
                "title": hit.title,
                "snippet": hit.snippet,
                "group": group,
                "tags": tags.get(hit.id, []) if hit.type == "group" else [],
                "url": hit.url,
                "score": hit.score,
                "created_at": hit.created_at,
            }
        )
    facet_groups = sorted(result.group_counts.items(), key=lambda kv: (-kv[1], kv[0]))
    found = {
        "total": result.total,
        "page": args["page"],
        "page_size": args["page_size"],
        "items": items,
        "facets": {
            "type": dict(sorted(result.type_counts.items(), key=lambda kv: (-kv[1], kv[0]))),
            "group": [
                {"id": gid, "name": names.get(gid, ""), "count": count}
                for gid, count in facet_groups
            ],
        },
        "suggestion": result.suggestion,
    }
    if result.extra.get("total_exact") is False:
        found["total_exact"] = False  # a lower bound (API.md); absent when exact
    return found


# --- writing: the outbox handler --------------------------------------------------------


def apply_changes(payloads: list[dict]) -> None:
    """Index or delete what changed, as the database has it now: one writer, one commit."""
    docs, missing = _documents_of(payloads)
    backend().index(docs, deletes=missing)


def write_in_transaction(payloads: list[dict]) -> None:
    """Write what this transaction changed into the same transaction (PostgreSQL), just
    before it commits: the search documents commit, or roll back, with their content."""
    docs, missing = _documents_of(payloads)
    backend().write(docs, deletes=missing)


def _documents_of(payloads: list[dict]) -> tuple[list[SearchDoc], list[str]]:
    refs = {p["ref"] for p in payloads}
    cascades = {p["ref"] for p in payloads if p.get("cascade")}
    refs |= _children(cascades)
    refs |= _transcripts_touched(refs)
    return documents.load(refs)


def _children(refs: set[str]) -> set[str]:
    """Documents that show something of these (a thread's title on its posts)."""
    thread_ids = [documents.split_ref(r)[1] for r in refs if r.startswith("thread:")]
    if not thread_ids:
        return set()
    from hub.forum.models import Post

    ids = db.session.scalars(
        select(Post.id).where(Post.thread_id.in_(thread_ids), Post.is_opening.is_(False))
    )
    return {f"post:{i}" for i in ids}


def _transcripts_touched(refs: set[str]) -> set[str]:
    """A session's document holds its transcript thread's text."""
    if "session" not in documents.SOURCES:
        return set()
    thread_ids = {documents.split_ref(r)[1] for r in refs if r.startswith("thread:")}
    post_ids = [documents.split_ref(r)[1] for r in refs if r.startswith("post:")]
    from hub.forum.models import Post
    from hub.live.models import LiveSession

    if post_ids:
        thread_ids |= set(db.session.scalars(select(Post.thread_id).where(Post.id.in_(post_ids))))
    if not thread_ids:
        return set()
    ids = db.session.scalars(
        select(LiveSession.id).where(LiveSession.transcript_thread_id.in_(thread_ids))
    )
    return {f"session:{i}" for i in ids}


# --- rebuilding and checking -------------------------------------------------------------


def rebuild(progress: Callable[[int], None] | None = None, procs: int = 2) -> int:
    """Rebuild the backend's documents from the database, through its `rebuild`: Whoosh
    builds a new index beside the live one and swaps it in, PostgreSQL replaces its rows
    in one transaction.

    With Whoosh, changes committed while it builds are drained into the old index as
    usual; after the swap they are applied again to the new one (their outbox rows are
    newer than the mark). PostgreSQL writes no search outbox rows, so there are none.
    """
    mark = db.session.scalar(select(func.max(OutboxEvent.id))) or 0
    count = backend().rebuild(documents.all_batches(), progress=progress, procs=procs)
    later = db.session.scalars(
        select(OutboxEvent.payload).where(OutboxEvent.kind == "search", OutboxEvent.id > mark)
    ).all()
    if later:
        apply_changes(list(later))
    return count


def check(fix: bool = False) -> dict[str, list[str]]:
    """Refs missing from the index, stale in it, or in it but not in the database."""
    indexed = backend().stamps()
    wanted: dict[str, SearchDoc] = {}
    for batch in documents.all_batches():
        for doc in batch:
            wanted[doc.ref] = doc
    missing = sorted(ref for ref in wanted if ref not in indexed)
    stale = sorted(
        ref for ref, doc in wanted.items() if ref in indexed and indexed[ref] != doc.stamp()
    )
    extra = sorted(ref for ref in indexed if ref not in wanted)
    if fix and (missing or stale or extra):
        backend().index([wanted[r] for r in missing + stale], deletes=extra)
    return {"missing": missing, "stale": stale, "extra": extra}
