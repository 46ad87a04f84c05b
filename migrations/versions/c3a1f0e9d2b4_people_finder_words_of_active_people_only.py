"""people finder words of active people only

person_terms now holds the words of active people only, so the people finder counts and
pages its matches from that index without looking up who is deactivated. This removes the
words of people deactivated before; the application keeps it so from now on.

Revision ID: c3a1f0e9d2b4
Revises: 7292af8a000d
Create Date: 2026-11-23 21:55:00.000000

"""
import re

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3a1f0e9d2b4'
down_revision = '7292af8a000d'
branch_labels = None
depends_on = None

users = sa.table(
    "users",
    sa.column("id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("organisation", sa.String),
    sa.column("job_title", sa.String),
    sa.column("deactivated_at", sa.DateTime),
)
expertise = sa.table("user_expertise", sa.column("user_id", sa.Integer), sa.column("tag", sa.String))
terms = sa.table("person_terms", sa.column("term", sa.String), sa.column("user_id", sa.Integer))
deactivated = sa.select(users.c.id).where(users.c.deactivated_at.is_not(None))


def upgrade():
    op.get_bind().execute(sa.delete(terms).where(terms.c.user_id.in_(deactivated)))


def downgrade():
    # The earlier code expects every person's words here (it leaves the deactivated out
    # itself, and would not write a reactivated person's words back): put them back, as
    # 6422068b8790 first wrote them.
    connection = op.get_bind()
    tags = {}
    for user_id, tag in connection.execute(
        sa.select(expertise.c.user_id, expertise.c.tag).where(expertise.c.user_id.in_(deactivated))
    ):
        tags.setdefault(user_id, []).append(tag)
    rows = []
    people = connection.execute(
        sa.select(users.c.id, users.c.name, users.c.organisation, users.c.job_title).where(
            users.c.id.in_(deactivated)
        )
    )
    for user_id, *texts in people:
        found = set()
        for text in (*texts, *tags.get(user_id, ())):
            found.update(word[:60] for word in re.findall(r"[^\W_]+", (text or "").lower()))
        rows += [{"term": term, "user_id": user_id} for term in sorted(found)]
    if rows:
        connection.execute(sa.insert(terms), rows)
