from flask_babel import lazy_gettext
from marshmallow import Schema, fields, validate

from hub.auth.schemas import PersonRefField, PersonRefSchema
from hub.fields import Boolean, Integer, UtcDateTime, is_set
from hub.groups.models import ROLES, VISIBILITIES

TAG = fields.Str(
    validate=validate.Regexp(
        r"^[\w][\w \-&'/]{0,59}$",
        error=lazy_gettext("Tags are 1-60 letters, digits, spaces or -&'/."),
    )
)
NAME = fields.Str(validate=validate.Length(min=1, max=120))
DESCRIPTION = fields.Str(validate=validate.Length(max=10_000))
VISIBILITY = fields.Str(validate=validate.OneOf(VISIBILITIES))
TAGS = fields.List(TAG, validate=validate.Length(max=20))


class GroupCreateSchema(Schema):
    class Meta:
        openapi = {
            "example": {
                "name": "Damp and mould",
                "description": "Surveys, enforcement and what works.",
                "visibility": "open",
                "tags": ["housing", "HHSRS"],
            }
        }

    name = fields.Str(required=True, validate=validate.Length(min=1, max=120))
    description = fields.Str(load_default="", validate=validate.Length(max=10_000))
    visibility = fields.Str(load_default="open", validate=validate.OneOf(VISIBILITIES))
    tags = fields.List(TAG, load_default=list, validate=validate.Length(max=20))


class GroupUpdateSchema(Schema):
    name = NAME
    description = DESCRIPTION
    visibility = VISIBILITY
    tags = TAGS


class GroupQuerySchema(Schema):
    q = fields.Str(validate=validate.Length(max=200))
    tag = fields.Str(validate=validate.Length(max=60))
    member = fields.Str(
        validate=validate.OneOf(("me",)),
        metadata={"description": "`me`: only your groups, archived ones included."},
    )


class GroupSchema(Schema):
    class Meta:
        openapi = {
            "example": {
                "id": 12,
                "slug": "damp-and-mould",
                "name": "Damp and mould",
                "description": "Surveys, enforcement and what works.",
                "description_html": "<p>Surveys, enforcement and what works.</p>\n",
                "visibility": "open",
                "tags": ["housing", "HHSRS"],
                "member_count": 148,
                "created_at": "2026-10-14T08:12:00Z",
                "archived": False,
                "my_role": "owner",
            }
        }

    id = Integer()
    slug = fields.Str()
    name = fields.Str()
    description = fields.Str()
    description_html = fields.Str()
    visibility = fields.Str()
    tags = fields.List(fields.Str(), attribute="tag_names")
    member_count = Integer()
    created_at = UtcDateTime()
    archived = is_set("archived_at")
    my_role = fields.Str(
        allow_none=True, metadata={"description": "owner, moderator, member or null."}
    )


class MembershipStatusSchema(Schema):
    status = fields.Str(metadata={"description": "`member` or `pending`."})


class MemberSchema(Schema):
    user = fields.Nested(PersonRefSchema)
    role = fields.Str()
    joined_at = UtcDateTime()


class RoleChangeSchema(Schema):
    role = fields.Str(required=True, validate=validate.OneOf(ROLES))


class RemoveMemberQuerySchema(Schema):
    ban = Boolean(
        load_default=False, strict=False, metadata={"description": "Also refuse their return."}
    )


class JoinRequestSchema(Schema):
    user = fields.Nested(PersonRefSchema)
    created_at = UtcDateTime()


class InvitationCreateSchema(Schema):
    user_id = Integer(required=True, minimum=1)


class InvitationSchema(Schema):
    group_id = Integer()
    user = fields.Nested(PersonRefSchema)
    invited_by = PersonRefField()
    created_at = UtcDateTime()


class MentionSuggestionQuerySchema(Schema):
    q = fields.Str(
        load_default=None,
        validate=validate.Length(max=120),
        metadata={"description": "What was typed after `@`: the start of a handle or name."},
    )


class MentionSuggestionSchema(Schema):
    """A member who may be mentioned: write `@` and their handle."""

    id = Integer()
    handle = fields.Str()
    name = fields.Str()
    organisation = fields.Str(allow_none=True)
    job_title = fields.Str(allow_none=True)
