"""Live sessions: what the REST views and the Socket.IO handlers accept and return."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from hub.auth.schemas import PersonRefField, PersonRefSchema
from hub.fields import UtcDateTime

QUESTION_MAX = 1_000
CHAT_MAX = 2_000
ANSWER_MAX = 4_000
MODERATION_ACTIONS = ("approve", "hide", "pin", "unpin", "mark_answered")


def _not_blank(value: str) -> None:
    if not value.strip():
        raise ValidationError("Write something; it cannot be blank.")


def _text(maximum: int, what: str) -> fields.Str:
    return fields.Str(
        required=True,
        validate=[
            validate.Length(
                min=1, max=maximum, error=f"{what} are 1 to {maximum:,} characters long."
            ),
            _not_blank,
        ],
    )


def _id() -> fields.Int:
    return fields.Int(required=True, validate=validate.Range(min=1))


# --- REST in -------------------------------------------------------------------------


class LiveSessionCreateSchema(Schema):
    title = fields.Str(required=True, validate=[validate.Length(min=1, max=200), _not_blank])
    description = fields.Str(load_default="", validate=validate.Length(max=10_000))
    starts_at = UtcDateTime(required=True)
    ends_at = UtcDateTime(load_default=None, allow_none=True)
    moderated = fields.Bool(load_default=False)
    allow_anonymous = fields.Bool(load_default=False)
    panelist_ids = fields.List(
        fields.Int(validate=validate.Range(min=1)),
        load_default=list,
        validate=validate.Length(max=20),
    )
    transcript_includes_chat = fields.Bool(
        load_default=False,
        metadata={"description": "Whether the chat goes into the transcript thread."},
    )

    @validates_schema
    def _ends_after_start(self, data, **kwargs):
        if data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            raise ValidationError("A session must end after it starts.", "ends_at")


class QuestionQuerySchema(Schema):
    sort = fields.Str(load_default="top", validate=validate.OneOf(("top", "new")))


class QuestionCreateSchema(Schema):
    text = _text(QUESTION_MAX, "Questions")
    anonymous = fields.Bool(load_default=False)


# --- REST and events out -------------------------------------------------------------


class LiveAnswerSchema(Schema):
    id = fields.Int()
    text = fields.Str()
    author = PersonRefField()
    created_at = fields.Str(metadata={"description": "ISO 8601, UTC."})


class LiveQuestionSchema(Schema):
    """A question as `service.question_view` builds it (the same dict the events carry)."""

    id = fields.Int()
    text = fields.Str()
    author = fields.Nested(
        PersonRefSchema,
        allow_none=True,
        metadata={"description": "null when anonymous; a former member's id is null."},
    )
    anonymous = fields.Bool()
    votes = fields.Int()
    status = fields.Str(metadata={"description": "pending, visible or hidden."})
    pinned = fields.Bool()
    answered = fields.Bool()
    answers = fields.List(fields.Nested(LiveAnswerSchema))
    created_at = fields.Str(metadata={"description": "ISO 8601, UTC."})


class LiveSessionSchema(Schema):
    id = fields.Int()
    group_id = fields.Int()
    title = fields.Str()
    description = fields.Str()
    description_html = fields.Str()
    starts_at = UtcDateTime()
    ends_at = UtcDateTime(allow_none=True)
    moderated = fields.Bool()
    allow_anonymous = fields.Bool()
    transcript_includes_chat = fields.Bool()
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
    transcript_thread_id = fields.Int(
        allow_none=True, metadata={"description": "The forum thread of the transcript."}
    )


class LiveSessionDetailSchema(LiveSessionSchema):
    questions = fields.List(
        fields.Nested(LiveQuestionSchema),
        dump_default=None,
        metadata={"description": "Once started: the questions you may see, top first."},
    )


# --- Socket.IO payloads --------------------------------------------------------------
# A field an event does not take is refused (`invalid`), as REST refuses it: a client that
# sends `since` for `since_seq` learns at once instead of missing its replay.


class JoinSchema(Schema):
    session_id = _id()
    since_seq = fields.Int(load_default=None, allow_none=True, validate=validate.Range(min=0))


class SessionRefSchema(Schema):
    session_id = _id()


class AskSchema(SessionRefSchema):
    text = _text(QUESTION_MAX, "Questions")
    anonymous = fields.Bool(load_default=False)


class VoteSchema(SessionRefSchema):
    question_id = _id()


class AnswerSchema(VoteSchema):
    text = _text(ANSWER_MAX, "Answers")


class ModerateSchema(VoteSchema):
    action = fields.Str(required=True, validate=validate.OneOf(MODERATION_ACTIONS))


class ChatSchema(SessionRefSchema):
    text = _text(CHAT_MAX, "Chat messages")
