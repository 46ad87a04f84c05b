"""What the accounts API takes and gives."""

from flask_babel import lazy_gettext
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from hub.auth import sessions
from hub.auth.models import ROLES
from hub.auth.passwords import MAX_LENGTH, MIN_LENGTH, password_problem
from hub.fields import Boolean, Integer, UtcDateTime

NEW_PASSWORD = validate.Length(
    min=MIN_LENGTH,
    max=MAX_LENGTH,
    error=lazy_gettext(
        "Use %(min)s to %(max)s characters: a few unrelated words make a good one.",
        min=MIN_LENGTH,
        max=MAX_LENGTH,
    ),
)


class RegisterSchema(Schema):
    class Meta:
        openapi = {
            "example": {
                "email": "amira.khan@camden.gov.uk",
                "password": "kettle harbour violin lantern",
                "name": "Amira Khan",
                "role": "officer",
                "organisation": "Camden Council",
                "job_title": "Private sector housing lead",
            }
        }

    email = fields.Email(required=True, validate=validate.Length(max=254))
    password = fields.Str(required=True, load_only=True, validate=NEW_PASSWORD)
    name = fields.Str(required=True, validate=validate.Length(min=1, max=120))
    role = fields.Str(required=True, validate=validate.OneOf(ROLES))
    organisation = fields.Str(load_default=None, validate=validate.Length(max=160))
    job_title = fields.Str(load_default=None, validate=validate.Length(max=160))

    @validates_schema
    def check_password(self, data, **kwargs):
        problem = password_problem(
            data.get("password", ""), data.get("email", ""), data.get("name", "")
        )
        if problem:
            raise ValidationError(problem, field_name="password")


class LoginSchema(Schema):
    class Meta:
        openapi = {
            "example": {
                "email": "amira.khan@camden.gov.uk",
                "password": "kettle harbour violin lantern",
            }
        }

    email = fields.Str(required=True, validate=validate.Length(max=254))
    password = fields.Str(required=True, load_only=True, validate=validate.Length(max=MAX_LENGTH))


class VerifyEmailSchema(Schema):
    token = fields.Str(required=True, validate=validate.Length(max=500))


class PublicUserSchema(Schema):
    """A person as anyone signed in may see them: never the email address."""

    id = Integer(dump_only=True)
    name = fields.Str()
    handle = fields.Str(
        metadata={"description": "Unique and lower case: `@handle` in a post mentions them."}
    )
    role = fields.Str()
    organisation = fields.Str(allow_none=True)
    job_title = fields.Str(allow_none=True)
    region = fields.Str(allow_none=True)
    bio = fields.Str(allow_none=True)
    bio_html = fields.Str(allow_none=True)
    expertise = fields.List(fields.Str(), attribute="expertise_tags")
    created_at = UtcDateTime()


class PersonRefSchema(Schema):
    """A person named inside something else: `{id, name}`."""

    id = Integer(allow_none=True, metadata={"description": "null for a former member."})
    name = fields.Str()


# Who wrote what stays in a group once its author closed their account (hub/account).
FORMER_MEMBER = {"id": None, "name": "Former member"}


def person_ref(person_id: int | None, name: str | None) -> dict:
    """What PersonRefSchema dumps, from a row's columns: a former member when the account
    is gone."""
    return dict(FORMER_MEMBER) if person_id is None else {"id": person_id, "name": name}


class PersonRefField(fields.Nested):
    """The person who wrote, uploaded or made something: `{id, name}`, or the former
    member when their account is closed (the column was set to null)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(PersonRefSchema, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return dict(FORMER_MEMBER)
        return super()._serialize(value, attr, obj, **kwargs)


ME_EXAMPLE = {
    "id": 7,
    "name": "Amira Khan",
    "handle": "amira.khan",
    "role": "officer",
    "organisation": "Camden Council",
    "job_title": "Private sector housing lead",
    "region": "London",
    "bio": "Damp and mould, HHSRS, licensing.",
    "bio_html": "<p>Damp and mould, HHSRS, licensing.</p>\n",
    "expertise": ["HHSRS", "damp and mould"],
    "created_at": "2026-11-02T09:30:00Z",
    "email": "amira.khan@camden.gov.uk",
    "is_admin": False,
    "email_verified": True,
    "approved": True,
}


class MeSchema(PublicUserSchema):
    """Your own profile: with your email and your account's state."""

    class Meta:
        openapi = {"example": ME_EXAMPLE}

    email = fields.Email()
    is_admin = Boolean()
    email_verified = fields.Function(lambda user: user.email_verified_at is not None)
    approved = fields.Function(lambda user: user.approved_at is not None)


class LoginResultSchema(Schema):
    class Meta:
        openapi = {
            "example": {
                "user": ME_EXAMPLE,
                "csrf_token": "Jx3v9Qm2bV0kq7YtN4sW1eR8uI6oP5aZcD2fG3hJ4kL",
            }
        }

    user = fields.Nested(MeSchema)
    csrf_token = fields.Str()


class CsrfSchema(Schema):
    csrf_token = fields.Str(allow_none=True)


class TokenCreateSchema(Schema):
    class Meta:
        openapi = {"example": {"name": "Reporting script"}}

    name = fields.Str(required=True, validate=validate.Length(min=1, max=100))


class TokenSchema(Schema):
    id = Integer()
    name = fields.Str()
    created_at = UtcDateTime()
    last_used_at = UtcDateTime(allow_none=True)


class NewTokenSchema(TokenSchema):
    class Meta:
        openapi = {
            "example": {
                "id": 3,
                "name": "Reporting script",
                "created_at": "2026-12-01T10:00:00Z",
                "last_used_at": None,
                "token": "khub_yiXqej7gS8NsWbMCIccXPG_fojbT7Wyt0oLPnicNLaY",
            }
        }

    token = fields.Str(metadata={"description": "Shown once; store it now."})


class AdminAccountSchema(MeSchema):
    """An account as a site admin sees it."""

    deactivated_at = UtcDateTime(allow_none=True)


class SessionSchema(Schema):
    """A signed-in browser session (never its key)."""

    id = Integer()
    created_at = UtcDateTime()
    last_seen_at = UtcDateTime()
    user_agent = fields.Str(allow_none=True)
    current = fields.Function(
        lambda record: record.id == sessions.current_id(),
        metadata={"description": "true for the session this request came with"},
    )


class PasswordChangeSchema(Schema):
    current_password = fields.Str(
        required=True, load_only=True, validate=validate.Length(max=MAX_LENGTH)
    )
    new_password = fields.Str(required=True, load_only=True, validate=NEW_PASSWORD)


class PasswordResetRequestSchema(Schema):
    email = fields.Str(required=True, validate=validate.Length(min=3, max=254))


class PasswordResetRequestedSchema(Schema):
    message = fields.Str()


class PasswordResetConfirmSchema(Schema):
    token = fields.Str(required=True, load_only=True, validate=validate.Length(min=1, max=200))
    password = fields.Str(required=True, load_only=True, validate=NEW_PASSWORD)
