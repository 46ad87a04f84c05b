"""Accounts: registration, sign-in and out, passwords, email verification, approval,
deactivation and API tokens."""

from __future__ import annotations

import hmac
import secrets
from datetime import timedelta
from functools import cache

from flask import current_app, g
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import bindparam, func, select, update

from hub import policy, revocation
from hub.audit import service as audit
from hub.auth import sessions
from hub.auth.loading import user_columns, user_from_row
from hub.auth.models import ApiToken, BrowserSession, PasswordReset, User
from hub.auth.passwords import hash_password, password_problem, secret_digest, verify_password
from hub.db import run, utcnow
from hub.errors import Conflict, Forbidden, Invalid, NotFound, Unauthorized
from hub.extensions import db
from hub.mail import queue_mail

VERIFY_MAX_AGE_SECONDS = 7 * 24 * 3600
TOKEN_TOUCH_SECONDS = 60
RESET_VALID_FOR = timedelta(hours=1)
RESET_ACCEPTED = lazy_gettext(
    "If an account uses this address, we have emailed it a link to choose a new password. "
    "The link works once, within an hour."
)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def register(data: dict) -> User:
    email = normalise_email(data["email"])
    if db.session.scalar(select(User.id).where(User.email == email)):
        raise Conflict(_("An account with this email address already exists; sign in instead."))
    now = utcnow()
    verification_off = current_app.config["HUB_EMAIL_VERIFICATION"] == "off"
    user = User(
        email=email,
        password_hash=hash_password(data["password"]),
        name=data["name"].strip(),
        role=data["role"],
        organisation=data.get("organisation"),
        job_title=data.get("job_title"),
        email_verified_at=now if verification_off else None,
        approved_at=now if verification_off or policy.is_public_sector_email(email) else None,
    )
    db.session.add(user)
    db.session.flush()
    if not verification_off:
        _queue_verification_mail(user)
    db.session.commit()
    current_app.logger.info("account registered", extra={"user_id": user.id})
    return user


def authenticate(email: str, password: str) -> User:
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        # Spend the same time as a real check, so timing does not reveal who has an account.
        verify_password(_dummy_hash(), password)
        raise Unauthorized(_("The email address or password is wrong."))
    if not verify_password(user.password_hash, password) or not user.is_active:
        raise Unauthorized(_("The email address or password is wrong."))
    return user


@cache
def _dummy_hash() -> str:
    return hash_password("not-a-real-password-ever")


def sign_in(user: User, user_agent: str | None, old_key: str | None) -> tuple[BrowserSession, str]:
    """A new browser session for this sign-in, with a new key every time (a key planted
    in someone's browser before they sign in is worth nothing); the session the browser
    came with, if any, ends."""
    ended = sessions.end_by_key(old_key) if old_key else None
    record, key = sessions.start(user, user_agent)
    db.session.commit()
    if ended is not None:
        revocation.access_revoked(ended.user_id, session_ids=[ended.id])
    return record, key


def sign_out(user: User) -> None:
    """End the browser session this request came with (a bearer token has none)."""
    session_id = sessions.current_id()
    if session_id is not None:
        sessions.end(user, session_id)


def csrf_token_matches(sent: str | None) -> bool:
    expected = g.get("csrf_token")
    return bool(sent and expected and hmac.compare_digest(sent, expected))


def _verification_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="verify-email")


def _queue_verification_mail(user: User) -> None:
    token = _verification_serializer().dumps({"user_id": user.id, "email": user.email})
    base = current_app.config["HUB_BASE_URL"]
    queue_mail(
        user.email,
        _("Confirm your Knowledge Hub email address"),
        _(
            "Hello %(name)s,\n\nConfirm your address to start posting: open this link and "
            "choose Confirm.\n\n%(base)s/verify-email?token=%(token)s\n\n"
            "(A program using the API sends this token to POST %(base)s/api/v1/auth/verify-email:)"
            "\n\n%(token)s\n\nIt is valid for 7 days.",
            name=user.name,
            base=base,
            token=token,
        ),
    )


