from marshmallow import Schema, fields, validate

from hub.auth.schemas import PersonRefField
from hub.fields import NOT_BLANK, Boolean, Integer, UtcDateTime
from hub.suggestions.models import STATUSES


class SuggestionQuerySchema(Schema):
    sort = fields.Str(
        load_default="votes",
        validate=validate.OneOf(("votes", "new")),
        metadata={"description": "`votes` (most first, the default) or `new` (newest first)."},
    )
    status = fields.Str(validate=validate.OneOf(STATUSES))


class SuggestionCreateSchema(Schema):
    class Meta:
        openapi = {
            "example": {
                "title": "Share a survey template",
                "body": "One form for every council in the group.",
            }
        }

    title = fields.Str(required=True, validate=[validate.Length(min=1, max=200), NOT_BLANK])
    body = fields.Str(required=True, validate=[validate.Length(min=1, max=20_000), NOT_BLANK])


class SuggestionStatusSchema(Schema):
    status = fields.Str(
        required=True,
        validate=validate.OneOf(STATUSES),
        metadata={
            "description": "open → under_review, accepted, declined; under_review → open, "
            "accepted, declined; accepted → under_review, declined, implemented; declined → "
            "open, under_review; implemented → accepted."
        },
    )


class SuggestionSchema(Schema):
    id = Integer()
    group_id = Integer()
    title = fields.Str()
    body = fields.Str()
    body_html = fields.Str()
    author = PersonRefField()
    status = fields.Str()
    votes = Integer(metadata={"description": "How many members voted for it."})
    voted = Boolean(metadata={"description": "Whether you voted for it."})
    created_at = UtcDateTime()
    status_changed_at = UtcDateTime(allow_none=True)
