"""Database helpers shared by every feature: time, engine pragmas, pagination."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import JSON, Integer, bindparam, event, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from werkzeug.routing import IntegerConverter

from hub.extensions import db

MAX_ID = 2**31 - 1


def utcnow() -> datetime:
    """Now, in UTC, without tzinfo (stored naive, always UTC)."""
    return datetime.now(UTC).replace(tzinfo=None)


UK = ZoneInfo("Europe/London")


def in_uk(when: datetime) -> datetime:
    """A stored (naive, UTC) time as people in the UK read it: GMT or BST."""
    return when.replace(tzinfo=UTC).astimezone(UK)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets readers run beside the one writer; busy_timeout waits instead of failing.
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # 32 MB of pages per connection instead of 2 MB: at Knowledge Hub scale a request's
        # indexes (the feed's, the people finder's) outgrew 2 MB, and every request read
        # them again from the file (figures in docs/benchmarks.md).
        cursor.execute("PRAGMA cache_size=-32768")
        cursor.close()


class IdConverter(IntegerConverter):
    """`<int:...>` in routes: ids beyond the database's integer range are simply not found."""

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


class Listing:
    """A list's select with its count and page statements. A list read on every request
    makes its Listing once per process, with bind parameters for what varies: building a
    statement (and its cache key) costs more than running it for a page of 20.

    The page carries the list's total as its last column, a scalar subquery the database
    computes once: one round trip instead of two, and the count still reads only what it
    needs (a window count would read every matching row whole)."""

    def __init__(self, statement) -> None:
        self.count = count_of(statement)
        self.page = (
            statement.add_columns(self.count.scalar_subquery().label("list_total"))
            .limit(bindparam("page_size", type_=Integer))
            .offset(bindparam("page_offset", type_=Integer))
        )


def paginate(statement, pagination_parameters, shape: str = "objects", params=None) -> list:
    """Run one page of a select (or of a Listing, with its `params`) and record the total on
    the smorest pagination object.

    The page comes as `objects` (the first column: ORM objects), `rows` (tuples of ORM
    objects and values), or `mappings`: each row as a dict of its columns, read through
    the connection without the ORM (lists read this way build no ORM objects, which cost
    more than the query for a page of 20)."""
    if shape == "mappings":
        return _mapping_page(statement, pagination_parameters, params or {})
    page = pagination_parameters.page
    size = pagination_parameters.page_size
    total = db.session.scalar(count_of(statement))
    pagination_parameters.item_count = total
    if (page - 1) * size >= total:  # past the end: nothing to fetch (and no huge OFFSET)
        return []
    result = db.session.execute(statement.limit(size).offset((page - 1) * size))
    return list(result.scalars() if shape == "objects" else result)


def count_of(statement):
    """How many rows `statement` gives, counted on its first column alone (its id): the
    per-row subqueries of the other columns (a role, a list of tags) never run for it.
    For lists without DISTINCT or GROUP BY, as all of the hub's are."""
    counted = statement.order_by(None).with_only_columns(
        statement.selected_columns[0], maintain_column_froms=True
    )
    return select(func.count()).select_from(counted.subquery())


def _mapping_page(statement, pagination_parameters, params: dict) -> list[dict]:
    listing = statement if isinstance(statement, Listing) else Listing(statement)
    offset = (pagination_parameters.page - 1) * pagination_parameters.page_size
    rows, keys = [], []
    if offset <= MAX_ID:  # no list is longer: a page beyond is empty (and its OFFSET huge)
        result = run(
            listing.page,
            {**params, "page_size": pagination_parameters.page_size, "page_offset": offset},
        )
        keys, rows = list(result.keys())[:-1], result.all()
    if rows:
        pagination_parameters.item_count = rows[0][-1]
    else:  # an empty list, or a page past its end: only then is the total counted alone
        pagination_parameters.item_count = run(listing.count, params).scalar() if offset else 0
    return [dict(zip(keys, row[:-1], strict=True)) for row in rows]


def dicts(result) -> list[dict]:
    """A result's rows as dicts of their columns, fetched at once: a third of the cost of
    iterating SQLAlchemy's mappings, which fetch and wrap each row on its own."""
    keys = list(result.keys())
    return [dict(zip(keys, row, strict=True)) for row in result.all()]


def lock_row(model, row_id: int) -> bool:
    """Hold this row until commit (on PostgreSQL; SQLite has one writer at a time) and tell
    whether it is still there: of two deletes at once, the second then finds it gone
    instead of counting it out twice."""
    return run(select(model.id).where(model.id == row_id).with_for_update()).first() is not None


def run(statement, params: dict | None = None):
    """Execute a Core select of columns on the session's connection: the same transaction,
    without the ORM's execution path, which costs more than a small indexed query."""
    return db.session.connection().execute(statement, params or {})


# The ASCII unit separator, which no tag or word contains: it joins a row's values in one
# column (`value_list`), read back by `values_of`.
VALUE_SEPARATOR = "\x1f"


def value_list(value_column, *where):
    """A column for a list's select: the values of `value_column` where `where` holds (for
    each row of the list), joined in one string. A page reads its rows' tags this way in
    its own query, instead of a second one; `values_of` reads the column."""
    aggregate = func.aggregate_strings(value_column, VALUE_SEPARATOR)
    return select(aggregate).where(*where).scalar_subquery()


def values_of(joined: str | None) -> list[str]:
    """The values of a `value_list` column, sorted (by code point on every database)."""
    return sorted(joined.split(VALUE_SEPARATOR)) if joined else []


class json_rows(FunctionElement):  # noqa: N801 (used like func.*)
    """An aggregate: a JSON array of each row's `columns`, as an array, read back as a
    list of lists. A page reads its rows' small lists of records (a conversation's
    participants) this way in its own query, instead of a second one."""

    type = JSON()
    name = "json_rows"
    inherit_cache = True


@compiles(json_rows, "sqlite")
def _json_rows_sqlite(element, compiler, **kw):
    return f"json_group_array(json_array({compiler.process(element.clauses, **kw)}))"


@compiles(json_rows, "postgresql")
def _json_rows_postgresql(element, compiler, **kw):
    return f"json_agg(json_build_array({compiler.process(element.clauses, **kw)}))"
