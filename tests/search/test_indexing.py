"""Keeping the index in step: crashes, restarts, rebuilds, checks and the drain thread."""

from hub import create_app, outbox
from hub.extensions import db
from hub.search import service
from tests.conftest import make_test_app
from tests.factories import Factory
from tests.search.helpers import make_group, refs, search, start_thread

RESTART_SETTINGS = (
    "HUB_ENV",
    "TESTING",
    "HUB_DATA_DIR",
    "SQLALCHEMY_DATABASE_URI",
    "HUB_OUTBOX_DRAIN",
    "HUB_EMAIL_VERIFICATION",
    "HUB_PASSWORD_HASH",
    "MAIL_BACKEND",
    "RATELIMIT_STORAGE_URI",
    "HUB_SEARCH_BACKEND",
)


def test_a_restart_catches_up_on_what_was_committed_but_not_indexed(database, tmp_path):
    """Whoosh indexes after commit, through the outbox (PostgreSQL's backend writes in the
    commit itself: tests/search/test_backends.py)."""
    # No drain in this "process": it dies after its commits, before any indexing.
    crashed = make_test_app(
        database, tmp_path, HUB_OUTBOX_DRAIN="worker", HUB_SEARCH_BACKEND="whoosh"
    )
    owner = Factory(crashed).person()
    group = make_group(owner, "open")
    thread = start_thread(owner, group, "Flood resilience", "Sandbags and drainage.")
    assert search(owner, "drainage")["total"] == 0
    with crashed.app_context():
        pending = db.session.scalar(
            db.select(db.func.count())
            .select_from(outbox.OutboxEvent)
            .where(outbox.OutboxEvent.processed_at.is_(None))
        )
        assert pending >= 3
        db.session.remove()
        db.engine.dispose()

    # A new process on the same data dir and database (not make_test_app: it would empty it).
    restarted = create_app({key: crashed.config[key] for key in RESTART_SETTINGS})
    with restarted.app_context():
        assert outbox.drain_all() >= 3
    reader = Factory(restarted).client_for(Factory(restarted).user())
    assert refs(search(reader, "drainage")) == {("thread", thread)}
    with restarted.app_context():
        db.session.remove()
        db.engine.dispose()


def test_reindex_rebuilds_the_index_from_the_database(app, factory):
    owner = factory.person(name="Grace Okafor")
    group = make_group(owner, "private", name="Audit chiefs")
    thread = start_thread(owner, group, "Internal audit plans", "Risk-based planning.")
    with app.app_context():
        service.backend().delete([f"thread:{thread}", f"group:{group}"])
    assert search(owner, "audit")["total"] == 0
    result = app.test_cli_runner().invoke(args=["hub", "reindex"])
    assert result.exit_code == 0, result.output
    assert "Indexing" in result.output and "documents/s" in result.output
    assert refs(search(owner, "audit")) == {("thread", thread), ("group", group)}
    assert refs(search(owner, "grace")) == {("person", owner.user_id)}
    assert search(owner, "audit")["facets"]["group"] == [
        {"id": group, "name": "Audit chiefs", "count": 1}
    ]  # the listing itself is public


def test_search_check_reports_and_repairs_differences(app, factory):
    owner = factory.person()
    group = make_group(owner, "open")
    kept = start_thread(owner, group, "Kept thread", "Parking permits.")
    lost = start_thread(owner, group, "Lost thread", "Parking fines.")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["hub", "search", "check"]).exit_code == 0
    with app.app_context():
        backend = service.backend()
        backend.delete([f"thread:{lost}"])
        stale = service.documents.load({f"thread:{kept}"})[0][0]
        stale.body = "Something else entirely."
        backend.index([stale])
        from hub.search.backend import SearchDoc

        backend.index(
            [SearchDoc(type="thread", id=999, title="Ghost", body="gone", group_id=group)]
        )
    report = runner.invoke(args=["hub", "search", "check"])
    assert report.exit_code != 0
    assert f"missing: 1 (thread:{lost})" in report.output
    assert f"stale: 1 (thread:{kept})" in report.output
    assert "extra: 1 (thread:999)" in report.output
    fixed = runner.invoke(args=["hub", "search", "check", "--fix"])
    assert fixed.exit_code == 0 and "Repaired 3" in fixed.output
    assert runner.invoke(args=["hub", "search", "check"]).exit_code == 0
    assert {("thread", kept), ("thread", lost)} <= refs(search(owner, "parking"))
    assert search(owner, "ghost")["total"] == 0


def test_readiness_names_the_search_index(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json["checks"]["search"] is True


FRESHNESS_SCRIPT = """
import json, pathlib, sys, time
from hub import outbox
from tests.conftest import make_test_app
from tests.factories import Factory
from tests.search.helpers import API, add_member, drain, make_group, refs, search, start_thread

app = make_test_app("sqlite", pathlib.Path(sys.argv[1]), HUB_OUTBOX_DRAIN="thread")
outbox.start_drain_thread(app)
factory = Factory(app)
owner = factory.person()
drain(app)
group = make_group(owner, "private")
delays = []
for n in range(5):
    started = time.monotonic()
    thread = start_thread(owner, group, f"Freshness {n}", f"Uniqueword{n} here.")
    while ("thread", thread) not in refs(search(owner, f"uniqueword{n}")):
        if time.monotonic() - started > 2:
            break
        time.sleep(0.01)
    delays.append(time.monotonic() - started)
removed = factory.person()
add_member(owner, group, removed)
time.sleep(0.5)
before = search(removed, "uniqueword0")["total"]
owner.delete(f"{API}/groups/{group}/members/{removed.user_id}")
after = search(removed, "uniqueword0")["total"]
print(json.dumps({"delays": delays, "before": before, "after": after}))
"""


def test_the_drain_thread_makes_writes_searchable_within_a_second(tmp_path):
    """Embedded serving: the drain thread, woken by each commit, indexes in well under 1 s.

    In a process of its own: a drain thread and its commit listener live as long as
    their process, and would take the inline drain's work in the tests that follow.
    """
    import json
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", FRESHNESS_SCRIPT, str(tmp_path)],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert max(figures["delays"]) < 1.0, figures
    assert (figures["before"], figures["after"]) == (1, 0)
