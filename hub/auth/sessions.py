"""Browser sessions kept on the server: the cookie carries only a random key.

Each sign-in makes a new row (and so a new key); signing out, changing or resetting the
password, deactivating or deleting the account delete rows, and the next request with
their cookie answers 401.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from functools import cache

from flask import after_this_request, current_app, g, has_app_context
from flask_babel import gettext as _
from sqlalchemy import bindparam, delete, select, update

from hub.auth.loading import user_columns, user_from_row
from hub.auth.models import BrowserSession, User
from hub.auth.passwords import secret_digest
from hub.db import run, utcnow
from hub.errors import NotFound
from hub.extensions import db
from hub.revocation import access_revoked

# A session unused this long is over: a forgotten shared computer stays signed in no longer.
IDLE_LIMIT = timedelta(days=14)
TOUCH_SECONDS = 60


def start(user: User, user_agent: str | None) -> tuple[BrowserSession, str]:
    """A new session for this sign-in; returns it and the key for the cookie."""
    key = secrets.token_urlsafe(32)
    record = BrowserSession(
        user_id=user.id,
        key_hash=secret_digest(key),
        csrf_token=secrets.token_urlsafe(32),
        user_agent=(user_agent or "")[:255] or None,
    )
    db.session.add(record)
    return record, key


def caller_for_key(key: str) -> User | None:
    """The active person whose live session this cookie key names, or None; remembers the
    session in `g` for CSRF and for listing. One query on every cookie request."""
    row = run(_user_by_session_key(), {"key_hash": secret_digest(key)}).first()
    if row is None:
        return None
    now = utcnow()
    if now - row.session_last_seen_at > IDLE_LIMIT:
        return None
    user = user_from_row(row)
    if not user.is_active:
        return None
    if (now - row.session_last_seen_at).total_seconds() > TOUCH_SECONDS:
        db.session.execute(
            update(BrowserSession)
            .where(BrowserSession.id == row.session_id)
            .values(last_seen_at=now)
        )
        db.session.commit()
    g.authenticated_by = "cookie"
    g.browser_session_id = row.session_id
    g.csrf_token = row.session_csrf_token
    return user


def current_id() -> int | None:
    """The id of the session this request came with (None for a bearer token, or with no
    request at all)."""
    return g.get("browser_session_id") if has_app_context() else None


def still_open(session_ids: set[int]) -> set[int]:
    """Of these sessions, those not ended nor idle too long."""
    if not session_ids:
        return set()
    cutoff = utcnow() - IDLE_LIMIT
    return set(
        db.session.scalars(
            select(BrowserSession.id).where(
                BrowserSession.id.in_(session_ids), BrowserSession.last_seen_at >= cutoff
            )
        )
    )


def list_sessions(user: User):
    return (
        select(BrowserSession)
        .where(BrowserSession.user_id == user.id)
        .order_by(BrowserSession.last_seen_at.desc(), BrowserSession.id.desc())
    )


def end(user: User, session_id: int) -> None:
    """End one of your sessions (this one too: that is signing out)."""
    ended = db.session.execute(
        delete(BrowserSession)
        .where(BrowserSession.id == session_id, BrowserSession.user_id == user.id)
        .returning(BrowserSession.id)
    ).all()
    if not ended:
        raise NotFound(_("You have no signed-in session with this id."))
    db.session.commit()
    access_revoked(user.id, session_ids=[session_id])


def end_by_key(key: str) -> BrowserSession | None:
    """Delete the session this cookie key names, whoever's it is, in the current
    transaction; returns it (detached) or None."""
    record = db.session.scalar(
        select(BrowserSession).where(BrowserSession.key_hash == secret_digest(key))
    )
    if record is not None:
        db.session.delete(record)
    return record


def end_sessions(user_id: int, keep: int | None = None) -> list[int]:
    """Delete a person's sessions (all but `keep`) in the current transaction; returns
    their ids. The caller commits, then calls `access_revoked` with them."""
    statement = delete(BrowserSession).where(BrowserSession.user_id == user_id)
    if keep is not None:
        statement = statement.where(BrowserSession.id != keep)
    return list(db.session.scalars(statement.returning(BrowserSession.id)))


def cookie_options() -> dict:
    config = current_app.config
    return {
        "httponly": True,
        "samesite": config["SESSION_COOKIE_SAMESITE"],
        "secure": config["SESSION_COOKIE_SECURE"],
        "path": "/",
    }


def clear_cookie_with_response() -> None:
    """The browser forgets its session cookie with this request's response (signing out,
    closing the account): the session behind it has ended already."""
    cookie_name = current_app.config["SESSION_COOKIE_NAME"]

    @after_this_request
    def clear_cookie(response):
        response.delete_cookie(cookie_name, **cookie_options())
        return response


@cache
def _user_by_session_key():
    """Built once (it runs on every cookie request): the user's columns, then the
    session's id, CSRF token and last use."""
    return (
        select(
            *user_columns(),
            BrowserSession.id.label("session_id"),
            BrowserSession.csrf_token.label("session_csrf_token"),
            BrowserSession.last_seen_at.label("session_last_seen_at"),
        )
        .join(BrowserSession, BrowserSession.user_id == User.id)
        .where(BrowserSession.key_hash == bindparam("key_hash"))
    )
