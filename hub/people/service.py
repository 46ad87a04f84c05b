"""Profiles, the people directory, professional connections and blocks."""

from __future__ import annotations

from functools import cache

from flask_babel import gettext as _
from sqlalchemy import (
    Integer,
    and_,
    bindparam,
    delete,
    exists,
    false,
    func,
    intersect,
    or_,
    select,
)

from hub import policy
from hub.auth.models import User, UserExpertise
from hub.db import dicts, paginate, run, utcnow, value_list, values_of
from hub.errors import Conflict, Forbidden, Invalid, NotFound
from hub.extensions import db
from hub.notifications.service import notify
from hub.people.models import Block, Connection, PersonTerm, PersonTermCount, words
from hub.tags import replace_tags, tag_key, tag_order
from hub.text import render_markdown


def update_profile(user: User, changes: dict) -> User:
    for field in ("name", "role", "job_title", "organisation", "region"):
        if field in changes:
            value = changes[field]
            setattr(user, field, value.strip() if isinstance(value, str) else value)
    if "handle" in changes:
        _change_handle(user, changes["handle"].strip().lower())
    if "bio" in changes:
        user.bio = changes["bio"]
        user.bio_html = render_markdown(changes["bio"])
    if "expertise" in changes:
        # The list sent is the one kept, in its spelling (`hhsrs` may become `HHSRS`).
        user.expertise = replace_tags(user.expertise, changes["expertise"], UserExpertise)
    db.session.commit()
    return user


def _change_handle(user: User, handle: str) -> None:
    if handle == user.handle:
        return
    if db.session.scalar(select(User.id).where(User.handle == handle)) is not None:
        raise Conflict(_("Someone else is @%(handle)s; choose another handle.", handle=handle))
    user.handle = handle


def get_person(person_id: int) -> User:
    person = db.session.get(User, person_id)
    if person is None or not person.is_active:
        raise NotFound(_("There is no person with this id."))
    return person


def directory(filters: dict):
    """The people finder, as rows of `_public_columns`, with the parameters of `q`'s words
    (`_word_params`): every filter narrows; `q` matches name, organisation, title, expertise.

    Each word of `q` must begin a word of the person's name, organisation, job title or
    expertise (`hous` finds "Head of Housing"; `housing officer` finds a "Housing
    Officer"), looked up in the index of those words (`PersonTerm`)."""
    statement = _public_columns().where(User.deactivated_at.is_(None))
    if filters.get("q") and filters["q"].strip():
        statement = statement.where(User.id.in_(_matching_ids(len(words(filters["q"])))))
    if filters.get("expertise"):
        key = tag_key(filters["expertise"])
        statement = statement.where(
            User.id.in_(select(UserExpertise.user_id).where(UserExpertise.tag_key == key))
        )
    if filters.get("organisation"):
        statement = statement.where(
            User.organisation.ilike(_escape_like(filters["organisation"]), escape="\\")
        )
    if filters.get("role"):
        statement = statement.where(User.role == filters["role"])
    if filters.get("region"):
        statement = statement.where(User.region.ilike(_escape_like(filters["region"]), escape="\\"))
    return statement.order_by(User.name, User.id)


# Above this many matches a page is found by walking people in name order and testing
# each (it soon finds 20); below it, by fetching the matches and sorting them.
_DENSE_MATCHES = 1000


def directory_page(filters: dict, pagination_parameters) -> list[dict]:
    """One page of `directory`, dump-ready, with the total recorded on the smorest
    pagination object.

    A search by `q` alone is counted in the index of words, without reading people's rows
    (only active people have words there); its statements are built once for each number
    of words. One word that begins a single indexed word (most searches) takes its total
    from that word's count of holders and its page from its entries in name order."""
    q_words = words(filters.get("q")) if (filters.get("q") or "").strip() else None
    params = _word_params(q_words or [])
    others = any(filters.get(key) for key in ("expertise", "organisation", "role", "region"))
    if q_words is None or others:
        rows = paginate(directory(filters), pagination_parameters, "mappings", params)
        return _people_items(rows)
    page, size = pagination_parameters.page, pagination_parameters.page_size
    params.update(page_size=size, page_offset=(page - 1) * size)
    word = _one_indexed_word(q_words, params)
    if word is not None:
        params["term"], total = word
        statement = _holders_page()
    else:
        total = run(_matches_count(len(q_words)), params).scalar()
        statement = _matches_page(len(q_words), dense=total >= _DENSE_MATCHES)
    pagination_parameters.item_count = total
    if (page - 1) * size >= total:
        return []
    return _people_items(dicts(run(statement, params)))


