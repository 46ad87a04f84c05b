"""Accounts: registration, sign-in, email verification, approval and API tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from functools import cache

from flask import current_app, g, session
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import bindparam, func, inspect, select, update
from sqlalchemy.orm import Load, make_transient_to_detached

from hub import policy
from hub.audit import service as audit
from hub.auth.models import ApiToken, User
from hub.auth.passwords import hash_password, verify_password
from hub.db import run, utcnow
from hub.errors import abort
from hub.extensions import db
from hub.mail import queue_mail

VERIFY_MAX_AGE_SECONDS = 7 * 24 * 3600
TOKEN_TOUCH_SECONDS = 60


def normalise_email(email: str) -> str:
    return email.strip().lower()


def register(data: dict) -> User:
    email = normalise_email(data["email"])
    if db.session.scalar(select(User.id).where(User.email == email)):
        abort(409, "An account with this email address already exists; sign in instead.")
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
        abort(401, "The email address or password is wrong.")
    if not verify_password(user.password_hash, password) or not user.is_active:
        abort(401, "The email address or password is wrong.")
    return user


@cache
def _dummy_hash() -> str:
    return hash_password("not-a-real-password-ever")


def new_csrf_token() -> str:
    token = secrets.token_urlsafe(32)
    session["csrf_token"] = token
    return token


def csrf_token_matches(sent: str | None) -> bool:
    expected = session.get("csrf_token")
    return bool(sent and expected and hmac.compare_digest(sent, expected))


def _verification_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="verify-email")


def _queue_verification_mail(user: User) -> None:
    token = _verification_serializer().dumps({"user_id": user.id, "email": user.email})
    base = current_app.config["HUB_BASE_URL"]
    queue_mail(
        user.email,
        "Confirm your Knowledge Hub email address",
        f"Hello {user.name},\n\nConfirm your address to start posting: send this token to "
        f"POST {base}/api/v1/auth/verify-email\n\n{token}\n\nIt is valid for 7 days.",
    )


def resend_verification(user: User) -> None:
    if user.email_verified_at is not None:
        abort(409, "Your email address is already confirmed.")
    _queue_verification_mail(user)
    db.session.commit()


def verify_email(token: str) -> User:
    try:
        data = _verification_serializer().loads(token, max_age=VERIFY_MAX_AGE_SECONDS)
    except SignatureExpired:
        abort(422, "This confirmation token has expired; ask for a new one.")
    except BadSignature:
        abort(422, "This confirmation token is not valid; copy it whole from the email.")
    user = db.session.get(User, data["user_id"])
    if user is None or user.email != data["email"]:
        abort(422, "This confirmation token is not valid any more; ask for a new one.")
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
        db.session.commit()
    return user


def approve_account(admin: User, user_id: int) -> User:
    if not policy.can_approve_accounts(admin):
        abort(403, "Only a site admin can approve accounts.")
    user = db.session.get(User, user_id)
    if user is None:
        abort(404, "There is no account with this id.")
    if user.approved_at is None:
        user.approved_at = utcnow()
        audit.record(admin, "account.approved", "person", user.id)
        queue_mail(
            user.email,
            "Your Knowledge Hub account is approved",
            f"Hello {user.name},\n\nA site admin approved your account.",
        )
        db.session.commit()
    return user


def accounts_awaiting_approval(admin: User):
    if not policy.can_approve_accounts(admin):
        abort(403, "Only a site admin can see accounts awaiting approval.")
    return (
        select(User)
        .where(User.approved_at.is_(None), User.deactivated_at.is_(None))
        .order_by(User.created_at, User.id)
    )


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(user: User, name: str) -> tuple[ApiToken, str]:
    count = db.session.scalar(select(func.count()).where(ApiToken.user_id == user.id))
    if count >= 50:
        abort(409, "You have 50 tokens already; revoke one you no longer use first.")
    token = "khub_" + secrets.token_urlsafe(32)
    record = ApiToken(user_id=user.id, name=name.strip(), token_hash=_hash_token(token))
    db.session.add(record)
    db.session.commit()
    return record, token


def list_tokens(user: User):
    return select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)


def revoke_token(user: User, token_id: int) -> None:
    record = db.session.get(ApiToken, token_id)
    if record is None or record.user_id != user.id:
        abort(404, "You have no token with this id.")
    db.session.delete(record)
    db.session.commit()


def user_for_token(token: str) -> User | None:
    """The active user a bearer token belongs to; touches its last-used time now and then.

    One query on every request: the user's columns with the token's id and last use."""
    row = run(_user_by_token_hash(), {"token_hash": _hash_token(token)}).first()
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
    return user


def user_by_id(user_id: int) -> User | None:
    """The user with this id, by the same path as a token's (for a session cookie)."""
    row = run(_user_by_id(), {"user_id": user_id}).first()
    return None if row is None else user_from_row(row)


def user_from_row(row) -> User:
    """The session's User for a row that starts with `_user_columns`, as if the ORM had
    loaded it (expertise is loaded if a view asks for it).

    Every authenticated request looks its caller up; a Core select and this cost about
    half of the ORM's own query path for the one row."""
    keys = _user_column_keys()
    values = dict(zip(keys, row[: len(keys)], strict=True))
    mapper = inspect(User)
    loaded = db.session.identity_map.get(mapper.identity_key_from_primary_key([values["id"]]))
    if loaded is not None:  # in this session already: the ORM would return that one
        return loaded
    user = mapper.class_manager.new_instance()
    user.__dict__.update(values)
    make_transient_to_detached(user)
    # As the ORM keeps a query's options with what it loads: reloading the user after a
    # commit then reads the row alone, not the expertise as well.
    state = inspect(user)
    state.load_options, state.load_path = (_EXPERTISE_WHEN_ASKED,), mapper._path_registry
    db.session.add(user)
    return user


_EXPERTISE_WHEN_ASKED = Load(User).lazyload(User.expertise)


@cache
def _user_column_keys() -> tuple[str, ...]:
    return tuple(column.key for column in inspect(User).column_attrs)


def _user_columns() -> list:
    return [column.expression for column in inspect(User).column_attrs]


@cache
def _user_by_token_hash():
    """Built once (it runs on every request): the user's columns, then the id and last use
    of the token whose hash is `token_hash`."""
    return (
        select(
            *_user_columns(),
            ApiToken.id.label("token_id"),
            ApiToken.last_used_at.label("token_last_used_at"),
        )
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == bindparam("token_hash"))
    )


@cache
def _user_by_id():
    return select(*_user_columns()).where(User.id == bindparam("user_id"))
