"""What the reports API takes and gives."""

from flask_babel import lazy_gettext
from marshmallow import Schema, fields, validate

from hub.auth.schemas import FORMER_MEMBER, PersonRefField
from hub.fields import Integer, UtcDateTime
from hub.reports.models import CLOSED_STATUSES, STATUSES, TARGET_TYPES


class ReportCreateSchema(Schema):
    target_type = fields.Str(required=True, validate=validate.OneOf(TARGET_TYPES))
    target_id = Integer(required=True, minimum=1)
    reason = fields.Str(
        required=True,
        validate=validate.Length(
            min=1, max=2000, error=lazy_gettext("Say why, in 1 to 2,000 characters.")
        ),
    )


class ReportQuerySchema(Schema):
    status = fields.Str(validate=validate.OneOf(STATUSES))


class ReportCloseSchema(Schema):
    status = fields.Str(required=True, validate=validate.OneOf(CLOSED_STATUSES))
    note = fields.Str(load_default=None, validate=validate.Length(max=2000))


def _resolver(report) -> dict | None:
    if report.resolved_at is None:
        return None
    who = getattr(report, "resolved_by", None)
    return dict(FORMER_MEMBER) if who is None else {"id": who.id, "name": who.name}


class ReportSchema(Schema):
    """A report as its reviewers see it: the reporter is named to them."""

    id = Integer()
    target_type = fields.Str()
    target_id = Integer()
    group_id = Integer(allow_none=True)
    reason = fields.Str()
    status = fields.Str()
    reporter = PersonRefField(
        metadata={"description": "`{id, name}`; `Former member` once their account is erased."}
    )
    created_at = UtcDateTime()
    resolved_at = UtcDateTime(allow_none=True)
    resolved_by = fields.Function(
        _resolver,
        metadata={"description": "`{id, name}` of who resolved or dismissed it; null while open."},
    )
    note = fields.Str(allow_none=True)
