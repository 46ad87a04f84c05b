"""feed indexes for library files and live sessions

The activity feed pages the newest files and sessions of a person's groups (group_id,
created_at), and sessions created by their connections (created_by_id): without these
SQLite sorted every file of the groups, and scanned every session.

Revision ID: 7292af8a000d
Revises: 6422068b8790
Create Date: 2026-11-23 20:03:38.321881

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7292af8a000d'
down_revision = '6422068b8790'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('library_files', schema=None) as batch_op:
        batch_op.create_index('ix_library_files_group_id_created_at', ['group_id', 'created_at'], unique=False)

    with op.batch_alter_table('live_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_live_sessions_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index('ix_live_sessions_group_created', ['group_id', 'created_at'], unique=False)



def downgrade():
    with op.batch_alter_table('live_sessions', schema=None) as batch_op:
        batch_op.drop_index('ix_live_sessions_group_created')
        batch_op.drop_index(batch_op.f('ix_live_sessions_created_by_id'))

    with op.batch_alter_table('library_files', schema=None) as batch_op:
        batch_op.drop_index('ix_library_files_group_id_created_at')

