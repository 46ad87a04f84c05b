"""Live sessions: scheduling and running them, questions, votes, answers, moderation,
chat, and the transcript archived as a forum thread when a session ends.

The REST views and the Socket.IO handlers both call these functions, so the rules are
the same whichever way a person comes in. Every decision is `hub.policy`'s. Every change
that everyone in the room may see is stored as a LiveEvent with the next `seq` of its
session, in the transaction of the change, and sent after the commit (`_publishing`).
Events only some may see (a pending question) carry the current seq without raising it
and are not stored, so they are never replayed.

Errors are HTTP aborts; the socket handlers translate them: 403 forbidden, 404
not_found, 409 not_live, 422 invalid, 429 rate_limited.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from flask_babel import gettext as _
from flask_babel import lazy_gettext
from sqlalchemy import Integer, bindparam, delete, func, select, update
from sqlalchemy.orm import lazyload
from sqlalchemy.orm.attributes import set_committed_value

from hub import policy
from hub.audit.service import record
from hub.auth.models import User
from hub.auth.schemas import FORMER_MEMBER
from hub.db import in_uk, utcnow
from hub.errors import Conflict, Forbidden, Invalid, NotFound, RateLimited
from hub.extensions import db, socketio
from hub.groups.access import group_access, moderator_ids, readable_content_rows
from hub.groups.models import Group, GroupBan, Membership
from hub.groups.service import count_content
from hub.live.models import (
    LiveAnswer,
    LiveChatMessage,
    LiveEvent,
    LivePanelist,
    LiveQuestion,
    LiveSession,
    LiveVote,
)
from hub.live.personal import NAMESPACE
from hub.live.runtime import runtime
from hub.live.schemas import LiveSessionSchema
from hub.notifications.service import notify_many
from hub.policy import GroupAccess
from hub.text import render_markdown

log = logging.getLogger("hub.live")

EVENT = "live_event"
# Every `type` a live_event may have (API.md, docs/api.md, the AsyncAPI document).
EVENT_TYPES = (
    "session.started",
    "session.ended",
    "question.created",
    "question.approved",
    "question.hidden",
    "question.voted",
    "question.answered",
    "question.pinned",
    "question.unpinned",
    "chat.message",
    "presence",
)
NOT_FOUND = lazy_gettext("There is no live session with this id, or you may not see it.")
QUESTION_NOT_FOUND = lazy_gettext(
    "There is no question with this id in this session, or you may not see it."
)
NOT_LIVE = {
    "scheduled": lazy_gettext(
        "This session has not started yet; wait for a moderator to start it."
    ),
    "ended": lazy_gettext("This session has ended; its transcript is in the group's forum."),
}
_session_schema = LiveSessionSchema()


# --- Rooms ---------------------------------------------------------------------------


def room(session_id: int) -> str:
    """Everyone who joined the session."""
    return f"live:{session_id}"


def moderators_room(session_id: int) -> str:
    return f"live:{session_id}:moderators"


def person_room(session_id: int, user_id: int) -> str:
    """One person's connections to a session: where their pending questions go."""
    return f"live:{session_id}:person:{user_id}"


# --- Who the caller is to a session --------------------------------------------------


@dataclass
class Attendance:
    """One person and one session: the facts policy decides on, gathered once."""

    user: User
    session: LiveSession
    group: Group
    access: GroupAccess
    panelist: bool

    @property
    def moderator(self) -> bool:
        return policy.can_moderate_live_session(self.group, self.access, self.panelist)

    @property
    def may_take_part(self) -> bool:
        return policy.can_take_part_in_live_session(
            self.user, self.group, self.access, self.panelist
        )


