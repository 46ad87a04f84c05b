"""`flask db upgrade` builds the schema on empty databases, and agrees with the models."""

import logging
import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from hub import create_app
from hub.extensions import db
from hub.search import postgres as search_postgres
from tests.conftest import POSTGRES_URL, require_postgres


@pytest.fixture
def empty_database_url(database, tmp_path):
    if database == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    require_postgres()
    name = f"hub_migrations_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _app_on(database_url: str, tmp_path):
    return create_app(
        {
            "HUB_ENV": "testing",
            "HUB_DATA_DIR": str(tmp_path),
            "SQLALCHEMY_DATABASE_URI": database_url,
        }
    )


def _models_of(dialect: str) -> sa.MetaData:
    """The hub's models, and on PostgreSQL its search backend's tables too."""
    if dialect != "postgresql":
        return db.metadata
    combined = sa.MetaData()
    for metadata in (db.metadata, search_postgres.METADATA):
        for table in metadata.tables.values():
            table.to_metadata(combined)
    return combined


def test_upgrade_builds_a_schema_that_matches_the_models(empty_database_url, tmp_path):
    app = _app_on(empty_database_url, tmp_path)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "compare_server_default": False}
            )
            differences = compare_metadata(context, _models_of(db.engine.dialect.name))
        assert differences == [], f"models and migrations differ: {differences}"
        downgrade(revision="base")
        upgrade()
        db.engine.dispose()
    # Alembic's logging set-up leaves the hub's loggers working in the same process.
    assert not logging.getLogger("hub.search").disabled


def test_undoing_the_group_counts_keeps_everything_in_the_groups(empty_database_url, tmp_path):
    """Dropping the count columns must not copy the groups table: on SQLite, with foreign
    keys on, dropping the old copy would delete every membership, thread and file."""
    app = _app_on(empty_database_url, tmp_path)
    with app.app_context():
        upgrade()
        from hub.auth.models import User
        from hub.groups.models import Group, Membership

        owner = User(email="a@leeds.gov.uk", password_hash="x", name="A", role="officer")
        group = Group(name="G", slug="g", visibility="open", member_count=1)
        db.session.add_all([owner, group])
        db.session.flush()
        db.session.add(Membership(group_id=group.id, user_id=owner.id, role="owner"))
        db.session.commit()
        db.session.remove()
        downgrade(revision="d4b7e1a2c9f3")
        with db.engine.connect() as connection:
            assert connection.scalar(sa.text("SELECT count(*) FROM memberships")) == 1
            assert connection.scalar(sa.text("SELECT count(*) FROM groups")) == 1
        db.engine.dispose()
