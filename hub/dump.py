"""Compiled dumping: the output of a marshmallow schema's `dump`, several times faster.

marshmallow dumps each value through `Field.serialize`, `Field.get_value`, the schema's
accessor and the field's `_serialize`, with attribute lookups at every step: for a page of
20 rows that costs more than the query. `compile_dump` reads a schema's dump fields once
and returns a function that does the same work in fewer steps. The schemas stay the one
description of the API (they also make the OpenAPI document); whatever this module cannot
reproduce exactly it leaves to marshmallow, per field or for the whole schema.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, NamedTuple

from marshmallow import Schema, fields
from marshmallow.constants import missing
from marshmallow.utils import ensure_text_type, get_value

from hub import compat

# A converter does what a field's own conversion (`compat.value_converter`) does to a value
# read from the object, as `convert(value, obj)`;
# None stands for "the value as it is".
Converter = Callable[[Any, Any], Any] | None


def compile_dump(schema: Schema) -> Callable[..., Any]:
    """A function with the result of `schema.dump(obj, many=...)`, or `schema.dump` itself
    when the schema does something this module does not reproduce."""
    return _compile(schema, frozenset())


def _compile(schema: Schema, compiling: frozenset[type]) -> Callable[..., Any]:
    if not _compilable(schema):
        return schema.dump
    dump_one = _compile_one(schema, compiling | {type(schema)})

    def dump(obj, *, many=None):
        # As Schema.dump: `many` read at each call; None dumps as one object even if many.
        if many is None:
            many = schema.many
        if many and obj is not None:
            return [dump_one(item) for item in obj]
        return dump_one(obj)

    return dump


def _compilable(schema: Schema) -> bool:
    """Whether dumping is marshmallow's plain walk over `dump_fields` into a dict: no hooks
    and none of the methods that walk goes through overridden."""
    cls = type(schema)
    return (
        not compat.has_dump_hooks(schema)
        and schema.dict_class is dict
        and cls.dump is Schema.dump
        and compat.dumps_as_marshmallow_schema(cls)
        and cls.get_attribute is Schema.get_attribute
        and "get_attribute" not in vars(schema)
    )


class _Step(NamedTuple):
    """How one dump field fills its key."""

    key: str  # the output key: data_key or the field's name
    attribute: str | None  # what to read (get_value); None: the field reads nothing itself
    dict_key: str | None  # the same as a plain dict's key; None when dotted
    unchanged: type | None  # values of exactly this type come out as they are
    convert: Converter
    serialize: Callable[[Any], Any]  # marshmallow's own `field.serialize` of the object


def _compile_one(schema: Schema, compiling: frozenset[type]) -> Callable[[Any], dict]:
    """A function dumping one object, as marshmallow's walk over the schema does."""
    steps = [_step(schema, name, field, compiling) for name, field in schema.dump_fields.items()]

    def dump_one(obj):
        ret = {}
        # A plain dict answers a key directly; a key it lacks goes to marshmallow, which
        # then also tries the dict's attributes, as get_value does.
        is_dict = type(obj) is dict
        for key, attribute, dict_key, unchanged, convert, serialize in steps:
            if attribute is None:
                value = convert(None, obj)
            else:
                if is_dict and dict_key is not None:
                    value = obj.get(dict_key, missing)
                else:
                    value = get_value(obj, attribute, missing)
                if value is missing:  # dump_default and the rest: marshmallow's way
                    value = serialize(obj)
                elif convert is not None and type(value) is not unchanged:
                    value = convert(value, obj)
            if value is not missing:
                ret[key] = value
        return ret

    return dump_one


def _step(schema: Schema, name: str, field: fields.Field, compiling: frozenset[type]) -> _Step:
    key = field.data_key if field.data_key is not None else name
    serialize = partial(field.serialize, name, accessor=schema.get_attribute)
    cls = type(field)
    if cls.serialize is not fields.Field.serialize or cls.get_value is not fields.Field.get_value:
        # A field reading its value its own way: marshmallow does all of it.
        return _Step(key, None, None, None, lambda _value, obj: serialize(obj), serialize)
    if not compat.reads_attribute(field):
        # Function, Method, Constant: Field.serialize reads nothing and passes None.
        return _Step(key, None, None, None, _serialize_converter(field, name), serialize)
    attribute = name if field.attribute is None else field.attribute
    dict_key = None if "." in attribute else attribute  # dotted: get_value walks it
    convert = _converter(field, name, compiling)
    return _Step(key, attribute, dict_key, _UNCHANGED.get(convert), convert, serialize)


def _converter(field: fields.Field, name: str, compiling: frozenset[type]) -> Converter:
    """The field's own conversion as a converter, spelled out for the common exact classes."""
    cls = type(field)
    if compat.serializes_as(cls, fields.Field):  # Raw, Boolean, Field: unchanged
        return None
    if cls is fields.Integer and not field.as_string:
        return _to_int
    if compat.serializes_as(cls, fields.String):  # String, Email, Url
        return _to_str
    if cls is fields.List:
        return _list_converter(field, name, compiling)
    if cls is fields.Nested:
        return _nested_converter(field, name, compiling)
    return _serialize_converter(field, name)


def _serialize_converter(field: fields.Field, name: str) -> Converter:
    serialize = compat.value_converter(field)
    return lambda value, obj: serialize(value, name, obj)


def _to_int(value, _obj):
    # marshmallow's Integer: Number's int(value) unless None.
    return None if value is None else int(value)


def _to_str(value, _obj):
    # marshmallow's String: ensure_text_type unless None; a str (not a subclass) is itself.
    if type(value) is str:
        return value
    return None if value is None else ensure_text_type(value)


# The converters that give back a value of exactly this type unchanged.
_UNCHANGED = {_to_int: int, _to_str: str}


def _list_converter(field: fields.List, name: str, compiling: frozenset[type]) -> Converter:
    # marshmallow's List: a new list of the inner field's conversion of each item, or None.
    inner = _converter(field.inner, name, compiling)
    if inner is None:
        return lambda value, _obj: None if value is None else list(value)
    return lambda value, obj: None if value is None else [inner(each, obj) for each in value]


def _nested_converter(field: fields.Nested, name: str, compiling: frozenset[type]) -> Converter:
    # marshmallow's Nested: None, or the nested schema's dump with `many` from either.
    try:
        schema = field.schema
    except Exception:  # e.g. an unknown schema name: let marshmallow raise when dumping
        return _serialize_converter(field, name)
    if type(schema) in compiling:  # a schema nested in itself: compiling would not end
        return _serialize_converter(field, name)
    dump = _compile(schema, compiling)
    many = bool(schema.many or field.many)
    return lambda value, _obj: None if value is None else dump(value, many=many)
