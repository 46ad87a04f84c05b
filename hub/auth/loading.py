"""Reading the caller: one Core select per request, made into the session's User.

Every authenticated request looks its caller up, by token or by browser session; a Core
select and `user_from_row` cost about half of the ORM's own query path for the one row.
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import inspect
from sqlalchemy.orm import Load, make_transient_to_detached

from hub import compat
from hub.auth.models import User
from hub.extensions import db


def user_from_row(row) -> User:
    """The session's User for a row that starts with `user_columns()`, as if the ORM had
    loaded it (expertise is loaded if a view asks for it)."""
    keys = _user_column_keys()
    values = dict(zip(keys, row[: len(keys)], strict=True))
    mapper = inspect(User)
    loaded = db.session.identity_map.get(mapper.identity_key_from_primary_key([values["id"]]))
    if loaded is not None:  # in this session already: the ORM would return that one
        return loaded
    user = mapper.class_manager.new_instance()
    user.__dict__.update(values)
    make_transient_to_detached(user)
    # As the ORM keeps a query's options with what it loads: reloading the user after a
    # commit then reads the row alone, not the expertise as well.
    state = inspect(user)
    state.load_options, state.load_path = (_EXPERTISE_WHEN_ASKED,), compat.path_registry(mapper)
    db.session.add(user)
    return user


_EXPERTISE_WHEN_ASKED = Load(User).lazyload(User.expertise)


@cache
def _user_column_keys() -> tuple[str, ...]:
    return tuple(column.key for column in inspect(User).column_attrs)


def user_columns() -> list:
    """The user's columns, in the order `user_from_row` reads them."""
    return [column.expression for column in inspect(User).column_attrs]
