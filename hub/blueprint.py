"""The hub's Blueprint: flask-smorest's, with the hub's paging defaults, and response
schemas that dump through `hub.dump.compile_dump`."""

from __future__ import annotations

from flask_smorest.utils import resolve_schema_instance
from marshmallow import Schema

from hub.compat import SmorestBlueprint
from hub.dump import compile_dump


class Blueprint(SmorestBlueprint):
    DEFAULT_PAGINATION_PARAMETERS = {"page": 1, "page_size": 20, "max_page_size": 100}

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
