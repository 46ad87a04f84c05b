"""Fixtures: an app and empty database per test, on SQLite and (when it answers) PostgreSQL.

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
from hub.extensions import db, limiter, socketio
from hub.search import postgres as search_postgres
from hub.search import service as search_service
from tests.factories import Factory
from tests.live.zygote import zygote

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
            # A test database need not survive a crash: commits do not wait for the disk.
            connection.execute(
                sa.text(f'ALTER DATABASE "{RUN_DATABASE}" SET synchronous_commit = off')
            )
        admin.dispose()
        _run_database_url = POSTGRES_URL.rsplit("/", 1)[0] + "/" + RUN_DATABASE
    return _run_database_url


_run_database_url: str | None = None


def pytest_sessionfinish(session, exitstatus) -> None:
    zygote.close()
    shutil.rmtree(reused_app.home, ignore_errors=True)
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


JS_CLIENT = Path(__file__).parent / "live" / "js"


def require_js_client() -> str:
    """Node.js, with the official Socket.IO client installed from tests/live/js's lock file
    (make install-test runs npm ci there), or skip/fail."""
    node = shutil.which("node")
    if node is None or not (JS_CLIENT / "node_modules" / "socket.io-client").is_dir():
        _service_missing(
            "Node.js with tests/live/js's packages",
            "install Node.js and npm (apt-get install nodejs npm), then run make install-test "
            "(npm ci in tests/live/js) to run the JavaScript client tests.",
        )
    return node


def _base_settings(database: str, data_dir, overrides: dict) -> dict:
    settings = {
        "HUB_ENV": "testing",
        "TESTING": True,
        "HUB_DATA_DIR": str(data_dir),
        "SQLALCHEMY_DATABASE_URI": (
            require_postgres()
            if database == "postgresql"
            else f"sqlite:///{Path(data_dir) / 'hub.sqlite3'}"
        ),
        "HUB_OUTBOX_DRAIN": "inline",
        "HUB_EMAIL_VERIFICATION": "off",
        # About the cheapest scrypt OpenSSL takes (werkzeug's memory bound): ~0.5 ms, not
        # 3 ms, for each of the thousands of sign-ins the tests make.
        "HUB_PASSWORD_HASH": "scrypt:128:8:1",
        "MAIL_BACKEND": "locmem",
        "RATELIMIT_STORAGE_URI": "memory://",
        # No ping when a connection leaves the pool: the tests' database does not restart
        # under them, and the ping was a round trip in each of their requests.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": False},
    }
    settings.update(overrides)
    return settings


def make_test_app(database: str, data_dir, **overrides):
    """A new app on an empty database (for a test that needs an app of its own)."""
    app = create_app(_base_settings(database, data_dir, overrides))
    with app.app_context():
        _create_schema_once(database)
        empty_tables()
    return app


_postgres_schema_made = False


def _create_schema_once(database: str) -> None:
    """The tables: in each new SQLite file, and once per run in PostgreSQL's database."""
    global _postgres_schema_made
    if database != "postgresql":
        db.create_all()
    elif not _postgres_schema_made:
        db.drop_all()
        db.create_all()
        # The PostgreSQL search backend's tables (made by a migration in deployments).
        with db.engine.begin() as connection:
            _require_extension(connection, "rum", "as root, run `make install-postgres-rum`")
            connection.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
            connection.execute(sa.text("CREATE EXTENSION IF NOT EXISTS rum"))
            search_postgres.METADATA.drop_all(connection)
            search_postgres.METADATA.create_all(connection)
        _postgres_schema_made = True


def _require_extension(connection, name: str, how: str) -> None:
    available = connection.scalar(
        sa.text("SELECT count(*) FROM pg_available_extensions WHERE name = :name"),
        {"name": name},
    )
    if not available:
        _service_missing(f"PostgreSQL's {name} extension", how)


_postgres_sequences: list[str] | None = None


