"""The hub's Blueprint: flask-smorest's, with the hub's paging defaults and headers, and
response schemas that dump through `hub.dump.compile_dump`."""

from __future__ import annotations

import flask_smorest
from flask_smorest.utils import resolve_schema_instance
from marshmallow import Schema
from webargs.flaskparser import FlaskParser

from hub.dump import compile_dump


class _Parser(FlaskParser):
    """webargs' parser, with one instance of each schema class it is given.

    smorest hands the parsers schema classes (the views' and its pagination schema), which
    webargs instantiated on every request: marshmallow schemas are costly to build, and
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


class Blueprint(flask_smorest.Blueprint):
    DEFAULT_PAGINATION_PARAMETERS = {"page": 1, "page_size": 20, "max_page_size": 100}
    ARGUMENTS_PARSER = _Parser()
    PAGINATION_ARGUMENTS_PARSER = _Parser()

    def response(self, status_code, schema=None, **kwargs):
        """flask-smorest's response decorator, dumping with a compiled dump of the schema.

        smorest calls `schema.dump(result)` on the instance it was given, and documents that
        same instance. An instance attribute `dump` shadows the method for that one call
        site and leaves the class, its fields and so the OpenAPI document as they were.
        A copy of the instance keeps that attribute: do not also give a response schema
        instance to `fields.Nested`, which copies it with its own `only` or `many`."""
        schema = resolve_schema_instance(schema)
        # The same instance may come to several decorators: compile it once. A schema that
        # compile_dump leaves to marshmallow (it returns the bound `dump`) is left alone.
        if isinstance(schema, Schema) and "dump" not in vars(schema):
            dump = compile_dump(schema)
            if dump != schema.dump:
                schema.dump = dump
        return super().response(status_code, schema, **kwargs)

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
