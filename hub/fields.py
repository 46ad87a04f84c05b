"""Schema pieces shared by every feature."""

from __future__ import annotations

from datetime import UTC, datetime

from marshmallow import fields
from marshmallow.utils import get_value


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