def resend_verification(user: User) -> None:
    if user.email_verified_at is not None:
        raise Conflict(_("Your email address is already confirmed."))
    _queue_verification_mail(user)
    db.session.commit()


def verify_email(token: str) -> User:
    try:
        data = _verification_serializer().loads(token, max_age=VERIFY_MAX_AGE_SECONDS)
    except SignatureExpired:
        raise Invalid(_("This confirmation token has expired; ask for a new one.")) from None
    except BadSignature:
        raise Invalid(
            _("This confirmation token is not valid; copy it whole from the email.")
        ) from None
    user = db.session.get(User, data["user_id"])
    if user is None or user.email != data["email"]:
        raise Invalid(_("This confirmation token is not valid any more; ask for a new one."))
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
        db.session.commit()
    return user


def approve_account(admin: User, user_id: int) -> User:
    if not policy.can_approve_accounts(admin):
        raise Forbidden(_("Only a site admin can approve accounts."))
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("There is no account with this id."))
    if user.approved_at is None:
        user.approved_at = utcnow()
        audit.record(admin, "account.approved", "person", user.id)
        queue_mail(
            user.email,
            _("Your Knowledge Hub account is approved"),
            _("Hello %(name)s,\n\nA site admin approved your account.", name=user.name),
        )
        db.session.commit()
    return user


def accounts_awaiting_approval(admin: User):
    if not policy.can_approve_accounts(admin):
        raise Forbidden(_("Only a site admin can see accounts awaiting approval."))
    return (
        select(User)
        .where(User.approved_at.is_(None), User.deactivated_at.is_(None))
        .order_by(User.created_at, User.id)
    )


def create_token(user: User, name: str) -> tuple[ApiToken, str]:
    count = db.session.scalar(select(func.count()).where(ApiToken.user_id == user.id))
    if count >= 50:
        raise Conflict(_("You have 50 tokens already; revoke one you no longer use first."))
    token = "khub_" + secrets.token_urlsafe(32)
    record = ApiToken(user_id=user.id, name=name.strip(), token_hash=secret_digest(token))
    db.session.add(record)
    db.session.commit()
    return record, token


def list_tokens(user: User):
    return select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)


def revoke_token(user: User, token_id: int) -> None:
    record = db.session.get(ApiToken, token_id)
    if record is None or record.user_id != user.id:
        raise NotFound(_("You have no token with this id."))
    db.session.delete(record)
    db.session.commit()
    revocation.access_revoked(user.id, token_ids=[token_id])


def active_accounts(user_ids: set[int]) -> set[int]:
    """Of these accounts, those that exist and are not deactivated."""
    if not user_ids:
        return set()
    return set(
        db.session.scalars(
            select(User.id).where(User.id.in_(user_ids), User.deactivated_at.is_(None))
        )
    )


def still_valid_tokens(token_ids: set[int]) -> set[int]:
    """Of these tokens, those not revoked."""
    if not token_ids:
        return set()
    return set(db.session.scalars(select(ApiToken.id).where(ApiToken.id.in_(token_ids))))


def user_for_token(token: str) -> User | None:
    """The active user a bearer token belongs to; touches its last-used time now and then.

    One query on every request: the user's columns with the token's id and last use."""
    row = run(_user_by_token_hash(), {"token_hash": secret_digest(token)}).first()
    if row is None:
        return None
    user = user_from_row(row)
    if not user.is_active:
        return None
    token_id, last = row.token_id, row.token_last_used_at
    now = utcnow()
    if last is None or (now - last).total_seconds() > TOKEN_TOUCH_SECONDS:
        db.session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now))
        db.session.commit()
    g.authenticated_by = "token"
    g.token_id = token_id
    return user


