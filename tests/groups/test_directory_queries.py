"""The directory runs a fixed number of SQL queries, whatever the page size."""

from sqlalchemy import event

from hub.extensions import db
from tests.groups.helpers import API, add_member, make_group


def count_queries(app, request):
    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        response = request()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert response.status_code == 200, response.json
    return len(statements), response


def test_listing_groups_costs_the_same_queries_for_5_or_100_rows(app, factory):
    owner, reader = factory.person(), factory.person()
    for n in range(30):
        group_id = make_group(
            owner,
            ("open", "restricted", "private")[n % 3],
            name=f"Group {n:02}",
            tags=["audit", f"tag {n}"],
        )
        if n % 2:
            add_member(owner, group_id, reader)
    small, five = count_queries(app, lambda: reader.get(f"{API}/groups?page_size=5"))
    large, hundred = count_queries(app, lambda: reader.get(f"{API}/groups?page_size=100"))
    assert len(five.json) == 5
    assert len(hundred.json) == 30
    assert {g["my_role"] for g in hundred.json} == {"member", None}
    assert all(len(g["tags"]) == 2 for g in hundred.json)
    assert small == large, (small, large)
    # The token's person, the count, the page (with your roles) and the page's tags.
    assert small <= 4, small
