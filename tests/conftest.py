"""Fixtures: a fresh app and database per test, on SQLite and (when it answers) PostgreSQL.

PostgreSQL: HUB_TEST_POSTGRES_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/test).
Redis: HUB_TEST_REDIS_URL (default redis://127.0.0.1:6379/15).
When a service does not answer its tests skip, saying how to enable them; with
HUB_TEST_REQUIRE_SERVICES=1 (as .ci/run sets) they fail instead, so CI never skips them.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from hub import create_app
from hub.extensions import db
from tests.factories import Factory

POSTGRES_URL = os.environ.get(
    "HUB_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
# Each test run works in a database of its own, so that runs side by side cannot collide.
RUN_DATABASE = f"hub_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
REDIS_URL = os.environ.get("HUB_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
REQUIRE_SERVICES = os.environ.get("HUB_TEST_REQUIRE_SERVICES") == "1"


def _service_missing(what: str, how: str) -> None:
    message = f"{what} is not reachable; {how}"
    if REQUIRE_SERVICES:
        pytest.fail(message + " (HUB_TEST_REQUIRE_SERVICES=1: CI must not skip these tests)")
    pytest.skip(message)


def postgres_answers(url: str = POSTGRES_URL) -> bool:
    try:
        engine = sa.create_engine(url, connect_args={"connect_timeout": 2})
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
        engine.dispose()
        return True
    except Exception:
        return False


def require_postgres() -> str:
    """The URL of an empty database for this run (made on first use), or skip/fail."""
    if not postgres_answers():
        _service_missing(
            f"PostgreSQL at {POSTGRES_URL}",
            "start it (pg_ctlcluster <version> main start) or set HUB_TEST_POSTGRES_URL "
            "to run the PostgreSQL half of the database tests.",
        )
    global _run_database_url
    if _run_database_url is None:
        admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{RUN_DATABASE}"'))
        admin.dispose()
        _run_database_url = POSTGRES_URL.rsplit("/", 1)[0] + "/" + RUN_DATABASE
    return _run_database_url


_run_database_url: str | None = None


def pytest_sessionfinish(session, exitstatus) -> None:
    if _sqlite_template is not None:
        shutil.rmtree(_sqlite_template.parent, ignore_errors=True)
    if _run_database_url is None:
        return
    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{RUN_DATABASE}" WITH (FORCE)'))
    admin.dispose()


def require_redis() -> str:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception:
        _service_missing(
            f"Redis at {REDIS_URL}",
            "start redis-server on 127.0.0.1:6379 or set HUB_TEST_REDIS_URL "
            "to run the multi-process tests.",
        )
    return REDIS_URL


_postgres_sequences: list[str] | None = None


def _reset_postgres(app) -> None:
    """Fresh tables once per run, then empty them before each test.

    DELETE, not TRUNCATE: on tables this small, TRUNCATE of the 35 tables took ~0.8 s a
    test and DELETE ~10 ms. The sequences restart, as TRUNCATE ... RESTART IDENTITY did.
    """
    global _postgres_sequences
    with app.app_context():
        if _postgres_sequences is None:
            db.drop_all()
            db.create_all()
            _postgres_sequences = list(
                db.session.scalars(
                    sa.text("SELECT oid::regclass::text FROM pg_class WHERE relkind = 'S'")
                )
            )
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        for sequence in _postgres_sequences:
            db.session.execute(sa.text("SELECT setval(:s, 1, false)"), {"s": sequence})
        db.session.commit()


_sqlite_template: Path | None = None


def _create_sqlite(app, path: Path) -> None:
    """The schema, built once per run and copied for each test (a copy takes a few ms,
    create_all tens)."""
    global _sqlite_template
    if _sqlite_template is None:
        with app.app_context():
            db.create_all()
            db.engine.dispose()
        _sqlite_template = Path(tempfile.mkdtemp(prefix="hub-sqlite-")) / "schema.sqlite3"
        shutil.copyfile(path, _sqlite_template)
    else:
        shutil.copyfile(_sqlite_template, path)


def make_test_app(database: str, data_dir, **overrides):
    if database == "postgresql":
        url = require_postgres()
    else:
        url = f"sqlite:///{data_dir / 'hub.sqlite3'}"
    settings = {
        "HUB_ENV": "testing",
        "TESTING": True,
        "HUB_DATA_DIR": str(data_dir),
        "SQLALCHEMY_DATABASE_URI": url,
        "HUB_OUTBOX_DRAIN": "inline",
        "HUB_EMAIL_VERIFICATION": "off",
        "HUB_PASSWORD_HASH": "scrypt:1024:8:1",
        "MAIL_BACKEND": "locmem",
        "RATELIMIT_STORAGE_URI": "memory://",
    }
    settings.update(overrides)
    app = create_app(settings)
    if database == "postgresql":
        _reset_postgres(app)
    else:
        _create_sqlite(app, Path(data_dir) / "hub.sqlite3")
    return app


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request) -> str:
    return request.param


@pytest.fixture
def app_settings() -> dict:
    """Override in a test module to change settings (e.g. email verification)."""
    return {}


@pytest.fixture
def app(database, tmp_path, app_settings):
    app = make_test_app(database, tmp_path, **app_settings)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def factory(app) -> Factory:
    return Factory(app)