# --- Passwords -----------------------------------------------------------------------


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Set a new password; every other session of the person ends (tokens stay)."""
    if not verify_password(user.password_hash, current_password):
        raise Invalid(
            _("Your current password is wrong."),
            errors={"json": {"current_password": [_("Your current password is wrong.")]}},
        )
    _set_password(user, new_password)
    ended = sessions.end_sessions(user.id, keep=sessions.current_id())
    db.session.commit()
    revocation.access_revoked(user.id, session_ids=ended)


def _set_password(user: User, password: str, field: str = "new_password") -> None:
    problem = password_problem(password, user.email, user.name)
    if problem:
        raise Invalid(problem, errors={"json": {field: [problem]}})
    user.password_hash = hash_password(password)


def request_password_reset(email: str) -> None:
    """Mail a single-use link valid for an hour, if an account uses this address; the
    caller answers the same whether or not one does."""
    user = db.session.scalar(
        select(User).where(User.email == normalise_email(email), User.deactivated_at.is_(None))
    )
    if user is None:
        return
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(
        PasswordReset(
            user_id=user.id,
            token_hash=secret_digest(token),
            created_at=now,
            expires_at=now + RESET_VALID_FOR,
        )
    )
    base = current_app.config["HUB_BASE_URL"]
    queue_mail(
        user.email,
        _("Choose a new Knowledge Hub password"),
        _(
            "Hello %(name)s,\n\nSomeone (we hope you) asked to choose a new password for your "
            "Knowledge Hub account. To choose one, open this link:\n\n"
            "%(base)s/password-reset/new?token=%(token)s\n\n"
            "It works once, within an hour. If you did not ask, ignore this email: your "
            "password has not changed.\n\n"
            "(A program using the API sends this token with the new password to "
            "POST %(base)s/api/v1/auth/password-reset/confirm:)\n\n%(token)s\n",
            name=user.name,
            base=base,
            token=token,
        ),
    )
    db.session.commit()


def confirm_password_reset(token: str, password: str) -> None:
    """Set the password from a reset link; the link and every other of the account's are
    used up, and every session of the account ends."""
    reset = db.session.scalar(
        select(PasswordReset).where(PasswordReset.token_hash == secret_digest(token))
    )
    now = utcnow()
    if reset is None or reset.used_at is not None or reset.expires_at < now:
        raise Invalid(
            _(
                "This password reset link is not valid: it was already used, it is more than an "
                "hour old, or it was copied only in part. Ask for a new one."
            ),
            errors={"json": {"token": [_("Not valid; ask for a new link.")]}},
        )
    user = db.session.get(User, reset.user_id)
    if user is None or not user.is_active:
        raise Invalid(_("This account can no longer sign in; ask a site admin."))
    _set_password(user, password, field="password")
    db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
    )
    ended = sessions.end_sessions(user.id)
    db.session.commit()
    revocation.access_revoked(user.id, session_ids=ended)


# --- Site admins: deactivating and reactivating accounts --------------------------------


def deactivate_account(admin: User, user_id: int) -> User:
    """The account can no longer sign in; its sessions end and its sockets close at once."""
    user = _account_for_admin(admin, user_id)
    if user.id == admin.id:
        raise Conflict(_("You cannot deactivate your own account; ask another site admin."))
    if user.deactivated_at is None:
        user.deactivated_at = utcnow()
        sessions.end_sessions(user.id)
        audit.record(admin, "account.deactivated", "person", user.id)
        db.session.commit()
        revocation.access_revoked(user.id)
    return user


def reactivate_account(admin: User, user_id: int) -> User:
    """The account may sign in again (with its password; its sessions stay ended)."""
    user = _account_for_admin(admin, user_id)
    if user.deactivated_at is not None:
        user.deactivated_at = None
        audit.record(admin, "account.reactivated", "person", user.id)
        db.session.commit()
    return user


def _account_for_admin(admin: User, user_id: int) -> User:
    if not policy.can_deactivate_accounts(admin):
        raise Forbidden(_("Only a site admin can deactivate or reactivate accounts."))
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("There is no account with this id."))
    return user


@cache
def _user_by_token_hash():
    """Built once (it runs on every request): the user's columns, then the id and last use
    of the token whose hash is `token_hash`."""
    return (
        select(
            *user_columns(),
            ApiToken.id.label("token_id"),
            ApiToken.last_used_at.label("token_last_used_at"),
        )
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == bindparam("token_hash"))
    )