def attend(user: User, session_id: int) -> Attendance:
    """The session as this person may see it: 404 if missing or hidden, 403 if not allowed."""
    # The creator and the group's tags load only if a view asks for them: deciding and the
    # live events need neither.
    live = db.session.get(
        LiveSession,
        session_id,
        populate_existing=True,
        options=[lazyload(LiveSession.created_by)],
    )
    if live is None:
        raise NotFound(NOT_FOUND)
    group = db.session.get(Group, live.group_id, options=[lazyload(Group.tags)])
    access = group_access(user, group)
    panelist = user.id in live.panelist_ids
    if not policy.can_see_group(group, access) and not (panelist and not access.banned):
        raise NotFound(NOT_FOUND)
    if not policy.can_join_live_session(group, access, panelist):
        raise Forbidden(
            _("Only the group's members can follow this session; ask to join the group.")
        )
    return Attendance(user, live, group, access, panelist)


def may_still_attend(session_id: int, user_ids: set[int]) -> set[int]:
    """Of these people, those who may still follow the session (one query per fact)."""
    live = db.session.get(LiveSession, session_id, populate_existing=True)
    if live is None or not user_ids:
        return set()
    group = db.session.get(Group, live.group_id, populate_existing=True)
    if group is None:
        return set()
    ids = list(user_ids)
    roles = dict(
        db.session.execute(
            select(Membership.user_id, Membership.role).where(
                Membership.group_id == group.id, Membership.user_id.in_(ids)
            )
        ).all()
    )
    banned = set(
        db.session.scalars(
            select(GroupBan.user_id).where(GroupBan.group_id == group.id, GroupBan.user_id.in_(ids))
        )
    )
    admins = set(db.session.scalars(select(User.id).where(User.id.in_(ids), User.is_admin)))
    panelists = set(live.panelist_ids)
    return {
        user_id
        for user_id in ids
        if policy.can_join_live_session(
            group,
            GroupAccess(
                role=roles.get(user_id), banned=user_id in banned, site_admin=user_id in admins
            ),
            user_id in panelists,
        )
    }


# --- Views ---------------------------------------------------------------------------


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.replace(microsecond=0).isoformat() + "Z"


def _person(user: User | None) -> dict:
    return dict(FORMER_MEMBER) if user is None else {"id": user.id, "name": user.name}


def question_view(question: LiveQuestion) -> dict:
    """A question as everyone who may see it sees it: anonymous ones without any author."""
    return {
        "id": question.id,
        "text": question.text,
        "author": None if question.anonymous else _person(question.author),
        "anonymous": question.anonymous,
        "votes": question.vote_count,
        "status": question.status,
        "pinned": question.pinned,
        "answered": question.answered,
        "answers": [
            {
                "id": answer.id,
                "text": answer.text,
                "author": _person(answer.author),
                "created_at": _iso(answer.created_at),
            }
            for answer in question.answers
        ],
        "created_at": _iso(question.created_at),
    }


def message_view(message: LiveChatMessage) -> dict:
    return {
        "id": message.id,
        "text": message.text,
        "author": _person(message.author),
        "created_at": _iso(message.created_at),
    }


def session_view(live: LiveSession) -> dict:
    return _session_schema.dump(live)


def visible_questions(attendance: Attendance, sort: str = "top"):
    """The select of the questions this person may see (pending: moderators and askers)."""
    statement = select(LiveQuestion).where(LiveQuestion.session_id == attendance.session.id)
    if not attendance.moderator:
        statement = statement.where(_seen_by_attendee(attendance.user.id))
    if sort == "new":
        return statement.order_by(LiveQuestion.id.desc())
    return statement.order_by(
        LiveQuestion.pinned.desc(), LiveQuestion.vote_count.desc(), LiveQuestion.id
    )


def _seen_by_attendee(user_id: int):
    """policy.can_see_live_question for a non-moderator, in SQL: visible questions, and
    their own pending ones."""
    return (LiveQuestion.status == "visible") | (
        (LiveQuestion.status == "pending") & (LiveQuestion.author_id == user_id)
    )


