"""What the OpenAPI document says beyond the fields: who may call each operation, and rules
over several fields.

An apispec plugin, given to flask-smorest's Api: every operation declares its security
(none for the public ones of hub.auth.guard, else a bearer token or the session cookie),
documents its 401, and, for an unsafe method, the X-CSRF-Token header that a
cookie-authenticated call must send (hub.auth.guard checks it).
"""

from __future__ import annotations

from apispec import BasePlugin

from hub.auth.guard import PUBLIC_ENDPOINTS, SAFE_METHODS

SIGNED_IN = [{"bearer": []}, {"cookie": []}]

CSRF_HEADER = {
    "in": "header",
    "name": "X-CSRF-Token",
    "required": False,
    "description": (
        "Needed when signed in with the session cookie: the `csrf_token` from "
        "POST /api/v1/auth/login or GET /api/v1/auth/csrf. Not needed with a bearer token."
    ),
    "schema": {"type": "string"},
}

UNAUTHORIZED = {
    "description": "Not signed in: no session cookie or bearer token, or one that has ended.",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}


NO_NUL = r"^[^\x00]*$"


def text_without_nul(converter, field, ret, **kwargs) -> dict:
    """Every text the API takes refuses a NUL character (hub.compat's parser answers 422):
    said by a pattern on each string that has no pattern, format or choices of its own
    (those already leave NUL out)."""
    if ret.get("type") != "string" or {"pattern", "format", "enum"} & ret.keys():
        return {}
    return {"pattern": NO_NUL}


class HubPlugin(BasePlugin):
    def schema_helper(self, name, definition, **kwargs) -> dict | None:
        """What a schema's fields cannot say (a rule over several fields, an example), from
        its own `Meta.openapi`: JSON Schema keywords added to the schema's. Not inherited:
        a subclass's example would be its parent's."""
        schema = kwargs.get("schema")
        schema_class = schema if isinstance(schema, type) else type(schema)
        meta = vars(schema_class).get("Meta")
        return getattr(meta, "openapi", None)

    def operation_helper(self, path=None, operations=None, **kwargs) -> None:
        rule = kwargs.get("rule")
        if rule is None or not operations:
            return
        public = rule.endpoint in PUBLIC_ENDPOINTS
        for method, operation in operations.items():
            if public:
                operation["security"] = []
                continue
            operation["security"] = SIGNED_IN
            operation.setdefault("responses", {})["401"] = UNAUTHORIZED
            if method.upper() not in SAFE_METHODS:
                operation.setdefault("parameters", []).append(CSRF_HEADER)
