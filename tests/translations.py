"""A translator's catalogue, made for a test: compiled as Flask-Babel reads it."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo


def write_catalogue(directory: Path, locale: str, messages: dict) -> str:
    """`directory` as BABEL_TRANSLATION_DIRECTORIES with one compiled catalogue: each
    message (a string, or a (singular, plural) pair) to its translation (a string, or a
    tuple with one form for each of the language's plural forms)."""
    catalog = Catalog(locale=locale, domain="messages")
    for message, translation in messages.items():
        catalog.add(message, translation)
    folder = directory / locale / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with open(folder / "messages.mo", "wb") as stream:
        write_mo(stream, catalog)
    return str(directory)
