"""Every use of another library's private attributes, in one place, for the versions pinned.

A private attribute can change in any release. Each use here was measured to pay for itself
(docs/benchmarks.md, "Other libraries' internals"), its library is pinned exactly in
setup.cfg, and `check_versions` (called by create_app) refuses to start on any other
version: upgrade by re-reading each use below against the new version, then moving the pin
and `WRITTEN_FOR` together.

Whoosh's internals are not here: hub/search/accelerator.py reads them, and on another
version the search backend runs without it instead of refusing to start.
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import version

import flask_smorest
import flask_smorest.pagination
from flask import Flask
from flask_limiter import Limiter
from marshmallow import Schema, ValidationError, fields
from marshmallow.decorators import POST_DUMP, PRE_DUMP
from webargs.flaskparser import FlaskParser

from hub.fields import Integer

# The distributions whose internals this module reads, at the versions it was written for:
# the same as setup.cfg's `==` pins.
WRITTEN_FOR = {
    "Flask-Limiter": "4.1.1",
    "webargs": "8.7.1",
    "flask-smorest": "0.47.0",
    "marshmallow": "4.4.0",
    "SQLAlchemy": "2.1.9",
}


class IncompatibleVersion(RuntimeError):
    """An installed library is not the version hub/compat.py was written for."""


def check_versions() -> None:
    """Refuse to start on a library version whose internals were not checked."""
    wrong = [
        f"{name} {_installed(name)} is installed, hub/compat.py was written for {expected}"
        for name, expected in WRITTEN_FOR.items()
        if _installed(name) != expected
    ]
    if wrong:
        raise IncompatibleVersion(
            "; ".join(wrong) + ". Check each use in hub/compat.py against the installed "
            "version, then update WRITTEN_FOR and the pins in setup.cfg together."
        )


@cache  # installed versions do not change while the process runs; tests build many apps
def _installed(name: str) -> str:
    return version(name)


# --- Flask-Limiter -------------------------------------------------------------------------


def skip_limiter_check_before_every_request(app: Flask, limiter: Limiter) -> None:
    """Take the limiter's check off every request unless default or app-wide limits exist.

    The hub's few limits sit on the routes they guard, whose decorators check them; with
    none app-wide, the check before every request finds nothing to do, at a few per cent
    of a list's time. Flask-Limiter has no public switch for it."""
    if app.config.get("RATELIMIT_DEFAULT") or app.config.get("RATELIMIT_APPLICATION"):
        return
    every_request = app.before_request_funcs.get(None, [])
    if limiter._check_request_limit in every_request:
        every_request.remove(limiter._check_request_limit)


# --- webargs and flask-smorest -------------------------------------------------------------


