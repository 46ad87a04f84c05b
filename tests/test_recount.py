"""`flask hub recount`: counts written around the services are set right from the rows."""

import json

import sqlalchemy as sa

from tests.groups.helpers import API, add_member, make_group, reply, start_thread


def total(response) -> int:
    assert response.status_code == 200, response.json
    return json.loads(response.headers["X-Pagination"])["total"]


def test_recount_repairs_the_feed_and_finder_totals(app, factory):
    from hub.extensions import db

    owner, me = factory.person(), factory.person(job_title="Drainage Engineer")
    group_id = make_group(owner, "private")
    add_member(owner, group_id, me)
    reply(owner, start_thread(owner, group_id)["id"], "A reply.")
    feed = f"{API}/me/feed"
    finder = f"{API}/people?q=drainage"
    assert (total(me.get(feed)), total(owner.get(finder))) == (2, 1)
    runner = app.test_cli_runner()
    clean = runner.invoke(args=["hub", "recount"])
    assert clean.exit_code == 0, clean.output
    assert "Groups with wrong counts, now corrected: 0." in clean.output
    assert "holders, now corrected: 0." in clean.output

    with app.app_context():  # as a write around the services would leave them
        db.session.execute(
            sa.text("UPDATE groups SET post_count = 7 WHERE id = :id"), {"id": group_id}
        )
        db.session.execute(
            sa.text("UPDATE person_term_counts SET holders = 5 WHERE term = 'drainage'")
        )
        db.session.commit()
    assert (total(me.get(feed)), total(owner.get(finder))) == (7, 5)

    repaired = runner.invoke(args=["hub", "recount"])

    assert repaired.exit_code == 0, repaired.output
    assert "Groups with wrong counts, now corrected: 1." in repaired.output
    assert "holders, now corrected: 1." in repaired.output
    assert (total(me.get(feed)), total(owner.get(finder))) == (2, 1)
