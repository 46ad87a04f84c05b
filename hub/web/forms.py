"""Forms on pages, validated by the API's own marshmallow schemas.

A form posts fields named as the API's JSON fields. `load` gives the data the service
takes, or the errors to show: each beside its field, all in the error summary at the top.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import wraps
from urllib.parse import urlsplit

from flask import redirect, request, url_for
from flask_login import current_user
from marshmallow import Schema, ValidationError
from marshmallow.fields import Boolean, Field, Integer, List


@dataclass
class Form:
    """What a form page shows: the values typed (never passwords), and the errors."""

    values: dict = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, message)

    def error_list(self, order: list[str] | None = None) -> list[tuple[str, str]]:
        """(field, message) pairs for the error summary, in the order of the page."""
        names = list(self.errors)
        if order:
            names.sort(key=lambda n: order.index(n) if n in order else len(order))
        return [(name, self.errors[name]) for name in names]


def load(
    schema: Schema,
    missing: dict[str, str],
    fields: list[str] | None = None,
    keep_blank: tuple[str, ...] = (),
    lists: tuple[str, ...] = (),
    files: tuple[str, ...] = (),
) -> tuple[dict | None, Form]:
    """The posted form through `schema`: (data, form) when valid, else (None, form) with a
    message for each field. Blank fields count as not given (but those in `keep_blank`,
    which then clear what was there); `missing` says what to ask for when a required one
    is blank; a field in `lists` is typed as words separated by commas; a field in
    `files` is a file input (multipart), not given when no file was chosen."""
    names = fields or [name for name in schema.fields if name not in files]
    raw = {}
    for name in files:
        upload = request.files.get(name)
        if upload is not None and upload.filename:
            raw[name] = upload
    for name in names:
        value = request.form.get(name)
        if value is None:
            continue
        if "password" not in name and name != "token":
            value = value.strip()
        if value or name in keep_blank:
            raw[name] = value
    form = Form(values={k: v for k, v in raw.items() if "password" not in k and k not in files})
    for name in lists:
        if name in raw:
            raw[name] = [word.strip() for word in raw[name].split(",") if word.strip()]
    try:
        data = schema.load(typed(schema, raw))
    except ValidationError as error:
        for name, messages in _flatten(error.messages).items():
            if name in missing and not raw.get(name):
                form.error(name, missing[name])
            else:
                form.error(name, messages[0])
        return None, form
    return data, form


def typed(schema: Schema, raw: dict) -> dict:
    """A form's text as the JSON values the API's strict fields take: a ticked checkbox as
    true, digits as a number (anything else stays text, for the schema to refuse)."""
    return {
        name: _typed(schema.fields[name], value) if name in schema.fields else value
        for name, value in raw.items()
    }


def _typed(field: Field, value):
    if isinstance(field, Boolean) and isinstance(value, str):
        return value in field.truthy
    if isinstance(field, Integer) and isinstance(value, str) and value.isdecimal():
        return int(value)
    if isinstance(field, List) and isinstance(value, list):
        return [_typed(field.inner, item) for item in value]
    return value


def _flatten(messages) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    if isinstance(messages, dict):
        for name, value in messages.items():
            if isinstance(value, dict):
                # A list field's errors come per item: the first item's message stands.
                inner = next(iter(value.values()))
                value = inner if isinstance(inner, list) else [str(inner)]
            out[name] = value if isinstance(value, list) else [str(value)]
    return out


def service_errors(form: Form, errors: dict | None, fallback_field: str, message: str) -> Form:
    """A service's refusal (hub.errors.Invalid's `errors`, keyed by location) beside its
    fields, or beside `fallback_field` when it names none."""
    fields_ = (errors or {}).get("json") or {}
    for name, messages in fields_.items():
        form.error(name, messages[0] if isinstance(messages, list) else str(messages))
    if not fields_:
        form.error(fallback_field, message)
    return form


def safe_next(target: str | None, default: str = "/") -> str:
    """Where to go after signing in: a path on this site only, never another site."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


def see_other(location: str):
    """After a successful post: 303, so that reloading the page does not post again."""
    return redirect(location, code=303)


def sign_in_required(view):
    """A page for people signed in: anyone else goes to sign in, and comes back after."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return see_other(url_for("auth_pages.sign_in", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapper
