"""Schema pieces shared by every feature."""

from __future__ import annotations

from datetime import UTC, datetime

from marshmallow import fields


class UtcDateTime(fields.DateTime):
    """ISO 8601 in UTC with a Z (`2026-11-22T14:00:00Z`); naive values are taken as UTC."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.replace(microsecond=0).isoformat() + "Z"

    def _deserialize(self, value, attr, data, **kwargs):
        parsed: datetime = super()._deserialize(value, attr, data, **kwargs)
        if parsed.tzinfo is not None:
            parsed = parsed.astimezone(UTC).replace(tzinfo=None)
        return parsed
