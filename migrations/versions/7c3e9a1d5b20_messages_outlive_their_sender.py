"""messages outlive their sender's account

Closing an account erases the person, not the other side's conversations: a message's
sender becomes null (shown as a former member) instead of the message being deleted.

Revision ID: 7c3e9a1d5b20
Revises: 1a7e5e55b0c1
Create Date: 2026-12-05 09:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "7c3e9a1d5b20"
down_revision = "1a7e5e55b0c1"
branch_labels = None
depends_on = None

FK = "fk_messages_sender_id_users"


def upgrade():
    # Nothing references messages, so SQLite's copy of the table loses nothing.
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_constraint(FK, type_="foreignkey")
        batch_op.alter_column("sender_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_foreign_key(FK, "users", ["sender_id"], ["id"], ondelete="SET NULL")


def downgrade():
    # Before this revision a closed account took its messages with it.
    op.execute("DELETE FROM messages WHERE sender_id IS NULL")
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_constraint(FK, type_="foreignkey")
        batch_op.alter_column("sender_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(FK, "users", ["sender_id"], ["id"], ondelete="CASCADE")
