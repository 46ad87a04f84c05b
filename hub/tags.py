"""Tags (of groups and files) and expertise (of people): kept as typed, compared by key.

A tag is stored as its holder typed it (`HHSRS`, `Housing Act 2004`), trimmed, beside its
key: the same text in lower case with runs of spaces made one. Two tags with the same key
are the same tag: a holder has one of them (the unique index on holder and key says so),
and filters compare keys, through an index on the key. The key is computed here, in
Python, rather than by the database's `lower()`: SQLite's folds ASCII letters only, so an
index on `lower(tag)` would find `Öffentlich` on PostgreSQL and miss it on SQLite.
"""

from __future__ import annotations

from collections.abc import Iterable


def tag_key(tag: str) -> str:
    """What two spellings of one tag have in common: lower case, single spaces."""
    return " ".join(tag.split()).lower()


def clean_tags(tags: Iterable[str]) -> list[str]:
    """The tags to hold, trimmed, one spelling of each (the first given), in `tag_order`."""
    kept: dict[str, str] = {}
    for tag in tags:
        tag = " ".join(tag.split())
        if tag:
            kept.setdefault(tag_key(tag), tag)
    return tag_order(kept.values())


def tag_order(tags: Iterable[str]) -> list[str]:
    """The order lists show tags in, whatever the spelling or the database's collation."""
    return sorted(tags, key=lambda tag: (tag_key(tag), tag))


def replace_tags(held: list, wanted: Iterable[str], row_class) -> list:
    """The tag rows for a holder to hold instead of `held`: one for each of `wanted`.

    A tag held in another spelling keeps its row, respelled (rather than a new row beside
    the old: the flush would insert the new before deleting the old, against the unique
    key); `row_class(tag=...)` makes the others."""
    by_key = {row.tag_key: row for row in held}
    rows = []
    for tag in clean_tags(wanted):
        row = by_key.get(tag_key(tag))
        if row is None:
            row = row_class(tag=tag)
        elif row.tag != tag:
            row.tag = tag
        rows.append(row)
    return rows