def state_for(attendance: Attendance) -> dict:
    """What `join` answers: the last seq this state reflects, the session, the questions."""
    live = db.session.get(LiveSession, attendance.session.id, populate_existing=True)
    questions = db.session.scalars(visible_questions(attendance)).all()
    return {
        "seq": live.seq,
        "session": session_view(live),
        "questions": [question_view(q) for q in questions],
    }


def voted_by(attendance: Attendance) -> list[int]:
    """The questions of the session this person has voted for (the room's vote buttons)."""
    return list(
        db.session.scalars(
            select(LiveVote.question_id)
            .join(LiveQuestion, LiveQuestion.id == LiveVote.question_id)
            .where(
                LiveQuestion.session_id == attendance.session.id,
                LiveVote.user_id == attendance.user.id,
            )
            .order_by(LiveVote.question_id)
        )
    )


def recent_chat(attendance: Attendance, limit: int) -> list[dict]:
    """The session's last `limit` chat messages, oldest first: everyone in the room sees
    the chat."""
    rows = db.session.scalars(
        select(LiveChatMessage)
        .where(LiveChatMessage.session_id == attendance.session.id)
        .order_by(LiveChatMessage.id.desc())
        .limit(limit)
    ).all()
    return [message_view(message) for message in reversed(rows)]


def with_questions(user: User, sessions: list[LiveSession]) -> list[LiveSession]:
    """Attach to each started session the questions this person may see.

    A page of sessions loads in a fixed number of queries: the caller's access once per
    group, then every started session's questions in one query.
    """
    for live in sessions:
        live.questions = []
    started = [live for live in sessions if live.status != "scheduled"]
    if not started:
        return sessions
    groups = {
        group.id: group
        for group in db.session.scalars(
            select(Group).where(Group.id.in_({live.group_id for live in started}))
        )
    }
    accesses = {group_id: group_access(user, group) for group_id, group in groups.items()}
    moderated, attended = [], []
    for live in started:
        group, access = groups[live.group_id], accesses[live.group_id]
        panelist = user.id in live.panelist_ids
        if not policy.can_join_live_session(group, access, panelist):
            raise Forbidden(
                _("Only the group's members can follow this session; ask to join the group.")
            )
        attendance = Attendance(user, live, group, access, panelist)
        (moderated if attendance.moderator else attended).append(live.id)
    questions = db.session.scalars(
        select(LiveQuestion)
        .where(
            LiveQuestion.session_id.in_(moderated)
            | (LiveQuestion.session_id.in_(attended) & _seen_by_attendee(user.id))
        )
        .order_by(LiveQuestion.pinned.desc(), LiveQuestion.vote_count.desc(), LiveQuestion.id)
    )
    by_session: dict[int, list[dict]] = {live.id: [] for live in started}
    for question in questions:
        by_session[question.session_id].append(question_view(question))
    for live in started:
        live.questions = by_session[live.id]
    return sessions


def events_after(session_id: int, since_seq: int, upto: int) -> list[dict]:
    """The stored events a client that saw `since_seq` missed, oldest first."""
    rows = db.session.scalars(
        select(LiveEvent)
        .where(LiveEvent.session_id == session_id, LiveEvent.seq > since_seq, LiveEvent.seq <= upto)
        .order_by(LiveEvent.seq)
    )
    return [
        {"session_id": row.session_id, "seq": row.seq, "type": row.type, "data": row.data}
        for row in rows
    ]


# --- Sending -------------------------------------------------------------------------


@dataclass
class Outgoing:
    session_id: int
    seq: int
    type: str
    data: dict
    rooms: list[str] = field(default_factory=list)

    def payload(self) -> dict:
        return {
            "session_id": self.session_id,
            "seq": self.seq,
            "type": self.type,
            "data": self.data,
        }


