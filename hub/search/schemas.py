from flask_babel import gettext as _
from marshmallow import Schema, ValidationError, fields, validate

from hub.fields import Boolean, Integer, UtcDateTime
from hub.search.backend import FACET_GROUPS, TYPES


class TypeList(fields.Str):
    """`file,post`: comma-separated types, each one of TYPES."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        types = [t.strip() for t in text.split(",") if t.strip()]
        unknown = sorted(set(types) - set(TYPES))
        if unknown:
            raise ValidationError(
                _(
                    "Unknown type %(unknown)s; use %(types)s.",
                    unknown=", ".join(unknown),
                    types=", ".join(TYPES),
                )
            )
        return types


class SearchQuerySchema(Schema):
    q = fields.Str(required=True, validate=validate.Length(min=1, max=200))
    type = TypeList(
        metadata={
            "description": "Comma-separated: " + ", ".join(TYPES),
            "pattern": r"^\s*(?:(?:{0})?\s*,\s*)*(?:{0})?\s*$".format("|".join(TYPES)),
        }
    )
    group_id = Integer(minimum=1, strict=False)
    tag = fields.Str(validate=validate.Length(max=60))
    page = Integer(load_default=1, minimum=1, maximum=500, strict=False)
    page_size = Integer(load_default=20, minimum=1, maximum=100, strict=False)
    highlight = Boolean(
        load_default=True,
        strict=False,
        metadata={"description": "false skips the snippets' highlighting (faster)"},
    )


class SearchGroupSchema(Schema):
    id = Integer()
    name = fields.Str()


class SearchItemSchema(Schema):
    type = fields.Str()
    id = Integer()
    title = fields.Str()
    snippet = fields.Str(metadata={"description": "HTML: escaped text with <mark> around matches"})
    group = fields.Nested(SearchGroupSchema, allow_none=True)
    tags = fields.List(
        fields.Str(), metadata={"description": "A group's tags, as typed; empty for the others."}
    )
    url = fields.Str()
    score = fields.Float()
    created_at = UtcDateTime(allow_none=True)


class GroupFacetSchema(Schema):
    id = Integer()
    name = fields.Str()
    count = Integer()


class FacetsSchema(Schema):
    type = fields.Dict(keys=fields.Str(), values=Integer())
    group = fields.List(
        fields.Nested(GroupFacetSchema),
        metadata={
            "description": f"The {FACET_GROUPS} groups with most matches, most first "
            "(ties: lowest id)."
        },
    )


class SearchResultSchema(Schema):
    total = Integer(
        metadata={"description": "Exact up to at least 10,000 matches; see total_exact."}
    )
    total_exact = fields.Bool(
        metadata={
            "description": "Present and false when `total` (and the facet counts) is a lower "
            "bound: the PostgreSQL backend counts at most 10,001 matches. Absent: exact."
        }
    )
    page = Integer()
    page_size = Integer()
    items = fields.List(fields.Nested(SearchItemSchema))
    facets = fields.Nested(FacetsSchema)
    suggestion = fields.Str(allow_none=True)
