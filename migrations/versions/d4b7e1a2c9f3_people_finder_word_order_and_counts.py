"""people finder: each word's holders in name order, and their count

person_terms gains each person's name, with an index of (term, name, user_id), so a page
of one word's holders in the finder's order is a range of that index; person_term_counts
keeps how many people hold each word, so the finder's total for a word is one row instead
of a count of thousands of entries. The application keeps both in step from now on.

Revision ID: d4b7e1a2c9f3
Revises: c3a1f0e9d2b4
Create Date: 2026-11-24 00:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4b7e1a2c9f3'
down_revision = 'c3a1f0e9d2b4'
branch_labels = None
depends_on = None

users = sa.table("users", sa.column("id", sa.Integer), sa.column("name", sa.String))
terms = sa.table(
    "person_terms",
    sa.column("term", sa.String),
    sa.column("user_id", sa.Integer),
    sa.column("name", sa.String),
)


def upgrade():
    with op.batch_alter_table('person_terms', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name', sa.String(length=120), nullable=True))
    op.execute(
        terms.update().values(
            name=sa.select(users.c.name).where(users.c.id == terms.c.user_id).scalar_subquery()
        )
    )
    with op.batch_alter_table('person_terms', schema=None) as batch_op:
        batch_op.alter_column('name', existing_type=sa.String(length=120), nullable=False)
        batch_op.create_index('ix_person_terms_term_name', ['term', 'name', 'user_id'], unique=False)

    counts = op.create_table(
        'person_term_counts',
        sa.Column('term', sa.String(length=60), nullable=False),
        sa.Column('holders', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('term', name=op.f('pk_person_term_counts')),
    )
    op.execute(
        counts.insert().from_select(
            ['term', 'holders'],
            sa.select(terms.c.term, sa.func.count()).group_by(terms.c.term),
        )
    )


def downgrade():
    op.drop_table('person_term_counts')
    with op.batch_alter_table('person_terms', schema=None) as batch_op:
        batch_op.drop_index('ix_person_terms_term_name')
        batch_op.drop_column('name')
