"""Password rules (NCSC and OWASP: length over complexity, refuse the common ones) and hashing."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

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
        return f"Use at least {MIN_LENGTH} characters; a few unrelated words make a good password."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    lowered = password.lower()
    stem = re.sub(r"[\d\W_]+$", "", lowered)
    common = _common_passwords()
    if lowered in common or stem in common or len(set(lowered)) < 4:
        return "This password is too common and easy to guess; choose another."
    address = email.strip().lower()
    local_part = address.split("@")[0]
    if (address and address in lowered) or (len(local_part) >= 4 and local_part in lowered):
        return "Do not use your email address in your password."
    if name and len(name) >= 4 and name.lower().replace(" ", "") in lowered.replace(" ", ""):
        return "Do not use your name in your password."
    return None


def hash_password(password: str) -> str:
    try:
        method = current_app.config["HUB_PASSWORD_HASH"]
    except RuntimeError:  # outside an app context
        method = "scrypt"
    return generate_password_hash(password, method=method)


def verify_password(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)
