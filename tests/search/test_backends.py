"""The search backends' contract: what a person sees is the same from either engine.

The whole search suite (tests/search, the leak tests) runs on both databases, and the
backend follows the database as a deployment's default does: Whoosh on SQLite, PostgreSQL's
own full-text search on PostgreSQL. Whoosh on PostgreSQL is what a deployment gets by
asking (HUB_SEARCH_BACKEND=whoosh); the restart test in test_indexing.py runs it, and the
engine itself does not depend on the database, so the suite does not run a third time.
"""

import pytest
import sqlalchemy as sa

from hub import outbox
from hub.extensions import db
from hub.search import service
from tests.search.helpers import (
    API,
    add_member,
    make_group,
    refs,
    reply,
    search,
    start_thread,
)

EXPECTED_BACKEND = {"sqlite": "whoosh", "postgresql": "postgres"}


@pytest.fixture
def search_backend(app, database) -> str:
    """The backend under test: the database's default."""
    with app.app_context():
        name = service.backend_name(app)
    assert name == EXPECTED_BACKEND[database]
    return name


def test_readiness_names_the_backend_in_use(client, search_backend):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json["search"] == {"backend": search_backend}


def test_words_inside_web_and_email_addresses_are_words(factory, search_backend):
    owner = factory.person()
    group = make_group(owner, "open")
    site = start_thread(owner, group, "Open data", "Everything is on www.openkent.org.uk now.")
    mail = start_thread(
        owner, group, "Contacts", "Write to data@local.gov.uk, or see local.gov.uk/guides."
    )
    assert ("thread", site) in refs(search(owner, "openkent"))
    assert ("thread", site) in refs(search(owner, "www.openkent.org.uk"))
    assert ("thread", mail) in refs(search(owner, "local.gov.uk"))
    assert ("thread", mail) in refs(search(owner, "guides"))
    assert ("thread", site) not in refs(search(owner, "local.gov.uk"))


def test_words_inside_paths_mime_types_and_angle_brackets_are_words(factory, search_backend):
    owner = factory.person()
    group = make_group(owner, "open")
    notes = start_thread(
        owner,
        group,
        "Set-up notes",
        "Screens are in docs/screenshots/phone.png, uploads are application/pdf, the "
        "probe is localhost:5000/healthz, exports are named export-<date>.zip (pub/sub), "
        "memory is in /proc.",
    )
    words = ("screenshots", "pdf", "healthz", "date", "sub", "proc")
    for text in (*words, "docs/screenshots/phone.png"):
        assert ("thread", notes) in refs(search(owner, text)), text


def test_a_title_match_ranks_above_a_body_match(factory, search_backend):
    owner = factory.person()
    group = make_group(owner, "open")
    body_only = start_thread(owner, group, "Quarterly notes", "We discussed allotments briefly.")
    titled = start_thread(owner, group, "Allotments waiting list", "How long do people wait?")
    items = search(owner, "allotments")["items"]
    assert [(i["type"], i["id"]) for i in items[:2]] == [("thread", titled), ("thread", body_only)]
    assert items[0]["score"] > items[1]["score"]


def test_more_of_the_words_ranks_higher(factory, search_backend):
    owner = factory.person()
    group = make_group(owner, "open")
    thread = start_thread(owner, group, "Meeting", "Agenda for the week.")
    once = reply(owner, thread, "Recycling rates rose; bins emptied weekly, glass separately.")
    often = reply(owner, thread, "Recycling: recycling centres and recycling rates.")
    items = search(owner, "recycling", type="post")["items"]
    assert [i["id"] for i in items] == [often, once]


