"""Handles: the stable, unique name a person is mentioned by (`@james.whitfield`).

A handle is lower case: letters and digits (of any script), with dots, hyphens or
underscores between them, at most 30 long. Each person gets one at registration, made
from their name without titles (`Cllr James Whitfield` is `james.whitfield`, the next
James Whitfield `james.whitfield2`), and may change it (PATCH /me).
"""

from __future__ import annotations

import re
from collections.abc import Collection

from flask_babel import gettext as _

HANDLE_LENGTH = 30
HANDLE_PATTERN = r"^\s*[^\W_](?:[\w.-]{0,28}[^\W_])?\s*$"  # around it, spaces are dropped
HANDLE = re.compile(r"[^\W_](?:[\w.-]{0,28}[^\W_])?")
# Where a handle is written after an `@` in a text: the longest run that could be one,
# ending on a letter or digit (so a full stop after it is not part of it).
HANDLE_IN_TEXT = re.compile(r"(?<![\w@\[.])@([^\W_](?:[\w.-]*[^\W_])?)")

# Left off the front of a name when making a handle from it.
TITLES = frozenset(
    [
        "cllr",
        "councillor",
        "dr",
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "prof",
        "professor",
        "sir",
        "dame",
        "lord",
        "lady",
        "rev",
        "revd",
        "the",
    ]
)
_WORD = re.compile(r"[^\W_]+")


def handle_problem(handle: str) -> str | None:
    """Why this cannot be a handle, or None."""
    if not HANDLE.fullmatch(handle) or handle != handle.lower():
        return _(
            "A handle is 1-30 lower-case letters or digits, with dots, hyphens or "
            "underscores between them (like james.whitfield)."
        )
    return None


def without_titles(words: list[str]) -> list[str]:
    """Lower-case words of a name without the titles in front (never all of them)."""
    start = 0
    while start < len(words) - 1 and words[start].rstrip(".") in TITLES:
        start += 1
    return words[start:]


def handle_base(name: str) -> str:
    """The handle a name would have if no one had it yet: its words after any titles,
    joined by dots, short enough to leave room for a number."""
    words = without_titles(_WORD.findall(name.lower()))
    base = ""
    for word in words:
        longer = f"{base}.{word}" if base else word[: HANDLE_LENGTH - 4]
        if len(longer) > HANDLE_LENGTH - 4:
            break
        base = longer
    return base or "member"


def first_free_handle(base: str, taken: Collection[str]) -> str:
    """`base`, or the first of `base2`, `base3`, ... that is not taken."""
    if base not in taken:
        return base
    n = 2
    while f"{base}{n}" in taken:
        n += 1
    return f"{base}{n}"