def _public_columns():
    """A select of what PublicUserSchema shows of people, their expertise as `expertise_list`."""
    return select(
        User.id,
        User.name,
        User.handle,
        User.role,
        User.organisation,
        User.job_title,
        User.region,
        User.bio,
        User.bio_html,
        User.created_at,
        value_list(UserExpertise.tag, UserExpertise.user_id == User.id).label("expertise_list"),
    )


def _people_items(rows: list[dict]) -> list[dict]:
    """Dump-ready people from rows of `_public_columns`: their `expertise_list` as
    `expertise_tags`."""
    for row in rows:
        row["expertise_tags"] = tag_order(values_of(row.pop("expertise_list")))
    return rows


def _word_params(q_words: list[str]) -> dict:
    """The parameters of `_prefix_of_term(n)` for each word n of the query."""
    params = {}
    for n, word in enumerate(q_words):
        escaped = word.replace("/", "//").replace("%", "/%").replace("_", "/_")
        params[f"word_{n}"] = word
        params[f"following_{n}"] = word[:-1] + chr(ord(word[-1]) + 1)
        params[f"pattern_{n}"] = escaped + "%"
    return params


def _prefix_of_term(n: int) -> tuple:
    """PersonTerm.term begins with the query's word n: an index range, and the exact test."""
    return (
        PersonTerm.term >= bindparam(f"word_{n}"),
        PersonTerm.term < bindparam(f"following_{n}"),
        PersonTerm.term.like(bindparam(f"pattern_{n}"), escape="/"),
    )


def _one_indexed_word(q_words: list[str], params: dict) -> tuple[str | None, int] | None:
    """The one indexed word that the query's one word begins, and how many people hold
    it, when there is one (most searches; (None, 0) when there is none)."""
    if len(q_words) != 1:
        return None
    first, last, holders = run(_prefix_summary(), params).one()
    return (first, holders or 0) if first == last else None


@cache
def _prefix_summary():
    """Built once: the first and last indexed words beginning with the query's one word,
    and how many people hold the first (from the count kept with the words)."""
    first, last = (
        select(aggregate(PersonTerm.term)).where(*_prefix_of_term(0)).scalar_subquery()
        for aggregate in (func.min, func.max)
    )
    holders = select(PersonTermCount.holders).where(PersonTermCount.term == first)
    return select(first, last, holders.scalar_subquery())


@cache
def _holders_page():
    """Built once: a page (`page_size`, `page_offset`) of the people who hold the word
    `term`, in name order: a range of the word's entries in that order, then their rows."""
    holders = (
        select(PersonTerm.user_id)
        .where(PersonTerm.term == bindparam("term"))
        .order_by(PersonTerm.name, PersonTerm.user_id)
        .limit(bindparam("page_size", type_=Integer))
        .offset(bindparam("page_offset", type_=Integer))
        .subquery()
    )
    return (
        _public_columns().join(holders, holders.c.user_id == User.id).order_by(User.name, User.id)
    )


@cache
def _matches_count(n_words: int):
    """Built once for each number of words: how many people match them all."""
    return select(func.count()).select_from(_matching_ids(n_words).subquery())


@cache
def _matches_page(n_words: int, dense: bool):
    """Built once for each shape: a page (`page_size`, `page_offset`) of the people
    matching all the words, in name order (only active people have words).

    Dense matches walk people in name order, testing each in the index of words; sparse
    ones read the few matching ids first."""
    statement = _public_columns()
    if dense:
        statement = statement.where(
            *(
                exists().where(PersonTerm.user_id == User.id, *_prefix_of_term(n))
                for n in range(n_words)
            )
        )
    else:
        statement = statement.where(User.id.in_(_matching_ids(n_words)))
    return (
        statement.order_by(User.name, User.id)
        .limit(bindparam("page_size", type_=Integer))
        .offset(bindparam("page_offset", type_=Integer))
    )


def _matching_ids(n_words: int):
    """The ids of people with a word beginning with each of the query's words (none for
    none)."""
    if not n_words:
        return select(PersonTerm.user_id).where(false())
    each = [select(PersonTerm.user_id).where(*_prefix_of_term(n)) for n in range(n_words)]
    if len(each) == 1:
        return each[0].distinct()
    return intersect(*each)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def _connection(a: int, b: int) -> Connection | None:
    return db.session.get(Connection, _pair(a, b))


def _blocked(blocker_id: int, blocked_id: int) -> bool:
    return db.session.get(Block, (blocker_id, blocked_id)) is not None


def blocked_pairs(user_ids: set[int]) -> set[tuple[int, int]]:
    """Every (blocker, blocked) pair among these people."""
    rows = db.session.execute(
        select(Block.blocker_id, Block.blocked_id).where(
            Block.blocker_id.in_(user_ids), Block.blocked_id.in_(user_ids)
        )
    )
    return {(row.blocker_id, row.blocked_id) for row in rows}


