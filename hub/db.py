"""Database helpers shared by every feature: time, engine pragmas, pagination."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Integer, bindparam, event, func, select
from sqlalchemy.engine import Engine
from werkzeug.routing import IntegerConverter

from hub.extensions import db

MAX_ID = 2**31 - 1


def utcnow() -> datetime:
    """Now, in UTC, without tzinfo (stored naive, always UTC)."""
    return datetime.now(UTC).replace(tzinfo=None)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets readers run beside the one writer; busy_timeout waits instead of failing.
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


class IdConverter(IntegerConverter):
    """`<int:...>` in routes: ids beyond the database's integer range are simply not found."""

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


class Listing:
    """A list's select with its count and page statements. A list read on every request
    makes its Listing once per process, with bind parameters for what varies: building a
    statement (and its cache key) costs more than running it for a page of 20."""

    def __init__(self, statement) -> None:
        self.count = select(func.count()).select_from(statement.order_by(None).subquery())
        self.page = statement.limit(bindparam("page_size", type_=Integer)).offset(
            bindparam("page_offset", type_=Integer)
        )


def paginate(statement, pagination_parameters, shape: str = "objects", params=None) -> list:
    """Run one page of a select (or of a Listing, with its `params`) and record the total on
    the smorest pagination object.

    The page comes as `objects` (the first column: ORM objects), `rows`, or `mappings`
    (each row as a read-only dict of its columns: lists read this way build no ORM
    objects, which cost more than the query for a page of 20)."""
    listing = statement if isinstance(statement, Listing) else Listing(statement)
    params = params or {}
    page = pagination_parameters.page
    size = pagination_parameters.page_size
    total = db.session.scalar(listing.count, params)
    pagination_parameters.item_count = total
    if (page - 1) * size >= total:  # past the end: nothing to fetch (and no huge OFFSET)
        return []
    result = db.session.execute(
        listing.page, {**params, "page_size": size, "page_offset": (page - 1) * size}
    )
    if shape == "objects":
        return list(result.scalars())
    return list(result.mappings() if shape == "mappings" else result)


def with_values(rows, statement, name: str) -> list[dict]:
    """Dump-ready rows, each with `name`: the values `statement` gives for its id, read
    in one query. `statement` selects (owner id, value) for the owners in `ids`."""
    values: dict[int, list] = {row["id"]: [] for row in rows}
    if values:
        for owner_id, value in db.session.execute(statement, {"ids": list(values)}):
            values[owner_id].append(value)
    return [{**row, name: values[row["id"]]} for row in rows]