def test_deletion_and_loss_of_access_take_effect_at_once(factory, search_backend):
    owner = factory.person()
    member = factory.person()
    group = make_group(owner, "private")
    add_member(owner, group, member)
    thread = start_thread(owner, group, "Budget", "Zephyrine reserves policy.")
    post = reply(owner, thread, "Zephyrine second thoughts.")
    assert refs(search(member, "zephyrine")) == {("thread", thread), ("post", post)}
    assert owner.delete(f"{API}/posts/{post}").status_code in (200, 204)
    assert refs(search(member, "zephyrine")) == {("thread", thread)}
    owner.delete(f"{API}/groups/{group}/members/{member.user_id}")
    assert search(member, "zephyrine")["total"] == 0


@pytest.mark.parametrize("database", ["postgresql"])  # the PostgreSQL backend runs on PostgreSQL
def test_postgres_writes_search_documents_in_the_commit(app, factory, database):
    """No outbox rows and no index writer: a document is searchable the moment its
    content commits, from any process that shares the database."""
    owner = factory.person()
    group = make_group(owner, "open")
    thread = start_thread(owner, group, "Flood resilience", "Sandbags and drainage.")
    with app.app_context():
        pending = db.session.scalar(
            db.select(db.func.count())
            .select_from(outbox.OutboxEvent)
            .where(outbox.OutboxEvent.kind == "search")
        )
    assert pending == 0
    assert refs(search(owner, "drainage")) == {("thread", thread)}


def test_a_large_total_is_exact_or_says_it_is_a_lower_bound(factory, search_backend):
    owner = factory.person()
    group = make_group(owner, "open")
    start_thread(owner, group, "Potholes", "Potholes on every road.")
    result = search(owner, "potholes")
    assert result["total"] == 1
    assert result.get("total_exact", True) is True


@pytest.mark.parametrize("database", ["postgresql"])  # Whoosh counts every match exactly
def test_beyond_ten_thousand_matches_the_total_is_a_flagged_lower_bound(app, factory, database):
    from hub.search.postgres import EXACT_TOTAL

    reader = factory.person()
    with app.app_context():  # written in one statement: through the API it would take minutes
        db.session.execute(
            sa.text(
                "INSERT INTO search_documents (ref, type, item_id, group_id, title, body, "
                "tags, parents, url, stamp, words, tsv) SELECT 'post:' || n, 'post', n, 0, "
                "'', 'Gritting routes.', '{}', '{}', '', '', '{}', "
                "to_tsvector('english', 'Gritting routes.') FROM generate_series(1, :n) AS n"
            ),
            {"n": EXACT_TOTAL + 2},
        )
        db.session.commit()
    result = search(reader, "gritting")
    assert (result["total"], result["total_exact"]) == (EXACT_TOTAL + 1, False)
    assert result["facets"]["type"] == {"post": EXACT_TOTAL + 1}
    assert len(result["items"]) == 20


@pytest.mark.parametrize("database", ["postgresql"])  # the PostgreSQL backend runs on PostgreSQL
def test_postgres_search_says_what_to_install_when_an_extension_is_missing(database, tmp_path):
    import uuid

    from hub import create_app
    from hub.search.postgres import SearchUnavailable
    from tests.conftest import POSTGRES_URL, require_postgres

    require_postgres()
    name = f"hub_no_trgm_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        bare = create_app(
            {
                "HUB_ENV": "testing",
                "HUB_DATA_DIR": str(tmp_path),
                "SQLALCHEMY_DATABASE_URI": POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}",
            }
        )
        with bare.app_context():
            with pytest.raises(SearchUnavailable, match="pg_trgm.*postgresql-contrib") as both:
                service.backend().search("anything", set())
            assert "rum: the RUM index (Debian: postgresql-15-rum" in str(both.value)
            db.session.rollback()
            db.session.execute(sa.text("CREATE EXTENSION pg_trgm"))
            db.session.commit()
            service.backend().reopen()
            with pytest.raises(SearchUnavailable, match="extension.s. rum in") as rum_only:
                service.backend().search("anything", set())
            assert "pg_trgm" not in str(rum_only.value)
            db.session.remove()
            db.engine.dispose()
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