def _require_can_post(user: User) -> None:
    if not policy.can_post(user):
        raise Forbidden(
            _(
                "Confirm your email address (and wait for approval if you were told to) "
                "before you contact people."
            ),
        )


def connect(user: User, person_id: int) -> str:
    """Ask to connect; accepts at once when they had already asked you."""
    person = get_person(person_id)
    if person.id == user.id:
        raise Invalid(_("You cannot connect to yourself."))
    _require_can_post(user)
    if _blocked(user.id, person.id):
        raise Conflict(_("You have blocked this person; unblock them first."))
    if not policy.can_contact(user.id, person.id, blocked_pairs({user.id, person.id})):
        raise Forbidden(_("This person is not accepting connection requests from you."))
    connection = _connection(user.id, person.id)
    if connection is None:
        low, high = _pair(user.id, person.id)
        db.session.add(
            Connection(
                user_low_id=low, user_high_id=high, requested_by_id=user.id, status="pending"
            )
        )
        notify(person.id, "connection_request", {"user": _ref(user)})
        db.session.commit()
        return "pending"
    if connection.status_for(user.id) == "pending_in":
        return accept(user, person.id)
    return connection.status_for(user.id).removesuffix("_out")


def standing_with(user: User, person_id: int) -> dict:
    """Where you stand with a person, as their profile shows it: the connection
    (`connected`, `pending_in`, `pending_out` or None), whether you blocked them, and
    whether you may ask to connect (what `connect` would allow)."""
    connection = _connection(user.id, person_id)
    you_blocked = _blocked(user.id, person_id)
    may_ask = (
        person_id != user.id
        and not you_blocked
        and policy.can_post(user)
        and policy.can_contact(user.id, person_id, blocked_pairs({user.id, person_id}))
    )
    return {
        "connection": connection.status_for(user.id) if connection else None,
        "you_blocked": you_blocked,
        "may_ask": may_ask,
    }


def accept(user: User, person_id: int) -> str:
    connection = _connection(user.id, person_id)
    if connection is None or connection.status_for(user.id) == "pending_out":
        raise NotFound(_("This person has not asked to connect with you."))
    if connection.status == "pending":
        connection.status = "connected"
        connection.connected_at = utcnow()
        notify(person_id, "connection_accepted", {"user": _ref(user)})
        db.session.commit()
    return "connected"


def remove_connection(user: User, person_id: int) -> None:
    """Decline, cancel or remove: the pair is no longer connected or pending."""
    connection = _connection(user.id, person_id)
    if connection is None:
        raise NotFound(_("You have no connection or request with this person."))
    db.session.delete(connection)
    db.session.commit()


def connections(user: User, status: str):
    mine = or_(Connection.user_low_id == user.id, Connection.user_high_id == user.id)
    if status == "connected":
        condition = Connection.status == "connected"
    elif status == "pending_in":
        condition = and_(Connection.status == "pending", Connection.requested_by_id != user.id)
    else:
        condition = and_(Connection.status == "pending", Connection.requested_by_id == user.id)
    return (
        select(Connection)
        .where(mine, condition)
        .order_by(Connection.connected_at.desc(), Connection.created_at.desc())
    )


def connection_views(user: User, rows: list[Connection]) -> list[dict]:
    """Dump-ready rows with the other person loaded in one query."""
    people = _people_by_id({row.other(user.id) for row in rows})
    return [
        {
            "user": people[row.other(user.id)],
            "status": row.status_for(user.id),
            "since": row.connected_at or row.created_at,
        }
        for row in rows
    ]


def block(user: User, person_id: int) -> None:
    person = get_person(person_id)
    if person.id == user.id:
        raise Invalid(_("You cannot block yourself."))
    if not _blocked(user.id, person.id):
        db.session.add(Block(blocker_id=user.id, blocked_id=person.id))
    connection = _connection(user.id, person.id)
    if connection is not None:
        db.session.delete(connection)
    db.session.commit()


def unblock(user: User, person_id: int) -> None:
    result = db.session.execute(
        delete(Block).where(Block.blocker_id == user.id, Block.blocked_id == person_id)
    )
    if result.rowcount == 0:
        raise NotFound(_("You have not blocked this person."))
    db.session.commit()


def blocks(user: User):
    return select(Block).where(Block.blocker_id == user.id).order_by(Block.created_at.desc())


def block_views(rows: list[Block]) -> list[dict]:
    people = _people_by_id({row.blocked_id for row in rows})
    return [{"user": people[row.blocked_id], "since": row.created_at} for row in rows]


def _people_by_id(ids: set[int]) -> dict[int, User]:
    if not ids:
        return {}
    return {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))}


def _ref(user: User) -> dict:
    return {"id": user.id, "name": user.name}
