"""PostgreSQL search: documents with a weighted tsvector, and words for did-you-mean

The PostgreSQL search backend (hub/search/postgres.py) keeps one row per searchable thing
with a GIN-indexed `tsvector` (title weight A, body B, the `english` configuration), and
each word's number of documents per group under a `pg_trgm` index for did-you-mean. The
rows are written by the same transactions as the content they come from.

On SQLite nothing changes: SQLite deployments search with Whoosh.

Revision ID: e8f4a6b2c1d7
Revises: c9d3e7f1a2b5
Create Date: 2026-12-06 03:00:00.000000

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = 'e8f4a6b2c1d7'
down_revision = 'c9d3e7f1a2b5'
branch_labels = None
depends_on = None


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != 'postgresql':
        return
    available = bind.scalar(
        sa.text("SELECT count(*) FROM pg_available_extensions WHERE name = 'pg_trgm'")
    )
    if not available:
        raise RuntimeError(
            "PostgreSQL search needs the pg_trgm extension, which this PostgreSQL server "
            "does not have: install its contrib modules (Debian: postgresql-15 includes "
            "them; elsewhere postgresql-contrib), then run `flask db upgrade` again."
        )
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_table(
        'search_documents',
        sa.Column('ref', sa.String(length=80), nullable=False),
        sa.Column('type', sa.String(length=20), nullable=False),
        sa.Column('item_id', sa.Integer(), nullable=False),
        sa.Column('group_id', sa.Integer(), nullable=False),
        sa.Column('group_name', sa.Text(), nullable=True),
        sa.Column('title', sa.Text(), nullable=False),
        sa.Column('label', sa.Text(), nullable=True),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('tags', postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column('parents', postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column('url', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=True),
        sa.Column('stamp', sa.String(length=16), nullable=False),
        sa.Column('words', postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column('tsv', postgresql.TSVECTOR(), nullable=False),
        sa.PrimaryKeyConstraint('ref'),
    )
    op.create_index(
        'ix_search_documents_tsv', 'search_documents', ['tsv'], postgresql_using='gin'
    )
    op.create_index(
        'ix_search_documents_parents', 'search_documents', ['parents'], postgresql_using='gin'
    )
    op.create_index(
        'ix_search_documents_tags', 'search_documents', ['tags'], postgresql_using='gin'
    )
    op.create_table(
        'search_words',
        sa.Column('word', sa.Text(), nullable=False),
        sa.Column('group_id', sa.Integer(), nullable=False),
        sa.Column('docs', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('word', 'group_id'),
    )
    op.create_index(
        'ix_search_words_trigrams',
        'search_words',
        ['word'],
        postgresql_using='gin',
        postgresql_ops={'word': 'gin_trgm_ops'},
    )


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.drop_table('search_words')
    op.drop_table('search_documents')
