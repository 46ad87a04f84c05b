"""people finder words of active people only

person_terms now holds the words of active people only, so the people finder counts and
pages its matches from that index without looking up who is deactivated. This removes the
words of people deactivated before; the application keeps it so from now on.

Revision ID: c3a1f0e9d2b4
Revises: 7292af8a000d
Create Date: 2026-11-23 21:55:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3a1f0e9d2b4'
down_revision = '7292af8a000d'
branch_labels = None
depends_on = None


def upgrade():
    users = sa.table("users", sa.column("id", sa.Integer), sa.column("deactivated_at", sa.DateTime))
    terms = sa.table("person_terms", sa.column("user_id", sa.Integer))
    deactivated = sa.select(users.c.id).where(users.c.deactivated_at.is_not(None))
    op.get_bind().execute(sa.delete(terms).where(terms.c.user_id.in_(deactivated)))


def downgrade():
    # Nothing to put back: the earlier code left deactivated people out of its counts and
    # pages itself, and finds the same people whether or not their words are here.
    pass
