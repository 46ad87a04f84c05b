"""hub.dump.compile_dump gives exactly what marshmallow's Schema.dump gives."""

from __future__ import annotations

import decimal
import enum
import inspect
import uuid
from datetime import UTC, datetime, timedelta, timezone
from types import SimpleNamespace

import flask
import flask_smorest
import pytest
import sqlalchemy as sa
from marshmallow import Schema, fields, missing, post_dump, pre_dump
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from hub.blueprint import Blueprint
from hub.dump import compile_dump
from hub.fields import UtcDateTime, is_set

NOW = datetime(2026, 11, 22, 14, 0, 5, 123456)


def marshmallow_dump(schema: Schema, obj, **kwargs):
    """The class's dump, whatever the instance carries."""
    return type(schema).dump(schema, obj, **kwargs)


def assert_alike(schema: Schema, obj, **kwargs):
    expected = marshmallow_dump(schema, obj, **kwargs)
    got = compile_dump(schema)(obj, **kwargs)
    assert got == expected
    # repr: the same key order (responses keep it) and the same types (True is not 1).
    assert repr(got) == repr(expected)
    return got


def assert_compiled(schema: Schema) -> None:
    assert compile_dump(schema) != schema.dump, "fell back to marshmallow"


class Person(Schema):
    id = fields.Int()
    name = fields.Str()


# Deliberately not a StrEnum: a str whose str() ("Color.RED") is not itself.
class Color(str, enum.Enum):  # noqa: UP042
    RED = "red"


class Shade(enum.Enum):
    DARK = 1


class Everything(Schema):
    id = fields.Int()
    count_text = fields.Int(as_string=True)
    name = fields.Str()
    email = fields.Email()
    url = fields.Url()
    flag = fields.Bool()
    raw = fields.Raw()
    ratio = fields.Float()
    amount = fields.Decimal()
    key = fields.UUID()
    when = UtcDateTime()
    day = fields.Date()
    stamp = fields.DateTime()
    span = fields.TimeDelta()
    meta = fields.Dict()
    shade = fields.Enum(Shade)
    tags = fields.List(fields.Str())
    numbers = fields.List(fields.Int())
    raws = fields.List(fields.Raw())
    owner = fields.Nested(Person)
    owners = fields.Nested(Person, many=True)
    owner_name = fields.Nested(Person, only=("name",))
    people = fields.List(fields.Nested(Person))
    owner_id = fields.Pluck(Person, "id")
    kind = fields.Constant("thing")
    shouted = fields.Function(lambda obj: str(obj["name"]).upper())
    computed = fields.Method("compute")
    archived = is_set("archived_at")
    secret = fields.Str(load_only=True)

    def compute(self, obj):
        return len(obj)


FULL = {
    "id": 7,
    "count_text": 12,
    "name": "Ada",
    "email": "ada@example.org",
    "url": "https://example.org",
    "flag": True,
    "raw": {"any": [1, 2]},
    "ratio": 2,
    "amount": decimal.Decimal("1.50"),
    "key": uuid.UUID(int=5),
    "when": NOW,
    "day": NOW.date(),
    "stamp": NOW,
    "span": timedelta(seconds=90),
    "meta": {"a": 1},
    "shade": Shade.DARK,
    "tags": ("x", "y"),
    "numbers": [1, "2", 3.9, True],
    "raws": (1, None),
    "owner": {"id": 1, "name": "Bo", "extra": "dropped"},
    "owners": [{"id": 2, "name": "Cy"}, SimpleNamespace(id=3, name="Di")],
    "owner_name": {"id": 4, "name": "Ed"},
    "people": [{"id": 5, "name": "Fi"}],
    "owner_id": {"id": 6, "name": "Gu"},
    "archived_at": NOW,
    "secret": "never dumped",
}


def test_every_field_kind_from_a_dict():
    assert_compiled(Everything())
    got = assert_alike(Everything(), FULL)
    assert "secret" not in got and got["archived"] is True and got["when"] == "2026-11-22T14:00:05Z"


def test_every_field_kind_from_an_object_and_many():
    obj = SimpleNamespace(**FULL)
    schema = Everything(exclude=("shouted", "computed"))  # both index the object as a dict
    assert_alike(schema, obj)
    assert_alike(Everything(many=True), [FULL, dict(FULL, id=8)])
    assert_alike(Everything(), [FULL], many=True)
    assert_alike(Everything(many=True), FULL, many=False)


def test_none_values():
    nones = {name: None for name in FULL} | {"shade": None}
    got = assert_alike(Everything(exclude=("shouted",)), nones)
    assert got["owner"] is None and got["tags"] is None and got["id"] is None


