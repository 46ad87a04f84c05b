"""Database helpers shared by every feature: time, engine pragmas, pagination."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import event, func, select
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


def paginate(statement, pagination_parameters, scalars: bool = True) -> list:
    """Run one page of a select and record the total on the smorest pagination object."""
    page = pagination_parameters.page
    size = pagination_parameters.page_size
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    pagination_parameters.item_count = total
    if (page - 1) * size >= total:  # past the end: nothing to fetch (and no huge OFFSET)
        return []
    page_statement = statement.limit(size).offset((page - 1) * size)
    result = db.session.execute(page_statement)
    return list(result.scalars() if scalars else result)