class SchemaReusingParser(FlaskParser):
    """webargs' parser, with one instance of each schema class it is given.

    smorest hands the parsers schema classes (the views' and its pagination schema), which
    webargs instantiates on every request: marshmallow schemas are costly to build, and
    hold no state from one load to the next."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._instances: dict[type, Schema] = {}

    def _get_schema(self, argmap, req) -> Schema:
        if isinstance(argmap, type) and issubclass(argmap, Schema):
            if argmap not in self._instances:
                self._instances[argmap] = argmap()
            return self._instances[argmap]
        return super()._get_schema(argmap, req)

    def pre_load(self, location_data, *, schema, req, location):
        """Refuse a NUL character anywhere in what was sent (422): no database column may
        hold one, and PostgreSQL fails on it."""
        where = _nul_at(location_data)
        if where is not None:
            raise ValidationError({where or "_schema": [NUL_MESSAGE]})
        return location_data


NUL_MESSAGE = "Remove the NUL character (\\u0000): text may not contain one."


def _nul_at(value, name: str = "") -> str | None:
    """The name of the first field whose text holds a NUL character, or None."""
    if isinstance(value, str):
        return name if "\x00" in value else None
    if isinstance(value, list | tuple):
        items = ((name, item) for item in value)
    elif hasattr(value, "getlist"):  # a query string's or form's several values a key
        items = ((str(key), item) for key in value for item in value.getlist(key))
    elif isinstance(value, dict):
        items = ((str(key), item) for key, item in value.items())
    else:
        return None
    for key, item in items:
        if "\x00" in key:
            return key.replace("\x00", "") or "_schema"
        found = _nul_at(item, key)
        if found is not None:
            return found
    return None


def _bounded_pagination_schema(def_page, def_page_size, def_max_page_size):
    """smorest's page and page_size arguments, as the hub's Integer (bounded: a page beyond
    2^31-1 answers 422, as every number does), in the OpenAPI document too."""
    smorest_schema = _smorest_pagination_schema(def_page, def_page_size, def_max_page_size)

    class PaginationParametersSchema(smorest_schema):
        page = Integer(load_default=def_page, minimum=1, strict=False)
        page_size = Integer(
            load_default=def_page_size, minimum=1, maximum=def_max_page_size, strict=False
        )

    return PaginationParametersSchema


_smorest_pagination_schema = flask_smorest.pagination._pagination_parameters_schema_factory
flask_smorest.pagination._pagination_parameters_schema_factory = _bounded_pagination_schema


class SmorestBlueprint(flask_smorest.Blueprint):
    """flask-smorest's Blueprint with reused argument schemas and a cheaper X-Pagination."""

    ARGUMENTS_PARSER = SchemaReusingParser()
    PAGINATION_ARGUMENTS_PARSER = SchemaReusingParser()

    @staticmethod
    def _make_pagination_metadata(page, page_size, item_count):
        """flask-smorest's X-Pagination, its keys in its order, always with the page and the
        page size. Built here without smorest's metadata schema, whose creation on every
        request cost more than the rest of the header."""
        metadata = {"total": item_count, "total_pages": 0}
        if item_count:
            last_page = (item_count - 1) // page_size + 1
            metadata.update(total_pages=last_page, first_page=1, last_page=last_page)
            if page <= last_page:
                metadata["page"] = page
                if page > 1:
                    metadata["previous_page"] = page - 1
                if page < last_page:
                    metadata["next_page"] = page + 1
        return {**metadata, "page": page, "page_size": page_size}

    def _document_pagination_metadata(self, spec, resp_doc):
        """X-Pagination as it is sent: one header, a JSON object written as a string
        (smorest documents the object's schema as the header's, which no client reads)."""
        resp_doc.setdefault("headers", {})[self.PAGINATION_HEADER_NAME] = PAGINATION_HEADER


PAGINATION_HEADER = {
    "description": (
        "The page's place in the whole list, as a JSON object: `total` (items), "
        "`total_pages`, `page`, `page_size`, and `first_page`, `last_page`, "
        "`previous_page`, `next_page` where there are such pages."
    ),
    "schema": {"type": "string", "pattern": r"^\{.*\}$"},
    "example": '{"total": 42, "total_pages": 3, "first_page": 1, "last_page": 3, '
    '"page": 1, "next_page": 2, "page_size": 20}',
}


# --- marshmallow (for hub/dump.py) ---------------------------------------------------------


def has_dump_hooks(schema: Schema) -> bool:
    """Whether the schema has pre_dump or post_dump hooks."""
    return bool(schema._hooks.get(PRE_DUMP) or schema._hooks.get(POST_DUMP))


def dumps_as_marshmallow_schema(cls: type[Schema]) -> bool:
    """Whether the schema class serializes an object by marshmallow's own walk."""
    return cls._serialize is Schema._serialize


def serializes_as(cls: type[fields.Field], base: type[fields.Field]) -> bool:
    """Whether a field class turns a value into its output exactly as `base` does."""
    return cls._serialize is base._serialize


def value_converter(field: fields.Field):
    """The field's own conversion of a value read from the object: (value, attr, obj)."""
    return field._serialize


def reads_attribute(field: fields.Field) -> bool:
    """Whether the field reads its value from the object (False: Function, Method, ...)."""
    return field._CHECK_ATTRIBUTE


# --- SQLAlchemy ----------------------------------------------------------------------------


def path_registry(mapper):
    """The mapper's root load path, which the ORM keeps on each instance it loads."""
    return mapper._path_registry