def test_missing_keys_and_attributes_with_and_without_dump_default():
    class Defaults(Schema):
        plain = fields.Str()
        fixed = fields.Int(dump_default=3)
        made = fields.List(fields.Str(), dump_default=list)
        nested = fields.Nested(Person, dump_default=None)
        when = UtcDateTime(dump_default=lambda: NOW)
        items = fields.Raw()  # a dict's method of that name, as get_value finds it

    got = assert_alike(Defaults(), {})
    assert "plain" not in got and got["fixed"] == 3 and got["when"] == "2026-11-22T14:00:05Z"
    assert "items" in got
    assert_alike(Defaults(), SimpleNamespace())
    assert_alike(Defaults(), {"plain": "p", "fixed": "4", "made": ["a"], "items": 1})
    assert_alike(Defaults(many=True), None)  # marshmallow dumps None as one object


def test_data_key_attribute_and_dotted_attribute():
    class Renamed(Schema):
        id = fields.Int(data_key="ID")
        reply_to = fields.Int(attribute="reply_to_id", allow_none=True)
        city = fields.Str(attribute="address.city")
        zip = fields.Str(attribute="address.zip", data_key="postcode")
        first = fields.Raw(attribute="items.0")  # get_value does not index lists: absent

    data = {"id": 1, "reply_to_id": 2, "address": {"city": "Hull"}, "items": ["a"]}
    data["address.city"] = "not this"  # a dotted name is a path, never a key
    got = assert_alike(Renamed(), data)
    assert got == {"ID": 1, "reply_to": 2, "city": "Hull"}
    obj = SimpleNamespace(id=1, reply_to_id=None, address=SimpleNamespace(city="Leeds", zip="L"))
    assert_alike(Renamed(), obj)


def test_strings_and_integers_convert_as_marshmallow_does():
    class Texts(Schema):
        text = fields.Str()
        number = fields.Int()

    for value in ("é", b"caf\xc3\xa9", Color.RED, 5, 2.5, True, ["x"]):
        assert_alike(Texts(), {"text": value})
    for value in (5, True, False, "12", 7.9, decimal.Decimal("3.2")):
        assert_alike(Texts(), {"number": value})
    assert compile_dump(Texts())({"text": Color.RED})["text"] == "Color.RED"


def test_utc_datetimes():
    schema = Schema.from_dict({"at": UtcDateTime(allow_none=True)})()

    class Later(datetime):
        pass

    values = [
        NOW,
        NOW.replace(microsecond=0),
        datetime(5, 1, 2, 3, 4, 5, 999999),
        NOW.replace(tzinfo=UTC),
        NOW.replace(tzinfo=timezone(timedelta(hours=-5))),
        Later(2026, 1, 2, 3, 4, 5, 6),
        None,
    ]
    for value in values:
        assert_alike(schema, {"at": value})
    dump = compile_dump(schema)
    assert dump({"at": values[4]}) == {"at": "2026-11-22T19:00:05Z"}
    # To the second, in UTC, with a Z: microseconds dropped, years padded.
    assert dump({"at": NOW}) == {"at": "2026-11-22T14:00:05Z"}
    assert dump({"at": values[2]}) == {"at": "0005-01-02T03:04:05Z"}


def test_nested_single_many_and_only():
    class Thread(Schema):
        author = fields.Nested(Person, allow_none=True)
        readers = fields.Nested(Person(many=True))
        first = fields.Nested(Person(only=("id",)))
        names = fields.Nested(Person, only=("name",), many=True)
        tagged = fields.List(fields.Nested(Person, exclude=("id",)))

    data = {
        "author": SimpleNamespace(id=1, name="A"),
        "readers": [{"id": 2, "name": "B"}],
        "first": {"id": 3, "name": "C"},
        "names": [{"id": 4, "name": "D"}],
        "tagged": [{"id": 5, "name": "E"}, {"id": 6}],
    }
    got = assert_alike(Thread(), data)
    assert got["first"] == {"id": 3} and got["names"] == [{"name": "D"}]
    assert_alike(Thread(), {"author": None, "readers": None, "tagged": []})
    assert_alike(Thread(many=True), [data, data])


def test_a_schema_nested_in_itself():
    class Node(Schema):
        name = fields.Str()
        children = fields.List(fields.Nested(lambda: Node()))

    tree = {"name": "a", "children": [{"name": "b", "children": [{"name": "c"}]}]}
    assert_compiled(Node())
    assert_alike(Node(), tree)


def test_fields_with_their_own_ways():
    class Doubled(fields.Field):
        def _serialize(self, value, attr, obj, **kwargs):
            return missing if value is None else value * 2  # missing: no key at all

    class Looked(fields.Field):
        def get_value(self, obj, attr, accessor=None, default=None):
            return "looked up " + attr

    class Custom(Schema):
        doubled = Doubled()
        looked = Looked()
        plain_str = fields.Str()

    got = assert_alike(Custom(), {"doubled": 4, "plain_str": "s"})
    assert got == {"doubled": 8, "looked": "looked up looked", "plain_str": "s"}
    assert "doubled" not in assert_alike(Custom(), {"doubled": None})


