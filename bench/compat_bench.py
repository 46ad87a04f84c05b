"""What each use of another library's internals (hub/compat.py) saves, measured in process.

    .venv/bin/python bench/compat_bench.py

A test app on SQLite in a temporary directory (a signed-in person, 25 groups); each figure
is the best of 5 repeats of many calls, in microseconds a call. Prints only: the figures
behind keeping each use are in docs/benchmarks.md.
"""

from __future__ import annotations

import sys
import tempfile
import timeit
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import flask_smorest.pagination as smorest_pagination  # noqa: E402
from machine import describe  # noqa: E402  bench/machine.py
from sqlalchemy import select  # noqa: E402
from webargs.flaskparser import FlaskParser  # noqa: E402

from hub.auth import service as auth_service  # noqa: E402
from hub.auth.models import User  # noqa: E402
from hub.blueprint import Blueprint  # noqa: E402
from hub.compat import SchemaReusingParser  # noqa: E402
from hub.extensions import db, limiter  # noqa: E402
from hub.groups.schemas import GroupQuerySchema  # noqa: E402
from tests.conftest import make_test_app  # noqa: E402
from tests.factories import Factory  # noqa: E402
from tests.test_dump import as_objects, response_schemas, sample_object  # noqa: E402

# Endpoints whose response schema is dumped for a page of 20 rows.
LISTS = ("list_groups", "list_threads", "list_posts", "list_notifications", "list_people")


def microseconds(call, number: int) -> float:
    return min(timeit.repeat(call, number=number, repeat=5)) / number * 1e6


def row(what: str, without: float, with_: float) -> None:
    print(f"| {what} | {without:,.1f} | {with_:,.1f} | {without - with_:,.1f} |")


def main() -> None:
    app = make_test_app("sqlite", Path(tempfile.mkdtemp(prefix="compat-bench-")))
    person = Factory(app).person()
    for n in range(25):
        person.post("/api/v1/groups", json={"name": f"Group {n}", "visibility": "open"})
    print(f"Machine: {describe()}\n")
    print("| what | without the use, µs | with it, µs | saved, µs |")
    print("| --- | ---: | ---: | ---: |")

    with app.test_request_context("/api/v1/groups?page=2&page_size=20"):
        check = microseconds(limiter._check_request_limit, 5000)
        row("Flask-Limiter's check before every request", check, 0)
        pagination = smorest_pagination._pagination_parameters_schema_factory(1, 20, 100)
        fresh, reused = FlaskParser(), SchemaReusingParser()
        for schema in (pagination, GroupQuerySchema):
            row(
                f"webargs, parse {schema.__name__}",
                microseconds(lambda s=schema: fresh.parse(s, location="query"), 3000),
                microseconds(lambda s=schema: reused.parse(s, location="query"), 3000),
            )

    smorest_metadata = smorest_pagination.PaginationMixin._make_pagination_metadata
    row(
        "smorest, X-Pagination of page 3 of 62",
        microseconds(lambda: smorest_metadata(3, 20, 1234), 5000),
        microseconds(lambda: Blueprint._make_pagination_metadata(3, 20, 1234), 5000),
    )

    schemas = {endpoint.split(".")[-1]: schema for endpoint, schema in response_schemas(app)}
    for name in LISTS:
        schema = schemas[name]
        rows = as_objects([sample_object(schema, n) for n in range(20)])
        row(
            f"dump 20 rows, {type(schema).__name__} (marshmallow / hub.dump)",
            microseconds(lambda s=schema, r=rows: type(s).dump(s, r, many=True), 300),
            microseconds(lambda s=schema, r=rows: s.dump(r, many=True), 300),
        )

    with app.app_context():

        def by_orm():
            db.session.expunge_all()
            db.session.execute(select(User).where(User.id == person.user_id)).scalar_one()

        def by_core():
            db.session.expunge_all()
            auth_service.user_by_id(person.user_id)

        row(
            "the caller: ORM select / Core + user_from_row",
            microseconds(by_orm, 2000),
            microseconds(by_core, 2000),
        )


if __name__ == "__main__":
    main()
