"""PostgreSQL search: an index on search_documents.group_id

A search within one group (GET /search?group_id=) read every match of its words and
filtered them: `council` in a group of 25 documents read all 174,976 matches (330 ms for
the page, 250 ms for the count) where the group's own rows take under a millisecond. The
planner also stops a common word's bounded count early through it.

On SQLite nothing changes: SQLite deployments search with Whoosh.

Revision ID: c4f1a8d2e6b9
Revises: b3e9f2c7d4a1
Create Date: 2026-12-06 21:25:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c4f1a8d2e6b9'
down_revision = 'b3e9f2c7d4a1'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.create_index('ix_search_documents_group_id', 'search_documents', ['group_id'])


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.drop_index('ix_search_documents_group_id', table_name='search_documents')