def test_schemas_with_hooks_or_their_own_access_keep_marshmallow_dump():
    class Hooked(Person):
        @pre_dump
        def lower(self, data, **kwargs):
            return {**data, "name": data["name"].lower()}

        @post_dump
        def mark(self, data, **kwargs):
            return {**data, "marked": True}

    class Accessor(Schema):
        name = fields.Str()

        def get_attribute(self, obj, attr, default):
            return "always"

    class Ordered(Person):
        dict_class = type("MyDict", (dict,), {})

    for schema in (Hooked(), Accessor(), Ordered()):
        assert compile_dump(schema) == schema.dump
        assert_alike(schema, {"id": 1, "name": "ABC"})

    class Outer(Schema):
        inner = fields.Nested(Hooked)  # compiled, its nested hooked schema not

    assert_compiled(Outer())
    got = assert_alike(Outer(), {"inner": {"id": 1, "name": "ABC"}})
    assert got == {"inner": {"id": 1, "name": "abc", "marked": True}}


class Base(DeclarativeBase):
    pass


class Member(Base):
    __tablename__ = "member"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    joined_at: Mapped[datetime | None]
    archived_at: Mapped[datetime | None]


class MemberSchema(Schema):
    id = fields.Int()
    name = fields.Str()
    joined_at = UtcDateTime()
    archived = is_set("archived_at")
    label = fields.Str(attribute="name", data_key="label", dump_only=True)
    missing_column = fields.Str()
    defaulted = fields.Int(dump_default=0)


@pytest.fixture
def session():
    engine = sa.create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        session.add_all(
            [
                Member(id=1, name="Ann", joined_at=NOW, archived_at=None),
                Member(id=2, name="Ben", joined_at=None, archived_at=NOW),
            ]
        )
        session.commit()
        yield session
    engine.dispose()


def test_sqlalchemy_row_mappings_rows_and_orm_objects(session):
    statement = sa.select(Member.__table__)
    mappings = session.execute(statement).mappings().all()
    assert type(mappings[0]).__name__ == "RowMapping"
    got = assert_alike(MemberSchema(many=True), mappings)
    assert got[1] == {
        "id": 2,
        "name": "Ben",
        "joined_at": None,
        "archived": True,
        "label": "Ben",
        "defaulted": 0,
    }
    assert_alike(MemberSchema(many=True), session.execute(statement).all())  # Row objects
    assert_alike(MemberSchema(many=True), session.scalars(sa.select(Member)).all())
    assert_alike(MemberSchema(), [dict(mapping) for mapping in mappings][0])


def test_the_blueprint_dumps_with_the_compiled_dump_and_documents_the_same(monkeypatch):
    compiled = []
    monkeypatch.setattr(
        "hub.blueprint.compile_dump", lambda schema: compiled.append(schema) or compile_dump(schema)
    )

    def build(blueprint_class):
        app = flask.Flask("toy")
        app.config.update(
            API_TITLE="toy", API_VERSION="1", OPENAPI_VERSION="3.0.3", OPENAPI_URL_PREFIX="/"
        )
        api = flask_smorest.Api(app)
        blp = blueprint_class("toy", "toy", url_prefix="/toy")
        shared = Person(many=True)  # one instance for two routes

        @blp.route("/one")
        @blp.response(200, Person)
        def one():
            return SimpleNamespace(id=1, name="A")

        @blp.route("/many")
        @blp.response(200, shared)
        def many():
            return [{"id": 2, "name": "B"}, SimpleNamespace(id=3, name=b"C")]

        @blp.route("/again")
        @blp.response(200, shared, description="The same instance")
        def again():
            return [{"id": "4"}]

        api.register_blueprint(blp)
        return app, api, shared

    plain_app, plain_api, _ = build(flask_smorest.Blueprint)
    hub_app, hub_api, shared = build(Blueprint)
    assert len(compiled) == 2 and compiled[1] is shared  # compiled once, not twice
    assert "dump" in vars(shared)
    assert plain_api.spec.to_dict() == hub_api.spec.to_dict()
    for path in ("/toy/one", "/toy/many", "/toy/again"):
        plain, hub = plain_app.test_client().get(path), hub_app.test_client().get(path)
        assert hub.status_code == plain.status_code == 200
        assert hub.data == plain.data


def response_schemas(app):
    """(endpoint, the schema instance smorest's response wrapper dumps with)."""
    for endpoint, view in app.view_functions.items():
        function = view
        while function is not None:
            # functools.wraps gives the wrapper the view's name; its code keeps its own.
            if function.__code__.co_qualname.startswith("ResponseMixin.response."):
                schema = inspect.getclosurevars(function).nonlocals["schema"]
                if schema is not None:
                    yield endpoint, schema
            function = getattr(function, "__wrapped__", None)