@contextmanager
def _publishing(session_id: int) -> Iterator[list[Outgoing]]:
    """One transaction whose events are sent after its commit, in seq order.

    The per-session lock keeps this process's sends in commit order; the seq row update
    (`_next_seq`) serialises the transactions of all processes.
    """
    with runtime().session_lock(session_id):
        outgoing: list[Outgoing] = []
        try:
            yield outgoing
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
        send(outgoing)


def send(outgoing: list[Outgoing]) -> None:
    for item in outgoing:
        try:
            socketio.emit(EVENT, item.payload(), to=item.rooms, namespace=NAMESPACE)
        except Exception:
            # Stored already: clients that missed it get it when they rejoin with since_seq.
            log.exception("live event not sent", extra={"session_id": item.session_id})


def _next_seq(session_id: int) -> int:
    """Raise the session's seq by one, atomically, in the current transaction."""
    seq = db.session.execute(
        update(LiveSession)
        .where(LiveSession.id == session_id)
        .values(seq=LiveSession.seq + 1)
        .returning(LiveSession.seq)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    live = db.session.get(LiveSession, session_id)
    if live is not None:
        set_committed_value(live, "seq", seq)
    return seq


def _record(outgoing: list[Outgoing], session_id: int, kind: str, data_of) -> Outgoing:
    """Store an event everyone may see, with the next seq; it is sent after the commit.

    `data_of` builds the data once the seq is known (the session's own view includes it).
    """
    seq = _next_seq(session_id)
    db.session.flush()
    data = data_of()
    db.session.add(LiveEvent(session_id=session_id, seq=seq, type=kind, data=data))
    item = Outgoing(session_id, seq, kind, data, [room(session_id)])
    outgoing.append(item)
    return item


def _private(
    outgoing: list[Outgoing], question: LiveQuestion, kind: str, view: dict | None = None
) -> None:
    """An event for moderators and the asker only: the current seq, not stored."""
    session_id = question.session_id
    db.session.flush()
    seq = db.session.scalar(select(LiveSession.seq).where(LiveSession.id == session_id))
    rooms = [moderators_room(session_id)]
    if question.author_id is not None:
        rooms.append(person_room(session_id, question.author_id))
    data = question_view(question) if view is None else view
    outgoing.append(Outgoing(session_id, seq, kind, data, rooms))


def presence_event(session_id: int, count: int) -> Outgoing | None:
    seq = db.session.scalar(select(LiveSession.seq).where(LiveSession.id == session_id))
    if seq is None:
        return None
    return Outgoing(session_id, seq, "presence", {"count": count}, [room(session_id)])


# --- Sessions ------------------------------------------------------------------------


def sessions_of(user: User, group_id: int):
    from hub.groups.access import get_readable_group

    group = get_readable_group(user, group_id)
    return (
        select(LiveSession)
        .where(LiveSession.group_id == group.id)
        .order_by(LiveSession.starts_at.desc(), LiveSession.id.desc())
    )


def latest_sessions(user: User, group_id: int, limit: int) -> list:
    """The id, title, status and start of the group's `limit` latest sessions, in
    `sessions_of`'s order, for its page: one built-once statement."""
    return readable_content_rows(user, group_id, _latest_sessions(), limit)


@cache
def _latest_sessions():
    return (
        select(LiveSession.id, LiveSession.title, LiveSession.status, LiveSession.starts_at)
        .where(LiveSession.group_id == bindparam("group_id"))
        .order_by(LiveSession.starts_at.desc(), LiveSession.id.desc())
        .limit(bindparam("limit", type_=Integer))
    )


def schedule_session(user: User, group_id: int, data: dict) -> LiveSession:
    """A new session of the group, `scheduled`; owners and moderators only."""
    from hub.groups.access import get_visible_group

    group = get_visible_group(user, group_id)
    access = group_access(user, group)
    if not policy.can_schedule_live_session(user, group, access):
        raise Forbidden(_("Only the group's owners and moderators can schedule live sessions."))
    panelist_ids = sorted(set(data["panelist_ids"]))
    found = set(
        db.session.scalars(
            select(User.id).where(User.id.in_(panelist_ids), User.deactivated_at.is_(None))
        )
    )
    if missing := [i for i in panelist_ids if i not in found]:
        problems = [_("No active person with id %(id)s.", id=i) for i in missing]
        raise Invalid(
            _("Some panelists do not exist."), errors={"json": {"panelist_ids": problems}}
        )
    live = LiveSession(
        group_id=group.id,
        created_by_id=user.id,
        title=data["title"].strip(),
        description=data["description"],
        description_html=render_markdown(data["description"]),
        starts_at=data["starts_at"],
        ends_at=data["ends_at"],
        moderated=data["moderated"],
        allow_anonymous=data["allow_anonymous"],
        transcript_includes_chat=data["transcript_includes_chat"],
        status="scheduled",
        seq=0,
        panelists=[LivePanelist(user_id=i) for i in panelist_ids],
    )
    db.session.add(live)
    count_content(group, "session", 1)
    db.session.commit()
    return live


def get_session(user: User, session_id: int) -> LiveSession:
    return with_questions(user, [attend(user, session_id).session])[0]


def start_session(user: User, session_id: int) -> LiveSession:
    """Go live: `session.started` to the room, and the group's members are notified."""
    attendance = attend(user, session_id)
    if not attendance.moderator:
        raise Forbidden(_("Only the group's moderators and the session's panelists can start it."))
    with _publishing(session_id) as outgoing:
        live = _locked(session_id)
        if live.status != "scheduled":
            raise Conflict(
                _(
                    "This session is %(status)s already; only a scheduled one starts.",
                    status=live.status,
                )
            )
        live.status = "live"
        live.started_at = utcnow()
        _record(outgoing, live.id, "session.started", lambda: session_view(live))
        group = attendance.group
        from hub.groups.access import member_ids

        notify_many(
            set(member_ids(group.id)) - {user.id},
            "live_session_started",
            {
                "session": {"id": live.id, "title": live.title},
                "group": {"id": group.id, "name": group.name},
                "user": _person(user),
            },
            group_id=group.id,
        )
    return get_session(user, session_id)


def end_session(user: User, session_id: int) -> LiveSession:
    """End it: `session.ended` to the room, and the transcript becomes a forum thread."""
    attendance = attend(user, session_id)
    if not attendance.moderator:
        raise Forbidden(_("Only the group's moderators and the session's panelists can end it."))
    with _publishing(session_id) as outgoing:
        live = _locked(session_id)
        if live.status != "live":
            raise Conflict(NOT_LIVE.get(live.status, _("This session is not live.")))
        live.status = "ended"
        live.ended_at = utcnow()
        event = _record(outgoing, live.id, "session.ended", lambda: session_view(live))
        # The forum service commits; the end, its event and the thread land together.
        thread_id = _archive_transcript(user, attendance.group, live)
        if thread_id is not None:
            live.transcript_thread_id = thread_id
            event.data = session_view(live)
            db.session.execute(
                update(LiveEvent)
                .where(LiveEvent.session_id == live.id, LiveEvent.seq == event.seq)
                .values(data=event.data)
            )
    return get_session(user, session_id)


def _locked(session_id: int) -> LiveSession:
    """The session row, locked (PostgreSQL) until the commit."""
    live = db.session.get(LiveSession, session_id, with_for_update=True, populate_existing=True)
    if live is None:
        raise NotFound(NOT_FOUND)
    return live


def _require_live(live: LiveSession) -> None:
    if live.status != "live":
        raise Conflict(NOT_LIVE.get(live.status, _("This session is not live.")))


def _lock_live(session_id: int) -> bool:
    """Lock the session row (PostgreSQL) until the commit, check it is still live, and
    return whether it is moderated (as of the lock).

    What questions, votes, answers, moderation and chat need under the lock is only
    that, so one short statement: not the whole session with its creator and panelists
    reloaded (three statements), which `attend` has just read.
    """
    row = db.session.execute(
        select(LiveSession.status, LiveSession.moderated)
        .where(LiveSession.id == session_id)
        .with_for_update()
    ).one_or_none()
    if row is None:
        raise NotFound(NOT_FOUND)
    if row.status != "live":
        raise Conflict(NOT_LIVE.get(row.status, _("This session is not live.")))
    return row.moderated


# --- Questions -----------------------------------------------------------------------


def ask(user: User, session_id: int, text: str, anonymous: bool) -> dict:
    """A new question: visible at once, or pending for a moderator in moderated sessions."""
    attendance = attend(user, session_id)
    if not attendance.may_take_part:
        raise Forbidden(_("Only the group's members can ask questions; join the group first."))
    live = attendance.session
    _require_live(live)
    if anonymous and not live.allow_anonymous:
        raise Invalid(
            _("This session does not take anonymous questions."),
            errors={"json": {"anonymous": [_("Not allowed in this session.")]}},
        )
    _limit(user, "question", _("questions"))
    with _publishing(session_id) as outgoing:
        moderated = _lock_live(session_id)
        pending = moderated and not attendance.moderator
        question = LiveQuestion(
            session_id=session_id,
            author_id=user.id,
            text=text.strip(),
            anonymous=anonymous,
            status="pending" if pending else "visible",
            created_at=utcnow(),
        )
        db.session.add(question)
        db.session.flush()
        # A new question has no answers and its author is the caller: known without
        # loading them back.
        set_committed_value(question, "answers", [])
        set_committed_value(question, "author", user)
        view = question_view(question)
        if pending:
            _private(outgoing, question, "question.created", view)
        else:
            _record(outgoing, session_id, "question.created", lambda: view)
    return view


def questions_of(user: User, session_id: int, sort: str):
    return visible_questions(attend(user, session_id), sort)


def vote(user: User, session_id: int, question_id: int, up: bool) -> int:
    """One vote a person: voting twice (or taking back a vote you have not given) changes
    nothing and sends nothing. Returns the question's votes."""
    attendance = attend(user, session_id)
    if not attendance.may_take_part:
        raise Forbidden(_("Only the group's members can vote; join the group first."))
    _require_live(attendance.session)
    _limit(user, "vote", _("votes"))
    with _publishing(session_id) as outgoing:
        _lock_live(session_id)
        question = _question(attendance, question_id)
        if question.status != "visible":
            raise Invalid(_("Only questions everyone can see take votes."))
        existing = db.session.get(LiveVote, (question.id, user.id))
        if up == (existing is not None):
            return question.vote_count
        if up:
            db.session.add(LiveVote(question_id=question.id, user_id=user.id))
        else:
            db.session.execute(
                delete(LiveVote).where(
                    LiveVote.question_id == question.id, LiveVote.user_id == user.id
                )
            )
        db.session.flush()
        question.vote_count = db.session.scalar(
            select(func.count()).select_from(LiveVote).where(LiveVote.question_id == question.id)
        )
        _record(outgoing, session_id, "question.voted", lambda: question_view(question))
        votes = question.vote_count
    return votes


def answer(user: User, session_id: int, question_id: int, text: str) -> dict:
    """Panelists and moderators answer; the question is then marked answered."""
    attendance = attend(user, session_id)
    if not attendance.moderator:
        raise Forbidden(_("Only the session's panelists and the group's moderators can answer."))
    _require_live(attendance.session)
    _limit(user, "answer", _("answers"))
    with _publishing(session_id) as outgoing:
        _lock_live(session_id)
        question = _question(attendance, question_id)
        if question.status != "visible":
            raise Invalid(_("Approve the question before answering it."))
        db.session.add(
            LiveAnswer(
                question_id=question.id, author_id=user.id, text=text.strip(), created_at=utcnow()
            )
        )
        question.answered = True
        db.session.flush()
        db.session.refresh(question, ["answers"])
        view = _record(
            outgoing, session_id, "question.answered", lambda: question_view(question)
        ).data
    return view


MODERATION_EVENTS = {
    "approve": "question.approved",
    "hide": "question.hidden",
    "pin": "question.pinned",
    "unpin": "question.unpinned",
    "mark_answered": "question.answered",
}


def moderate(user: User, session_id: int, question_id: int, action: str) -> dict:
    """Approve, hide, pin, unpin or mark answered. Changing nothing sends nothing."""
    attendance = attend(user, session_id)
    if not attendance.moderator:
        raise Forbidden(_("Only the session's panelists and the group's moderators can moderate."))
    _require_live(attendance.session)
    _limit(user, "moderate", _("moderation actions"))
    with _publishing(session_id) as outgoing:
        _lock_live(session_id)
        question = _question(attendance, question_id)
        was = question.status
        if action in ("pin", "unpin", "mark_answered") and was != "visible":
            raise Invalid(_("Approve the question first."))
        changed = {
            "approve": lambda: _set(question, status="visible"),
            "hide": lambda: _set(question, status="hidden", pinned=False),
            "pin": lambda: _set(question, pinned=True),
            "unpin": lambda: _set(question, pinned=False),
            "mark_answered": lambda: _set(question, answered=True),
        }[action]()
        if changed:
            kind = MODERATION_EVENTS[action]
            record(
                user,
                kind,
                "question",
                question.id,
                attendance.group.id,
                {"session_id": session_id, "previous_status": was},
            )
            if action == "hide" and was == "pending":
                # Never seen by the room, so it leaves as it came: privately.
                _private(outgoing, question, kind)
            else:
                _record(outgoing, session_id, kind, lambda: question_view(question))
        view = question_view(question)
    return view


def _set(question: LiveQuestion, **values) -> bool:
    changed = any(getattr(question, k) != v for k, v in values.items())
    for key, value in values.items():
        setattr(question, key, value)
    return changed


def _question(attendance: Attendance, question_id: int) -> LiveQuestion:
    question = db.session.get(LiveQuestion, question_id, populate_existing=True)
    if (
        question is None
        or question.session_id != attendance.session.id
        or not policy.can_see_live_question(question, attendance.user.id, attendance.moderator)
    ):
        raise NotFound(QUESTION_NOT_FOUND)
    return question


def _limit(user: User, action: str, what: str) -> None:
    wait = runtime().retry_after(user.id, action)
    if wait:
        raise RateLimited(
            _(
                "Too many %(what)s at once; wait %(wait)s seconds and try again.",
                what=what,
                wait=wait,
            ),
            retry_after=wait,
        )


# --- Chat ----------------------------------------------------------------------------


def chat(user: User, session_id: int, text: str) -> dict:
    attendance = attend(user, session_id)
    if not attendance.may_take_part:
        raise Forbidden(_("Only the group's members can chat; join the group first."))
    _require_live(attendance.session)
    _limit(user, "chat", _("chat messages"))
    with _publishing(session_id) as outgoing:
        _lock_live(session_id)
        message = LiveChatMessage(
            session_id=session_id, author_id=user.id, text=text.strip(), created_at=utcnow()
        )
        db.session.add(message)
        db.session.flush()
        set_committed_value(message, "author", user)
        view = _record(outgoing, session_id, "chat.message", lambda: message_view(message)).data
    return view


# --- Transcript ----------------------------------------------------------------------


def _archive_transcript(user: User, group: Group, live: LiveSession) -> int | None:
    """Write the transcript as a forum thread of the group, through the forum service.

    Its author is whoever ended the session if they may post in the group, else one of
    the group's owners or moderators; in an archived group there is no one, and no thread.
    """
    from hub.forum.service import create_thread

    author = None
    for candidate_id in [user.id, live.created_by_id, *moderator_ids(group.id)]:
        candidate = db.session.get(User, candidate_id) if candidate_id else None
        if (
            candidate is not None
            and candidate.is_active
            and policy.can_post_in_group(candidate, group, group_access(candidate, group))
        ):
            author = candidate
            break
    if author is None:
        log.warning("no one may post the transcript", extra={"session_id": live.id})
        return None
    thread = create_thread(author, group.id, transcript_title(live), transcript_body(live))
    return thread.id


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def transcript_title(live: LiveSession) -> str:
    return f"Live session transcript: {live.title}"[:200]


def transcript_body(live: LiveSession) -> str:
    """Markdown: the questions everyone saw, most voted first, with their answers; then
    the chat if the session keeps it. Anonymous questions stay anonymous."""
    questions = db.session.scalars(
        select(LiveQuestion)
        .where(LiveQuestion.session_id == live.id, LiveQuestion.status == "visible")
        .order_by(LiveQuestion.pinned.desc(), LiveQuestion.vote_count.desc(), LiveQuestion.id)
    ).all()
    when = in_uk(live.started_at or live.starts_at)
    until = f" to {in_uk(live.ended_at):%H:%M}" if live.ended_at else ""
    lines = [f"Live session held on {when:%-d %B %Y}, {when:%H:%M}{until} {when:%Z} (UK time)."]
    if live.panelists:
        names = ", ".join(_quiet(p.user.name) for p in live.panelists)
        lines.append(f"Panelists: {names}.")
    if live.description:
        lines += ["", _quiet(live.description)]
    total_votes = sum(q.vote_count for q in questions)
    lines += ["", f"## Questions ({len(questions)}, {_count(total_votes, 'vote')})", ""]
    if not questions:
        lines.append("No questions were asked.")
    for number, question in enumerate(questions, 1):
        asker = (
            "Anonymous"
            if question.anonymous
            else _quiet(question.author.name if question.author else FORMER_MEMBER["name"])
        )
        votes = _count(question.vote_count, "vote")
        status = ", answered" if question.answered else ""
        lines.append(f"### Question {number}: {asker} ({votes}{status})")
        lines.append("")
        lines += [f"> {line}" for line in _quiet(question.text).splitlines()] + [""]
        for reply in question.answers:
            who = _quiet(reply.author.name) if reply.author else "A panelist"
            lines += [f"**Answer from {who}:**", "", _quiet(reply.text), ""]
    if live.transcript_includes_chat:
        messages = db.session.scalars(
            select(LiveChatMessage)
            .where(LiveChatMessage.session_id == live.id)
            .order_by(LiveChatMessage.id)
        ).all()
        lines += ["## Chat", ""]
        if not messages:
            lines.append("No chat messages.")
        for message in messages:
            who = _quiet(message.author.name) if message.author else "Someone"
            text = " ".join(_quiet(message.text).split())
            lines.append(f"- **{who}** ({message.created_at:%H:%M}): {text}")
    return "\n".join(lines).strip() + "\n"


def _quiet(text: str) -> str:
    """Archiving is not mentioning: `@` written as an entity does not notify anyone."""
    return text.replace("@", "&#64;")


def withdraw_votes_of(user: User) -> None:
    """Take back the votes of a person who closes their account, keeping the questions'
    counts (no event is sent: the next join or vote shows the new count)."""
    voted = list(
        db.session.scalars(select(LiveVote.question_id).where(LiveVote.user_id == user.id))
    )
    db.session.execute(delete(LiveVote).where(LiveVote.user_id == user.id))
    for start in range(0, len(voted), 500):
        db.session.execute(
            update(LiveQuestion)
            .where(LiveQuestion.id.in_(voted[start : start + 500]))
            .values(vote_count=LiveQuestion.vote_count - 1)
            .execution_options(synchronize_session=False)
        )
