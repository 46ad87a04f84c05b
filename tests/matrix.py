"""Shared machinery of the permission matrices: a world of 9 personas and 4 groups, rows
snapshotted and put back after a call changes them, and a walk comparing statuses.

The world is the groups matrix's (tests/groups/test_permission_matrix.py): one group of
each visibility, each with an owner, a moderator, a member, a banned former member, a
requester and an invitee; a non-member and a site admin who belong to none of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy import delete, insert, select

from hub.extensions import db
from tests.groups.helpers import API
from tests.groups.test_permission_matrix import (
    NOBODY,
    NON_MEMBERS,
    PERSONAS,
    REFUSED,
    VISIBILITIES,
    World,
    build_world,
)

__all__ = [
    "API",
    "NOBODY",
    "NON_MEMBERS",
    "PERSONAS",
    "REFUSED",
    "VISIBILITIES",
    "World",
    "build_world",
    "check_table_shape",
    "restore_tables",
    "snapshot_tables",
    "walk",
]

Row = dict[str, tuple[int, int, int, int]]


def snapshot_tables(app, names: Iterable[str]) -> list:
    """Every row of these tables, in dependency order, to put back with `restore_tables`."""
    names = set(names)
    with app.app_context():
        tables = [t for t in db.metadata.sorted_tables if t.name in names]
        assert {t.name for t in tables} == names, names - {t.name for t in tables}
        snapshot = [
            (
                table,
                [
                    dict(r)
                    for r in db.session.execute(
                        select(table).order_by(*table.primary_key.columns)
                    ).mappings()
                ],
            )
            for table in tables
        ]
        db.session.remove()
    return snapshot


def restore_tables(app, snapshot: list) -> None:
    with app.app_context():
        for table, _rows in reversed(snapshot):
            db.session.execute(delete(table))
        for table, rows in snapshot:
            if rows:
                db.session.execute(insert(table), rows)
        db.session.commit()
        db.session.remove()


def walk(
    world: World,
    expected: dict[str, Row],
    endpoints: Iterable[str],
    call: Callable[[str, str, str], object],
    restore: Callable[[], None],
    personal: Iterable[str] = (),
) -> list[str]:
    """Call every endpoint as every persona in every visibility; the differences from the
    table. `call(endpoint, persona, visibility)` makes the request; a change that succeeded
    is undone with `restore()` before the next call. `personal` endpoints name no group:
    they are called once per persona."""
    mismatches = []
    for endpoint in endpoints:
        visibilities = VISIBILITIES[:1] if endpoint in personal else VISIBILITIES
        for persona in PERSONAS:
            for index, visibility in enumerate(visibilities):
                response = call(endpoint, persona, visibility)
                status = response.status_code
                assert status < 500, (endpoint, persona, visibility, response.get_data(True))
                if status >= 400:
                    assert response.is_json and response.json["message"], (endpoint, persona)
                want = expected[endpoint][persona][index]
                if status != want:
                    mismatches.append(
                        f"{endpoint} as {persona} in {visibility}: {status}, expected {want}"
                    )
                if not endpoint.startswith("GET") and status < 300:
                    restore()
    return mismatches


def check_table_shape(expected: dict[str, Row], personal: Iterable[str] = ()) -> None:
    """Every row names every persona; the table itself keeps hidden groups and the content
    of non-open groups from non-members (`personal` rows are about the caller alone)."""
    hidden = VISIBILITIES.index("hidden")
    for endpoint, row in expected.items():
        assert set(row) == set(PERSONAS), endpoint
        assert row["anonymous"] == NOBODY, endpoint
        if endpoint in personal:
            continue
        for persona in NON_MEMBERS:
            assert row[persona][hidden] == 404, (endpoint, persona)
        for persona in (*NON_MEMBERS, "site_admin"):
            for index, visibility in enumerate(VISIBILITIES):
                if visibility != "open":
                    assert row[persona][index] in (403, 404), (endpoint, persona, visibility)