def empty_tables() -> None:
    """Delete every row and restart the ids, in one round trip on PostgreSQL.

    DELETE, not TRUNCATE: on tables this small, TRUNCATE of every table took ~0.8 s a test
    on PostgreSQL and DELETE ~10 ms. SQLite's ids restart by themselves (no AUTOINCREMENT).
    """
    global _postgres_sequences
    deletes = [f'DELETE FROM "{t.name}"' for t in reversed(db.metadata.sorted_tables)]
    if db.engine.dialect.name == "postgresql":
        deletes += [f'DELETE FROM "{name}"' for name in search_postgres.TABLES]
        if _postgres_sequences is None:
            _postgres_sequences = list(
                db.session.scalars(
                    sa.text("SELECT oid::regclass::text FROM pg_class WHERE relkind = 'S'")
                )
            )
        restarts = [f"SELECT setval('{s}', 1, false)" for s in _postgres_sequences]
        db.session.connection().exec_driver_sql("; ".join(deletes + restarts))
    else:
        for statement in deletes:
            db.session.execute(sa.text(statement))
    db.session.commit()


class ReusedApp:
    """The one app of this worker process, handed to test after test.

    Building an app takes ~70 ms (blueprints, the OpenAPI spec); resetting one takes a few
    ms. Between tests: the settings go back to the base, the tables are emptied, the data
    dir (search index, uploads) is the new test's own, and the rate limits, captured mail
    and live runtime start again. A test whose settings differ gets an app built for
    them (reused by the next test with the same settings); so does a test marked
    `new_app`. Any other app built meanwhile rebinds the extensions (Socket.IO, the
    limiter, the API spec are one per process), so this one is then built again.
    """

    def __init__(self) -> None:
        self.app = None
        self.key = None
        self.server = None
        self.settings: dict = {}
        self.home = Path(tempfile.mkdtemp(prefix="hub-test-app-"))

    def get(self, database: str, data_dir: Path, overrides: dict):
        key = (database, repr(sorted(overrides.items())))
        if self.app is None or key != self.key or socketio.server is not self.server:
            self._build(database, overrides)
            self.key = key
        self._reset(data_dir)
        return self.app

    def forget(self) -> None:
        """Let the app go (closing its database connections)."""
        if self.app is not None:
            with self.app.app_context():
                db.engine.dispose()
        self.app = self.key = self.server = None

    def _build(self, database: str, overrides: dict) -> None:
        self.forget()
        home = self.home / database
        shutil.rmtree(home, ignore_errors=True)
        self.app = make_test_app(database, home, **overrides)
        self.server = socketio.server
        self.settings = dict(self.app.config)

    def _reset(self, data_dir: Path) -> None:
        app = self.app
        app.config.clear()
        app.config.update(self.settings)
        app.config["HUB_DATA_DIR"] = str(data_dir)
        search_service.init_app(app)  # a new index in the new data dir
        limiter.reset()
        app.extensions["mailman"].outbox = []
        live = app.extensions.pop("hub_live", None)
        if live is not None:
            live.stopped.set()  # ends the old runtime's loop
        with app.app_context():
            empty_tables()


reused_app = ReusedApp()


def pytest_collection_modifyitems(config, items) -> None:
    """Long tests first, so that they start while there is other work to run beside them
    (with `--dist worksteal`, an idle worker takes tests queued for the other); then SQLite
    tests, then PostgreSQL ones, each in collection order, so that a worker builds its
    reused app for each database once rather than back and forth."""
    items.sort(
        key=lambda item: (
            item.get_closest_marker("long") is None,
            _database_of(item) == "postgresql",
        )
    )


def _database_of(item) -> str | None:
    callspec = getattr(item, "callspec", None)
    return callspec.params.get("database") if callspec is not None else None


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request) -> str:
    return request.param


@pytest.fixture
def app_settings() -> dict:
    """Override in a test module to change settings (e.g. email verification)."""
    return {}


@pytest.fixture
def app(request, database, tmp_path, app_settings):
    """The worker's reused app, reset for this test; a new one for a test marked
    `new_app` (e.g. one that adds routes to it)."""
    if request.node.get_closest_marker("new_app"):
        reused_app.forget()
        app = make_test_app(database, tmp_path, **app_settings)
    else:
        app = reused_app.get(database, tmp_path, app_settings)
    yield app
    with app.app_context():
        db.session.remove()
    if request.node.get_closest_marker("new_app"):
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def factory(app) -> Factory:
    return Factory(app)
