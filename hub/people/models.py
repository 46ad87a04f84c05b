"""Professional networks: connections between people, and blocks; the people finder's
index of words."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    delete,
    event,
    func,
    insert,
    inspect,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from hub.auth.models import User, UserExpertise
from hub.db import utcnow
from hub.extensions import db


class Connection(db.Model):
    """One row per pair of people, stored with the lower id first."""

    __tablename__ = "connections"
    __table_args__ = (CheckConstraint("user_low_id < user_high_id", name="pair_order"),)

    user_low_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    user_high_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    requested_by_id: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12))  # pending | connected
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    connected_at: Mapped[datetime | None] = mapped_column(DateTime)

    def other(self, user_id: int) -> int:
        return self.user_high_id if user_id == self.user_low_id else self.user_low_id

    def status_for(self, user_id: int) -> str:
        if self.status == "connected":
            return "connected"
        return "pending_out" if self.requested_by_id == user_id else "pending_in"


class Block(db.Model):
    __tablename__ = "blocks"

    blocker_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    blocked_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


# --- The people finder's index ----------------------------------------------------------

TERM_LENGTH = 60
_WORD = re.compile(r"[^\W_]+")


def words(text: str | None) -> list[str]:
    """The lower-case words (letters and digits) of a text, in order, each at most 60 long."""
    return [w[:TERM_LENGTH] for w in _WORD.findall((text or "").lower())]


def terms_of(
    name: str | None, organisation: str | None, job_title: str | None, tags, handle: str | None
) -> set[str]:
    """Every word a person is found by: of their name, organisation, job title, expertise
    and handle."""
    found = set()
    for text in (name, organisation, job_title, *tags, handle):
        found.update(words(text))
    return found


class PersonTerm(db.Model):
    """One word of an active person's name, organisation, job title or expertise.

    The people finder looks words up here by prefix (an index range), instead of matching
    `%text%` against four columns of every person. Kept in step with people and their
    expertise by the flush listener below, whatever writes them through the ORM; bulk
    inserts (the seeding generator) and the migration that added it write it themselves.
    A deactivated person has no words here: the finder counts and pages matches from
    this index alone, without looking up who is deactivated.
    """

    __tablename__ = "person_terms"
    __table_args__ = (
        # By person too: to replace one person's words, and to test one person's match.
        Index("ix_person_terms_user_id_term", "user_id", "term"),
        # One word's holders in the finder's order: a page of them is a range of this.
        Index("ix_person_terms_term_name", "term", "name", "user_id"),
    )

    term: Mapped[str] = mapped_column(String(TERM_LENGTH), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(120))  # the person's name: the finder's order


class PersonTermCount(db.Model):
    """How many people hold each word of `person_terms`: the finder's total for a word,
    without counting its thousands of entries. Kept with the words by
    `write_person_terms` (people are deactivated, never deleted)."""

    __tablename__ = "person_term_counts"

    term: Mapped[str] = mapped_column(String(TERM_LENGTH), primary_key=True)
    holders: Mapped[int] = mapped_column(Integer)


_TERM_SOURCES = ("name", "handle", "organisation", "job_title", "expertise", "deactivated_at")


@event.listens_for(Session, "after_flush")
def _keep_person_terms(session: Session, _flush_context) -> None:
    """Rewrite the words of each person whose name, handle, organisation, job title,
    expertise or deactivation this flush wrote."""
    touched = set()
    for obj in (*session.new, *session.dirty):
        if isinstance(obj, User):
            state = inspect(obj)
            if obj in session.new or any(
                state.attrs[key].history.has_changes() for key in _TERM_SOURCES
            ):
                touched.add(obj.id)
        elif isinstance(obj, UserExpertise):
            touched.add(obj.user_id)
    for obj in session.deleted:
        if isinstance(obj, UserExpertise):
            touched.add(obj.user_id)
    touched.discard(None)
    if touched:
        write_person_terms(session.connection(), touched)


def write_person_terms(connection, user_ids) -> None:
    """Replace the words of these people (on this connection, in its transaction), and
    their words' counts of holders; the deactivated among them get none."""
    user_ids = sorted(set(user_ids))
    tags: dict[int, list[str]] = {}
    rows = []
    change: Counter = Counter()
    for start in range(0, len(user_ids), 500):
        chunk = user_ids[start : start + 500]
        change.subtract(
            connection.execute(select(PersonTerm.term).where(PersonTerm.user_id.in_(chunk)))
            .scalars()
            .all()
        )
        for user_id, tag in connection.execute(
            select(UserExpertise.user_id, UserExpertise.tag).where(UserExpertise.user_id.in_(chunk))
        ):
            tags.setdefault(user_id, []).append(tag)
        people = connection.execute(
            select(User.id, User.name, User.organisation, User.job_title, User.handle).where(
                User.id.in_(chunk), User.deactivated_at.is_(None)
            )
        )
        for user_id, name, organisation, job_title, handle in people:
            terms = terms_of(name, organisation, job_title, tags.get(user_id, ()), handle)
            rows += [{"term": t, "user_id": user_id, "name": name} for t in sorted(terms)]
        connection.execute(delete(PersonTerm).where(PersonTerm.user_id.in_(chunk)))
    if rows:
        connection.execute(insert(PersonTerm), rows)
        change.update(row["term"] for row in rows)
    _count_holders(connection, {term: n for term, n in change.items() if n})


def recount_word_holders(connection) -> int:
    """Set every word's count of holders from `person_terms` (for bulk writers, and to
    repair counts written around `write_person_terms`); returns how many were wrong."""
    counted = select(PersonTermCount.term, PersonTermCount.holders)
    before = dict(connection.execute(counted).all())
    connection.execute(delete(PersonTermCount))
    connection.execute(
        insert(PersonTermCount).from_select(
            ["term", "holders"],
            select(PersonTerm.term, func.count()).group_by(PersonTerm.term),
        )
    )
    after = dict(connection.execute(counted).all())
    return sum(before.get(term) != after.get(term) for term in before.keys() | after.keys())


def _count_holders(connection, change: dict[str, int]) -> None:
    """Add `change` to the words' counts of holders, in SQL (`holders + n`), so that two
    writers at once both count; drop the words no one holds any more."""
    if not change:
        return
    dialect = {"sqlite": sqlite, "postgresql": postgresql}[connection.dialect.name]
    upsert = dialect.insert(PersonTermCount)
    upsert = upsert.on_conflict_do_update(
        index_elements=[PersonTermCount.term],
        set_={"holders": PersonTermCount.holders + upsert.excluded.holders},
    )
    rows = [{"term": term, "holders": n} for term, n in sorted(change.items())]
    connection.execute(upsert, rows)
    fewer = sorted(term for term, n in change.items() if n < 0)
    for start in range(0, len(fewer), 500):
        connection.execute(
            delete(PersonTermCount).where(
                PersonTermCount.term.in_(fewer[start : start + 500]), PersonTermCount.holders <= 0
            )
        )
