from flask_babel import gettext as _
from flask_babel import lazy_gettext
from marshmallow import Schema, ValidationError, fields, validate

from hub.auth.handles import HANDLE_LENGTH, HANDLE_PATTERN, handle_problem
from hub.auth.models import ROLES
from hub.auth.schemas import PublicUserSchema
from hub.fields import UtcDateTime

TAG = fields.Str(
    validate=validate.Regexp(
        r"^[\w][\w \-&'/]{0,59}$",
        error=lazy_gettext("Tags are 1-60 letters, digits, spaces or -&'/."),
    )
)


def _not_blank(value: str) -> None:
    # The service strips names, so spaces alone would save an empty name.
    if not value.strip():
        raise ValidationError(_("Give your name; it cannot be blank."))


def _a_handle(value: str) -> None:
    # A function, not a Regexp: the pattern needs Unicode classes that ECMA regexes lack.
    problem = handle_problem(value.strip().lower())
    if problem:
        raise ValidationError(problem)


class ProfileUpdateSchema(Schema):
    class Meta:
        openapi = {
            "example": {
                "job_title": "Head of private sector housing",
                "expertise": ["HHSRS", "licensing"],
            }
        }

    name = fields.Str(validate=[validate.Length(min=1, max=120), _not_blank])
    handle = fields.Str(
        validate=[validate.Length(min=1, max=HANDLE_LENGTH + 10), _a_handle],
        metadata={
            "description": "Taken in lower case; 409 when someone else has it.",
            # The check's own pattern: `\\w` is any script's letters and digits (as in
            # Python; a reader of ECMA's takes it as ASCII's, a narrower choice).
            "pattern": HANDLE_PATTERN,
        },
    )
    role = fields.Str(validate=validate.OneOf(ROLES))
    job_title = fields.Str(allow_none=True, validate=validate.Length(max=160))
    organisation = fields.Str(allow_none=True, validate=validate.Length(max=160))
    region = fields.Str(allow_none=True, validate=validate.Length(max=80))
    bio = fields.Str(allow_none=True, validate=validate.Length(max=5000))
    expertise = fields.List(TAG, validate=validate.Length(max=30))


class PeopleQuerySchema(Schema):
    q = fields.Str(validate=validate.Length(max=200))
    expertise = fields.Str(validate=validate.Length(max=60))
    organisation = fields.Str(validate=validate.Length(max=160))
    role = fields.Str(validate=validate.OneOf(("councillor", "officer", "other")))
    region = fields.Str(validate=validate.Length(max=80))


class ConnectionStatusSchema(Schema):
    status = fields.Str()


class ConnectionQuerySchema(Schema):
    status = fields.Str(
        load_default="connected",
        validate=validate.OneOf(("connected", "pending_in", "pending_out")),
    )


class ConnectionSchema(Schema):
    user = fields.Nested(PublicUserSchema)
    status = fields.Str()
    since = UtcDateTime()


class BlockSchema(Schema):
    user = fields.Nested(PublicUserSchema)
    since = UtcDateTime()