# Response schemas that knowingly dump through marshmallow (hooks, their own accessor...).
FALLS_BACK: set[str] = set()


@pytest.mark.parametrize("database", ["sqlite"])
def test_every_hub_response_schema_dumps_compiled(app):
    found = list(response_schemas(app))
    assert len(found) > 40
    for endpoint, schema in found:
        name = type(schema).__name__
        if name in FALLS_BACK:
            assert compile_dump(schema) == schema.dump, f"{name} compiles now: unlist it"
        else:
            assert "dump" in vars(schema), f"{endpoint}: {name} is dumped by marshmallow"
        # And on an empty object, the compiled dump and marshmallow's agree, errors too.
        try:
            expected = marshmallow_dump(schema, {}, many=False)
        except Exception as error:
            with pytest.raises(type(error)):
                schema.dump({}, many=False)
        else:
            assert repr(schema.dump({}, many=False)) == repr(expected), endpoint


# What the hub's fields.Function fields read beyond the schema's own fields.
FUNCTION_INPUTS = {"email_verified_at": NOW, "approved_at": None, "seq": 7, "panelists": []}


def sample_value(field: fields.Field, position: int):
    """A value of the kind `field` dumps, different for each position."""
    if isinstance(field, fields.Nested):
        nested = field.schema
        if field.many or nested.many:
            return [sample_object(nested, position), sample_object(nested, position + 1)]
        return sample_object(nested, position)
    if isinstance(field, fields.List):
        return [sample_value(field.inner, position), sample_value(field.inner, position + 1)]
    if isinstance(field, fields.DateTime):
        return NOW + timedelta(days=position, seconds=position)
    if isinstance(field, fields.Bool):
        return position % 2 == 0
    if isinstance(field, fields.Integer):
        return 1000 + position
    if isinstance(field, fields.Float):
        return position + 0.25
    if isinstance(field, fields.Dict):
        return {"post": position, "file": 2}
    if isinstance(field, fields.String):
        return f"text {position} é"
    return [{"id": position, "name": f"Name {position}"}]  # Raw and plain Field


class Row(dict):
    """A sample row as a dict; `as_objects` turns these (and only these) into objects."""


def sample_object(schema: Schema, position: int = 0, *, none: bool = False) -> Row:
    """A row holding a value for every field `schema` dumps (None for each with `none`),
    under the attribute each reads (a dotted attribute as nested rows)."""
    obj = Row(FUNCTION_INPUTS)
    for offset, (name, field) in enumerate(schema.dump_fields.items()):
        if isinstance(field, fields.Function):
            continue
        *parents, last = (field.attribute or name).split(".")
        holder = obj
        for parent in parents:
            holder = holder.setdefault(parent, Row())
        holder[last] = None if none else sample_value(field, position + offset)
    return obj


def as_objects(value):
    """The same rows as objects with attributes, as the ORM gives them; values stay."""
    if isinstance(value, Row):
        return SimpleNamespace(**{key: as_objects(item) for key, item in value.items()})
    if isinstance(value, list):
        return [as_objects(item) for item in value]
    return value


def as_dicts(value):
    """The same rows as plain dicts, as Core rows' mappings give them."""
    if isinstance(value, Row):
        return {key: as_dicts(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_dicts(item) for item in value]
    return value


def assert_same_outcome(schema: Schema, obj, many: bool) -> None:
    """The compiled dump gives what marshmallow gives, or raises what it raises."""
    try:
        expected = marshmallow_dump(schema, obj, many=many)
    except Exception as error:
        with pytest.raises(type(error)):
            schema.dump(obj, many=many)
    else:
        assert repr(schema.dump(obj, many=many)) == repr(expected)


@pytest.mark.parametrize("database", ["sqlite"])
def test_every_hub_response_schema_dumps_full_objects_as_marshmallow_does(app):
    """Every schema a hub route responds with, on objects with every field set (one and a
    page), and as dicts and with every field None: compiled == marshmallow."""
    checked = set()
    for endpoint, schema in response_schemas(app):
        if id(schema) in checked:
            continue
        checked.add(id(schema))
        full = sample_object(schema)
        page = [full, sample_object(schema, 50)]
        # As the ORM gives them: every field set, so nothing is left to dump_default.
        assert len(assert_alike(schema, as_objects(full), many=False)) == len(schema.dump_fields), (
            endpoint
        )
        assert_alike(schema, as_objects(page), many=True)
        # Rows as dicts (fields.Function reads attributes: marshmallow may refuse them).
        assert_same_outcome(schema, as_dicts(full), many=False)
        assert_same_outcome(schema, as_dicts(page), many=True)
        assert_same_outcome(schema, as_objects(sample_object(schema, none=True)), many=False)
    assert len(checked) > 40
