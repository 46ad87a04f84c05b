"""handles, and tags kept as typed

Every person gets a handle (how others mention them), made from their name as the
application makes it (hub.auth.handles), and the people finder finds them by its words.
Tags of groups and files and people's expertise keep their spelling from now on; each
gets its key beside it (lower case, single spaces: hub.tags.tag_key), unique per holder
and indexed for the filters. Tags written before were all lower case already, so a key
is its tag.

Revision ID: b7e4d2a9c1f0
Revises: ad41f1faea9e
Create Date: 2026-12-05 09:30:00.000000

"""
import re
from collections import Counter

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7e4d2a9c1f0'
down_revision = 'ad41f1faea9e'
branch_labels = None
depends_on = None

TAGGED = (
    ('group_tags', 'group_id'),
    ('user_expertise', 'user_id'),
    ('library_file_tags', 'file_id'),
)
# A copy of hub.auth.handles as it is today: a migration must not change with the code.
TITLES = frozenset(
    "cllr councillor dr mr mrs ms miss mx prof professor sir dame lord lady rev revd the".split()
)
WORD = re.compile(r"[^\W_]+")

users = sa.table(
    'users',
    sa.column('id', sa.Integer),
    sa.column('name', sa.String),
    sa.column('handle', sa.String),
    sa.column('deactivated_at', sa.DateTime),
)
terms = sa.table(
    'person_terms',
    sa.column('term', sa.String),
    sa.column('user_id', sa.Integer),
    sa.column('name', sa.String),
)
counts = sa.table('person_term_counts', sa.column('term', sa.String), sa.column('holders', sa.Integer))


def handle_base(name):
    words = WORD.findall((name or '').lower())
    while len(words) > 1 and words[0] in TITLES:
        words.pop(0)
    base = ''
    for word in words:
        longer = f'{base}.{word}' if base else word[:26]
        if len(longer) > 26:
            break
        base = longer
    return base or 'member'


def upgrade():
    # ALTER TABLE ... ADD COLUMN, never a copy of the table: on SQLite a copy drops the old
    # users table, and with foreign keys on that would cascade to everything people made.
    # The empty default fills the rows there are (SQLite cannot add a NOT NULL column
    # without one); they get their values next, and PostgreSQL drops the default.
    op.add_column('users', sa.Column('handle', sa.String(length=40), nullable=False, server_default=''))
    for table, _holder in TAGGED:
        op.add_column(table, sa.Column('tag_key', sa.String(length=60), nullable=False, server_default=''))
        op.execute(sa.text(f'UPDATE {table} SET tag_key = tag'))
    connection = op.get_bind()
    taken = set()
    added = Counter()
    new_terms = []
    known = {}
    for user_id, term in connection.execute(sa.select(terms.c.user_id, terms.c.term)):
        known.setdefault(user_id, set()).add(term)
    people = connection.execute(
        sa.select(users.c.id, users.c.name, users.c.deactivated_at).order_by(users.c.id)
    ).all()
    handles = []
    for user_id, name, deactivated_at in people:
        base = handle_base(name)
        handle, n = base, 2
        while handle in taken:
            handle, n = f'{base}{n}', n + 1
        taken.add(handle)
        handles.append({'person': user_id, 'given': handle})
        if deactivated_at is None:  # the finder's words are of active people only
            for term in sorted({w[:60] for w in WORD.findall(handle)} - known.get(user_id, set())):
                new_terms.append({'term': term, 'user_id': user_id, 'name': name})
                added[term] += 1
    if handles:
        connection.execute(
            users.update()
            .where(users.c.id == sa.bindparam('person'))
            .values(handle=sa.bindparam('given')),
            handles,
        )
    if new_terms:
        connection.execute(sa.insert(terms), new_terms)
        held = dict(connection.execute(sa.select(counts.c.term, counts.c.holders)).all())
        for term, n in sorted(added.items()):
            if term in held:
                connection.execute(
                    counts.update().where(counts.c.term == term).values(holders=held[term] + n)
                )
            else:
                connection.execute(sa.insert(counts).values(term=term, holders=n))
    if connection.dialect.name == 'postgresql':
        op.alter_column('users', 'handle', server_default=None)
        for table, _holder in TAGGED:
            op.alter_column(table, 'tag_key', server_default=None)
    op.create_index(op.f('ix_users_handle'), 'users', ['handle'], unique=True)
    for table, holder in TAGGED:
        op.drop_index(op.f(f'ix_{table}_tag'), table_name=table)
        op.create_index(op.f(f'ix_{table}_tag_key'), table, ['tag_key'], unique=False)
        op.create_index(f'uq_{table}_{holder}_tag_key', table, [holder, 'tag_key'], unique=True)


def downgrade():
    # The earlier code compares tags with lower-case text: keep one spelling, lower case.
    connection = op.get_bind()
    for table, holder in reversed(TAGGED):
        op.drop_index(f'uq_{table}_{holder}_tag_key', table_name=table)
        op.drop_index(op.f(f'ix_{table}_tag_key'), table_name=table)
        connection.execute(sa.text(f'UPDATE {table} SET tag = tag_key'))
        op.create_index(op.f(f'ix_{table}_tag'), table, ['tag'], unique=False)
        with op.batch_alter_table(table, recreate='never') as batch_op:
            batch_op.drop_column('tag_key')
    # Handle words stay in the people finder's index until the person's words are next
    # written: they were words of the name already, but for a number or a changed handle.
    op.drop_index(op.f('ix_users_handle'), table_name='users')
    with op.batch_alter_table('users', recreate='never') as batch_op:
        batch_op.drop_column('handle')
