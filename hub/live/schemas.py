"""Live sessions: what the REST views and the Socket.IO handlers accept and return."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from hub.auth.schemas import PersonRefField, PersonRefSchema
from hub.fields import Boolean, Integer, UtcDateTime

QUESTION_MAX = 1_000
CHAT_MAX = 2_000
ANSWER_MAX = 4_000
MODERATION_ACTIONS = ("approve", "hide", "pin", "unpin", "mark_answered")


def _not_blank(value: str) -> None:
    if not value.strip():
        raise ValidationError(_("Write something; it cannot be blank."))


def _text(maximum: int, what: str) -> fields.Str:
    return fields.Str(
        required=True,
        validate=[
            validate.Length(
                min=1,
                max=maximum,
                error=lazy_gettext(
                    "%(what)s are 1 to %(maximum)s characters long.",
                    what=what,
                    maximum=format(maximum, ","),
                ),
            ),
            _not_blank,
        ],
    )


def _id() -> fields.Int:
    return Integer(required=True, minimum=1)


# --- REST in -------------------------------------------------------------------------


class LiveSessionCreateSchema(Schema):
    class Meta:
        openapi = {
            "example": {
                "title": "Ask the housing ombudsman",
                "description": "An hour of questions on damp and mould cases.",
                "starts_at": "2030-01-15T14:00:00Z",
                "ends_at": "2030-01-15T15:00:00Z",
                "moderated": True,
                "allow_anonymous": True,
            }
        }

    title = fields.Str(required=True, validate=[validate.Length(min=1, max=200), _not_blank])
    description = fields.Str(load_default="", validate=validate.Length(max=10_000))
    starts_at = UtcDateTime(required=True)
    ends_at = UtcDateTime(load_default=None, allow_none=True)
    moderated = Boolean(load_default=False)
    allow_anonymous = Boolean(load_default=False)
    panelist_ids = fields.List(
        Integer(minimum=1),
        load_default=list,
        validate=validate.Length(max=20),
    )
    transcript_includes_chat = Boolean(
        load_default=False,
        metadata={"description": "Whether the chat goes into the transcript thread."},
    )

    @validates_schema
    def _ends_after_start(self, data, **kwargs):
        if data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            raise ValidationError(_("A session must end after it starts."), "ends_at")


class QuestionQuerySchema(Schema):
    sort = fields.Str(load_default="top", validate=validate.OneOf(("top", "new")))


class QuestionCreateSchema(Schema):
    class Meta:
        openapi = {
            "example": {
                "text": "How soon must a landlord act on a damp report?",
                "anonymous": False,
            }
        }

    text = _text(QUESTION_MAX, lazy_gettext("Questions"))
    anonymous = Boolean(load_default=False)


# --- REST and events out -------------------------------------------------------------


class LiveAnswerSchema(Schema):
    id = Integer()
    text = fields.Str()
    author = PersonRefField()
    created_at = fields.Str(metadata={"description": "ISO 8601, UTC."})


class LiveQuestionSchema(Schema):
    """A question as `service.question_view` builds it (the same dict the events carry)."""

    id = Integer()
    text = fields.Str()
    author = fields.Nested(
        PersonRefSchema,
        allow_none=True,
        metadata={"description": "null when anonymous; a former member's id is null."},
    )
    anonymous = Boolean()
    votes = Integer()
    status = fields.Str(metadata={"description": "pending, visible or hidden."})
    pinned = Boolean()
    answered = Boolean()
    answers = fields.List(fields.Nested(LiveAnswerSchema))
    created_at = fields.Str(metadata={"description": "ISO 8601, UTC."})


class LiveSessionSchema(Schema):
    id = Integer()
    group_id = Integer()
    title = fields.Str()
    description = fields.Str()
    description_html = fields.Str()
    starts_at = UtcDateTime()
    ends_at = UtcDateTime(allow_none=True)
    moderated = Boolean()
    allow_anonymous = Boolean()
    transcript_includes_chat = Boolean()
    status = fields.Str(metadata={"description": "scheduled, live or ended."})
    seq = fields.Function(
        lambda s: s.seq if s.status != "scheduled" else None,
        metadata={"description": "The last event's number, once started."},
    )
    panelists = fields.Function(
        lambda s: [{"id": p.user.id, "name": p.user.name} for p in s.panelists],
        metadata={"description": "[{id, name}]"},
    )
    created_by = PersonRefField()
    created_at = UtcDateTime()
    started_at = UtcDateTime(allow_none=True)
    ended_at = UtcDateTime(allow_none=True)
    transcript_thread_id = Integer(
        allow_none=True, metadata={"description": "The forum thread of the transcript."}
    )


class LiveSessionDetailSchema(LiveSessionSchema):
    questions = fields.List(
        fields.Nested(LiveQuestionSchema),
        metadata={"description": "The questions you may see, top first: none before it starts."},
    )


# --- Socket.IO payloads --------------------------------------------------------------
# A field an event does not take is refused (`invalid`), as REST refuses it: a client that
# sends `since` for `since_seq` learns at once instead of missing its replay.


class JoinSchema(Schema):
    session_id = _id()
    since_seq = Integer(load_default=None, allow_none=True)


class SessionRefSchema(Schema):
    session_id = _id()


class AskSchema(SessionRefSchema):
    text = _text(QUESTION_MAX, lazy_gettext("Questions"))
    anonymous = Boolean(load_default=False)


class VoteSchema(SessionRefSchema):
    question_id = _id()


class AnswerSchema(VoteSchema):
    text = _text(ANSWER_MAX, lazy_gettext("Answers"))


class ModerateSchema(VoteSchema):
    action = fields.Str(required=True, validate=validate.OneOf(MODERATION_ACTIONS))


class ChatSchema(SessionRefSchema):
    text = _text(CHAT_MAX, lazy_gettext("Chat messages"))
