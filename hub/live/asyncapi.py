"""The AsyncAPI 3 document of the live channel, built from the handlers' own event table and
schemas, so that it cannot drift from what the server accepts (tests/live/test_asyncapi.py
checks it)."""

from __future__ import annotations

from functools import cache

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from hub.live import personal
from hub.live.events import CLIENT_EVENTS, REFUSAL_CODES
from hub.live.schemas import LiveQuestionSchema, LiveSessionSchema
from hub.live.service import EVENT, EVENT_TYPES, NAMESPACE
from hub.messages.schemas import MessageSchema
from hub.notifications.schemas import NotificationSchema

# What each event's acknowledgement holds besides `ok: true`.
ACK_FIELDS = {
    "join": {
        "seq": {"type": "integer", "description": "The last event this state reflects."},
        "session": {"$ref": "#/components/schemas/LiveSession"},
        "questions": {"type": "array", "items": {"$ref": "#/components/schemas/LiveQuestion"}},
    },
    "leave": {},
    "ask": {"question": {"$ref": "#/components/schemas/LiveQuestion"}},
    "vote": {"votes": {"type": "integer"}},
    "unvote": {"votes": {"type": "integer"}},
    "answer": {"question": {"$ref": "#/components/schemas/LiveQuestion"}},
    "moderate": {"question": {"$ref": "#/components/schemas/LiveQuestion"}},
    "chat": {"message": {"$ref": "#/components/schemas/ChatMessage"}},
}

ERROR_ACK = {
    "type": "object",
    "required": ["ok", "error"],
    "properties": {
        "ok": {"const": False},
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {
                    "enum": [
                        "forbidden",
                        "not_found",
                        "invalid",
                        "rate_limited",
                        "not_live",
                        "internal",
                    ]
                },
                "message": {"type": "string", "description": "A sentence a person can act on."},
                "errors": {"type": "object", "description": "invalid: the fields at fault."},
                "retry_after": {"type": "integer", "description": "rate_limited: seconds."},
            },
        },
    },
}

PERSON = {
    "type": ["object", "null"],
    "properties": {"id": {"type": ["integer", "null"]}, "name": {"type": "string"}},
}
CHAT_MESSAGE = {
    "type": "object",
    "required": ["id", "text", "author", "created_at"],
    "properties": {
        "id": {"type": "integer"},
        "text": {"type": "string"},
        "author": PERSON,
        "created_at": {"type": "string", "format": "date-time"},
    },
}


def payload_schema(schema) -> dict:
    """A client event's payload as JSON Schema: its fields, and no others (refused)."""
    converted = _spec_and_converter()[1].schema2jsonschema(schema)
    return {**converted, "additionalProperties": False}


def _shared_schemas() -> dict:
    """The question and the session, with what they nest (a person, an answer), as the
    OpenAPI document has them: `#/components/schemas/...`."""
    spec, _converter = _spec_and_converter()
    schemas = spec.to_dict()["components"]["schemas"]
    for schema in schemas.values():  # what the server sends always has every field
        schema["required"] = list(schema["properties"])
    return schemas


@cache
def document() -> dict:
    messages, operations = {}, {}
    for name, schema, _action in CLIENT_EVENTS:
        messages[name] = {"name": name, "payload": payload_schema(schema)}
        messages[f"{name}.ack"] = {"name": f"{name}.ack", "payload": _ack(name)}
        operations[name] = {
            "action": "receive",
            "channel": {"$ref": "#/channels/live"},
            "summary": f"The client sends `{name}` with an acknowledgement callback.",
            "messages": [{"$ref": f"#/channels/live/messages/{name}"}],
            "reply": {
                "channel": {"$ref": "#/channels/live"},
                "messages": [{"$ref": f"#/channels/live/messages/{name}.ack"}],
            },
        }
    messages[EVENT] = {"name": EVENT, "payload": _live_event()}
    operations[EVENT] = {
        "action": "send",
        "channel": {"$ref": "#/channels/live"},
        "summary": "The server's one event: everything that happens in a joined session.",
        "messages": [{"$ref": f"#/channels/live/messages/{EVENT}"}],
    }
    messages[personal.EVENT] = {"name": personal.EVENT, "payload": _personal_event()}
    operations[personal.EVENT] = {
        "action": "send",
        "channel": {"$ref": "#/channels/live"},
        "summary": "To every connection of one person: a notification of theirs, or a "
        "direct message in one of their conversations (theirs too). Not replayed.",
        "messages": [{"$ref": f"#/channels/live/messages/{personal.EVENT}"}],
    }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Knowledge Hub live channel",
            "version": "v1",
            "description": (
                "Socket.IO (Engine.IO 4) namespace `/live`. Connect with "
                "`auth: {token}` or the session cookie; see docs/api.md. A refused "
                "connection's connect_error carries `message` and `data.code` "
                f"({' or '.join(REFUSAL_CODES)})."
            ),
        },
        "defaultContentType": "application/json",
        "channels": {"live": {"address": NAMESPACE, "messages": messages}},
        "operations": operations,
        "components": {"schemas": {**_shared_schemas(), "ChatMessage": CHAT_MESSAGE}},
    }


def _ack(name: str) -> dict:
    fields = ACK_FIELDS[name]
    success = {
        "type": "object",
        "required": ["ok", *fields],
        "properties": {"ok": {"const": True}, **fields},
    }
    return {"oneOf": [success, ERROR_ACK]}


def _live_event() -> dict:
    return {
        "type": "object",
        "required": ["session_id", "seq", "type", "data"],
        "properties": {
            "session_id": {"type": "integer"},
            "seq": {
                "type": "integer",
                "description": "Rises by one per event everyone may see; private events and "
                "presence carry the current seq without raising it.",
            },
            "type": {"enum": list(EVENT_TYPES)},
            "data": {"type": "object"},
        },
        # What `data` is follows from `type`.
        "allOf": [
            _data_when(r"^question\.", {"$ref": "#/components/schemas/LiveQuestion"}),
            _data_when(r"^chat\.", {"$ref": "#/components/schemas/ChatMessage"}),
            _data_when(r"^session\.", {"$ref": "#/components/schemas/LiveSession"}),
            _data_when(
                r"^presence$",
                {
                    "type": "object",
                    "required": ["count"],
                    "properties": {"count": {"type": "integer"}},
                },
            ),
        ],
    }


def _personal_event() -> dict:
    return {
        "type": "object",
        "required": ["type", "data"],
        "properties": {"type": {"enum": list(personal.TYPES)}, "data": {"type": "object"}},
        # As GET /notifications and GET /conversations/{id}/messages show them.
        "allOf": [
            _data_when("^notification$", {"$ref": "#/components/schemas/Notification"}),
            _data_when("^message$", {"$ref": "#/components/schemas/Message"}),
        ],
    }


def _data_when(type_pattern: str, data: dict) -> dict:
    return {
        "if": {"properties": {"type": {"pattern": type_pattern}}},
        "then": {"properties": {"data": data}},
    }


@cache
def _spec_and_converter():
    plugin = MarshmallowPlugin()
    spec = APISpec("live", "v1", "3.1.0", plugins=[plugin])
    spec.components.schema("LiveQuestion", schema=LiveQuestionSchema)
    spec.components.schema("LiveSession", schema=LiveSessionSchema)
    spec.components.schema("Notification", schema=NotificationSchema)
    spec.components.schema("Message", schema=MessageSchema)
    return spec, plugin.converter
