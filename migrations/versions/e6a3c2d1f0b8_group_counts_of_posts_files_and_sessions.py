"""group counts of posts, files and live sessions

The activity feed's total sums these for a person's groups instead of counting every post,
file and session of them on each request. The forum, library and live services keep them
in step from now on; this fills them from the rows there are.

Revision ID: e6a3c2d1f0b8
Revises: d4b7e1a2c9f3
Create Date: 2026-11-24 01:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e6a3c2d1f0b8'
down_revision = 'd4b7e1a2c9f3'
branch_labels = None
depends_on = None

COUNTED = (
    ('post_count', 'forum_posts'),
    ('file_count', 'library_files'),
    ('session_count', 'live_sessions'),
)


def upgrade():
    with op.batch_alter_table('groups', schema=None) as batch_op:
        for column, _table in COUNTED:
            batch_op.add_column(sa.Column(column, sa.Integer(), server_default='0', nullable=False))

    groups = sa.table(
        'groups',
        sa.column('id', sa.Integer),
        *(sa.column(column, sa.Integer) for column, _table in COUNTED),
    )
    counts = {}
    for column, table_name in COUNTED:
        rows = sa.table(table_name, sa.column('group_id', sa.Integer))
        counts[column] = (
            sa.select(sa.func.count()).select_from(rows).where(rows.c.group_id == groups.c.id)
            .scalar_subquery()
        )
    op.execute(groups.update().values(counts))


def downgrade():
    # ALTER TABLE ... DROP COLUMN, never a copy of the table: on SQLite a copy drops the old
    # groups table, and with foreign keys on that would cascade to everything in a group.
    with op.batch_alter_table('groups', schema=None, recreate='never') as batch_op:
        for column, _table in reversed(COUNTED):
            batch_op.drop_column(column)
