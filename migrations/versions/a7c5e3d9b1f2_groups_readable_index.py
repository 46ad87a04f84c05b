"""groups: an index of who may read them, visibility and archived_at

`readable_group_ids` (every search) lists the open groups not archived. With the index of
visibility alone it read each open group's row for `archived_at`; this index holds both
(measured on the full data set: the statement 0.57 -> 0.37 ms). It replaces the index of
visibility alone, which it also serves.

Revision ID: a7c5e3d9b1f2
Revises: f1d2c3b4a5e6
Create Date: 2026-12-03 11:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a7c5e3d9b1f2'
down_revision = 'f1d2c3b4a5e6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_groups_readable', 'groups', ['visibility', 'archived_at'], unique=False)
    op.drop_index('ix_groups_visibility', table_name='groups')


def downgrade():
    op.create_index('ix_groups_visibility', 'groups', ['visibility'], unique=False)
    op.drop_index('ix_groups_readable', table_name='groups')
