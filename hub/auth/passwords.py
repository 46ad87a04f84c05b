"""Password rules (NCSC and OWASP: length over complexity, refuse the common ones) and hashing."""

from __future__ import annotations

import hashlib
import re
import threading
from functools import cache
from importlib import resources

from flask import current_app
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

from hub.errors import RateLimited

MIN_LENGTH = 10
MAX_LENGTH = 256


@cache
def _common_passwords() -> frozenset[str]:
    text = resources.files("hub.auth").joinpath("common_passwords.txt").read_text()
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and line[0] != "#"
    )


def password_problem(password: str, email: str = "", name: str = "") -> str | None:
    """Why this password is refused, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return _(
            "Use at least %(min)s characters; a few unrelated words make a good password.",
            min=MIN_LENGTH,
        )
    if len(password) > MAX_LENGTH:
        return _("Use at most %(max)s characters.", max=MAX_LENGTH)
    lowered = password.lower()
    stem = re.sub(r"[\d\W_]+$", "", lowered)
    common = _common_passwords()
    if lowered in common or stem in common or len(set(lowered)) < 4:
        return _("This password is too common and easy to guess; choose another.")
    address = email.strip().lower()
    local_part = address.split("@")[0]
    if (address and address in lowered) or (len(local_part) >= 4 and local_part in lowered):
        return _("Do not use your email address in your password.")
    if name and len(name) >= 4 and name.lower().replace(" ", "") in lowered.replace(" ", ""):
        return _("Do not use your name in your password.")
    return None


def secret_digest(secret: str) -> str:
    """How a token, a session key or a reset link is stored: its SHA-256, never itself.
    (They are long and random: a slow hash, as for passwords, would buy nothing.)"""
    return hashlib.sha256(secret.encode()).hexdigest()


def hash_password(password: str) -> str:
    try:
        method = current_app.config["HUB_PASSWORD_HASH"]
    except RuntimeError:  # outside an app context
        method = "scrypt"
    return _hashing(generate_password_hash, password, method=method)


def verify_password(password_hash: str, password: str) -> bool:
    return _hashing(check_password_hash, password_hash, password)


# A password hash costs about a tenth of a second of CPU, by design. Under gevent that
# would stop every websocket and request of the process while it runs, so it runs in
# gevent's pool of real threads (hashlib's scrypt releases the interpreter lock); and only
# a few at once: when people arrive at a live session together, the rest are told to try
# again in a moment (429) rather than queue without end.
WAIT_FOR_A_SLOT = 2.0  # seconds


def _hashing(function, *args, **kwargs):
    slots = _slots()
    if not slots.acquire(timeout=WAIT_FOR_A_SLOT):
        raise RateLimited(
            _("Many people are signing in at this moment; try again in a few seconds."),
            retry_after=2,
        )
    try:
        return _off_the_event_loop(function, *args, **kwargs)
    finally:
        slots.release()


def _slots() -> threading.BoundedSemaphore:
    """The app's hashes that may run at once (HUB_PASSWORD_HASH_SLOTS); one for the
    process outside an app (commands)."""
    try:
        app = current_app._get_current_object()
    except RuntimeError:
        return _COMMAND_SLOTS
    slots = app.extensions.get("hub_password_slots")
    if slots is None:
        slots = app.extensions.setdefault(
            "hub_password_slots", threading.BoundedSemaphore(app.config["HUB_PASSWORD_HASH_SLOTS"])
        )
    return slots


_COMMAND_SLOTS = threading.BoundedSemaphore(1)


def _off_the_event_loop(function, *args, **kwargs):
    """Run a CPU-bound call in a real thread under gevent; as it is elsewhere (each
    request has its own thread there already)."""
    try:
        from gevent import get_hub, monkey
    except ImportError:
        return function(*args, **kwargs)
    if not monkey.is_module_patched("threading"):
        return function(*args, **kwargs)
    return get_hub().threadpool.apply(function, args, kwargs)
