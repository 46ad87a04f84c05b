"""Schema pieces shared by every feature."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import lazy_gettext
from marshmallow import fields, validate
from marshmallow.utils import get_value

from hub.db import MAX_ID

# Something other than white space (and, as everywhere, no NUL character), said in a
# pattern that Python and ECMA regular expressions (the OpenAPI document's readers) read
# alike: their `\s` differ, so the white space of both is spelled out.
NOT_BLANK = validate.Regexp(
    r"^[^\x00]*[^\x00\t\n\v\f\r \x1c-\x1f\x85\xa0"
    r"\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff][^\x00]*$",
    error=lazy_gettext("Write something other than spaces."),
)


class UtcDateTime(fields.DateTime):
    """ISO 8601 in UTC with a Z (`2026-11-22T14:00:00Z`); naive values are taken as UTC."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.isoformat("T", "seconds") + "Z"  # to the second

    def _deserialize(self, value, attr, data, **kwargs):
        parsed: datetime = super()._deserialize(value, attr, data, **kwargs)
        if parsed.tzinfo is not None:
            parsed = parsed.astimezone(UTC).replace(tzinfo=None)
        return parsed


def is_set(key: str) -> fields.Function:
    """A boolean: whether `key` (a time such as `archived_at`) has a value, read from an ORM
    object or from a row's dict alike."""
    return fields.Function(lambda obj: get_value(obj, key) is not None)


class Integer(fields.Integer):
    """Every id and number the API reads or writes: a whole number the databases can hold.

    From `minimum` (0 unless said) to `maximum` (2^31-1, PostgreSQL's `integer`, unless
    said), so that a number out of range answers 422 rather than failing in the database;
    the OpenAPI document shows both bounds. Strict (a JSON string of digits is not a number)
    except where every value comes as text: query strings say `strict=False`."""

    def __init__(self, *, minimum: int = 0, maximum: int = MAX_ID, strict: bool = True, **kwargs):
        validators = kwargs.pop("validate", None) or []
        if callable(validators):
            validators = [validators]
        bounds = validate.Range(min=minimum, max=maximum)
        super().__init__(strict=strict, validate=[bounds, *validators], **kwargs)


class Boolean(fields.Boolean):
    """Every true-or-false the API reads: JSON's `true` or `false` only (marshmallow's own
    also takes 1, "yes", "on"...), except in query strings, where `strict=False` takes the
    words `true` and `false` (and marshmallow's other spellings)."""

    def __init__(self, *, strict: bool = True, **kwargs):
        self.strict = strict
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if self.strict and not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return super()._deserialize(value, attr, data, **kwargs)
