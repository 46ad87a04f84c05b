"""PostgreSQL search: a RUM index that reads a page of hits best first

`ORDER BY tsv <=> query LIMIT n` reads the top matches from the index (the `rum`
extension keeps each word's positions in it), instead of ranking every match of a common
word from the table (hub/search/postgres.py). The GIN index stays for counting.

On SQLite nothing changes: SQLite deployments search with Whoosh. Writes to
search_documents wait while the index is built (9.5 s for 457,193 documents).

Revision ID: a7c5e2f9b3d1
Revises: e8f4a6b2c1d7
Create Date: 2026-12-06 04:30:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a7c5e2f9b3d1'
down_revision = 'e8f4a6b2c1d7'
branch_labels = None
depends_on = None


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != 'postgresql':
        return
    available = bind.scalar(
        sa.text("SELECT count(*) FROM pg_available_extensions WHERE name = 'rum'")
    )
    if not available:
        raise RuntimeError(
            "PostgreSQL search needs the rum extension, which this PostgreSQL server does "
            "not have: install it (Debian: postgresql-15-rum, which `make "
            "install-postgres-rum` installs as root), then run `flask db upgrade` again."
        )
    installed = bind.scalar(sa.text("SELECT count(*) FROM pg_extension WHERE extname = 'rum'"))
    superuser = bind.scalar(sa.text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"))
    if not installed and not superuser:
        raise RuntimeError(
            "PostgreSQL search needs the rum extension in this database, and rum is not a "
            "trusted extension: a superuser must run `CREATE EXTENSION rum;` in it, then "
            "run `flask db upgrade` again."
        )
    op.execute("CREATE EXTENSION IF NOT EXISTS rum")
    op.create_index(
        'ix_search_documents_rum',
        'search_documents',
        ['tsv'],
        postgresql_using='rum',
        postgresql_ops={'tsv': 'rum_tsvector_ops'},
    )


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.drop_index('ix_search_documents_rum', table_name='search_documents')
    op.execute("DROP EXTENSION IF EXISTS rum")
