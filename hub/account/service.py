"""Closing an account: the person is erased at once, what they wrote in groups stays.

One transaction deletes the `users` row. The database does the rest (hub/db.py turns
SQLite's foreign keys on): tokens, browser sessions, notifications, connections, blocks,
subscriptions and votes go with it (ON DELETE CASCADE); threads, posts, suggestions, files,
live questions, answers, chat and direct messages stay with a null author (ON DELETE SET
NULL), shown as the former member (hub.auth.schemas.FORMER_MEMBER). Counts the database
would not keep (group members, live votes, the people finder's words) are kept here first.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext

from hub import revocation
from hub.auth.models import User
from hub.auth.passwords import verify_password
from hub.db import utcnow
from hub.errors import Invalid
from hub.extensions import db
from hub.groups.service import end_memberships_of
from hub.live.service import withdraw_votes_of
from hub.messages.service import leave_every_conversation

WRONG_PASSWORD = lazy_gettext(
    "Your password is wrong: type your current password to close your account."
)


def close_account(user: User, password: str) -> None:
    """Erase the caller's account; 422 for a wrong password, 409 while they are the last
    owner of a group. Either refusal leaves everything as it was."""
    if not verify_password(user.password_hash, password):
        raise Invalid(WRONG_PASSWORD, errors={"json": {"password": [WRONG_PASSWORD]}})
    user_id = user.id
    end_memberships_of(user)
    leave_every_conversation(user)
    withdraw_votes_of(user)
    # Deactivating first takes their words out of the people finder with its counts of
    # holders (hub.people.models), which a cascade would leave counting them.
    user.deactivated_at = utcnow()
    db.session.flush()
    db.session.delete(user)  # through the ORM: the search index forgets `person:<id>`
    db.session.commit()
    revocation.access_revoked(user_id)
    current_app.logger.info("account closed", extra={"user_id": user_id})
