"""Direct messages: only participants may read or post, and blocks are respected."""

from __future__ import annotations

from functools import cache

from flask_babel import gettext as _
from sqlalchemy import bindparam, delete, exists, func, or_, select
from sqlalchemy.orm import aliased

from hub import policy
from hub.auth.models import User
from hub.db import Listing, dicts, json_rows, paginate, run, utcnow
from hub.errors import Forbidden, Invalid, NotFound
from hub.extensions import db
from hub.live import personal
from hub.messages.models import Conversation, ConversationParticipant, Message
from hub.messages.schemas import MessageSchema
from hub.notifications.service import mark_conversation_notifications_read, notify
from hub.people.service import blocked_pairs
from hub.text import render_markdown


def start_conversation(user: User, participant_ids: list[int], text: str) -> Conversation:
    """Post to the conversation of exactly these people, starting it if there is none."""
    others = set(participant_ids) - {user.id}
    if not others:
        raise Invalid(
            _("Name at least one other person in participant_ids."),
            errors={"json": {"participant_ids": [_("Name at least one other person.")]}},
        )
    found = set(
        db.session.scalars(
            select(User.id).where(User.id.in_(others), User.deactivated_at.is_(None))
        )
    )
    if missing := sorted(others - found):
        raise Invalid(
            _("There is no person with id %(id)s.", id=missing[0]),
            errors={"json": {"participant_ids": [_("Unknown people: %(ids)s", ids=missing)]}},
        )
    everyone = others | {user.id}
    # Checked whether the conversation is new or continues: a block or an unconfirmed
    # address must stop both.
    _check_may_send(user, everyone)
    conversation = _conversation_of_exactly(everyone)
    if conversation is None:
        conversation = Conversation(
            participants=[ConversationParticipant(user_id=uid) for uid in sorted(everyone)]
        )
        db.session.add(conversation)
        db.session.flush()
    _add_message(user, conversation, text)
    return conversation


def _conversation_of_exactly(user_ids: set[int]) -> Conversation | None:
    counts = (
        select(ConversationParticipant.conversation_id)
        .group_by(ConversationParticipant.conversation_id)
        .having(func.count() == len(user_ids))
    )
    matching = (
        select(ConversationParticipant.conversation_id)
        .where(
            ConversationParticipant.user_id.in_(user_ids),
            ConversationParticipant.conversation_id.in_(counts),
        )
        .group_by(ConversationParticipant.conversation_id)
        .having(func.count() == len(user_ids))
        .limit(1)
    )
    conversation_id = db.session.scalar(matching)
    return db.session.get(Conversation, conversation_id) if conversation_id else None


def _check_may_send(user: User, participant_ids: set[int]) -> None:
    if not policy.can_post(user):
        raise Forbidden(
            _(
                "Confirm your email address (and wait for approval if you were told to) "
                "before you send messages."
            ),
        )
    pairs = blocked_pairs(participant_ids)
    for other in participant_ids - {user.id}:
        if not policy.can_contact(user.id, other, pairs):
            raise Forbidden(_("Someone in this conversation is not accepting messages from you."))


def get_conversation(user: User, conversation_id: int) -> Conversation:
    conversation = db.session.get(Conversation, conversation_id)
    if conversation is None or not policy.can_read_conversation(
        user, {p.user_id for p in conversation.participants}
    ):
        raise NotFound(_("There is no conversation with this id, or you are not in it."))
    return conversation


def post_message(user: User, conversation_id: int, text: str) -> Message:
    conversation = get_conversation(user, conversation_id)
    _check_may_send(user, {p.user_id for p in conversation.participants})
    return _add_message(user, conversation, text)


def _add_message(user: User, conversation: Conversation, text: str) -> Message:
    now = utcnow()
    message = Message(
        conversation_id=conversation.id,
        sender_id=user.id,
        body=text,
        body_html=render_markdown(text),
        created_at=now,
    )
    db.session.add(message)
    db.session.flush()  # its id, for the live channel's personal events
    shown = MessageSchema().dump(message)
    personal.queue("message", ((p.user_id, shown) for p in conversation.participants))
    conversation.last_message_at = now
    for participant in conversation.participants:
        if participant.user_id == user.id:
            participant.last_read_at = now
        else:
            notify(
                participant.user_id,
                "message",
                {"conversation_id": conversation.id, "user": {"id": user.id, "name": user.name}},
            )
    db.session.commit()
    return message


def conversation_page(user: User, pagination_parameters) -> list[dict]:
    """One page of your conversations, dump-ready, the most recently active first."""
    rows = paginate(_conversations(), pagination_parameters, "mappings", {"caller_id": user.id})
    return _conversation_items(rows)


def conversation_item(user: User, conversation_id: int) -> dict:
    """One of your conversations, as `conversation_page` gives it."""
    statement = _conversations_statement().where(Conversation.id == conversation_id)
    rows = dicts(run(statement, {"caller_id": user.id}))
    return _conversation_items(rows)[0]


@cache
def _conversations() -> Listing:
    return Listing(_conversations_statement())


def _conversations_statement():
    """The conversations of `caller_id`, with when they last read each, and their
    participants as [id, name] pairs in `participant_pairs`."""
    them = aliased(ConversationParticipant)
    participants = (
        select(json_rows(User.id, User.name))
        .select_from(them)
        .join(User, User.id == them.user_id)
        .where(them.conversation_id == Conversation.id)
        .scalar_subquery()
    )
    return (
        select(
            Conversation.id,
            Conversation.created_at,
            Conversation.last_message_at,
            ConversationParticipant.last_read_at,
            participants.label("participant_pairs"),
        )
        .join(ConversationParticipant)
        .where(ConversationParticipant.user_id == bindparam("caller_id"))
        .order_by(Conversation.last_message_at.desc(), Conversation.id.desc())
    )


def _conversation_items(rows) -> list[dict]:
    """Dump-ready conversations from rows of `_conversations_statement`: with their
    participants ({id, name}, by id) and whether messages came since you read it."""
    for row in rows:
        pairs = sorted(row.pop("participant_pairs") or [])
        row["participants"] = [{"id": person_id, "name": name} for person_id, name in pairs]
        row["unread"] = row["last_read_at"] is None or row["last_message_at"] > row["last_read_at"]
    return rows


def messages_of(user: User, conversation_id: int):
    """The messages, oldest first; reading them marks the conversation read, and the
    notifications of its messages."""
    conversation = get_conversation(user, conversation_id)
    mine = next(p for p in conversation.participants if p.user_id == user.id)
    mine.last_read_at = utcnow()
    mark_conversation_notifications_read(user, conversation_id)
    db.session.commit()
    return select(Message).where(Message.conversation_id == conversation_id).order_by(Message.id)


def unread_message_count(user: User) -> int:
    return run(select(unread_message_count_column()), {"caller_id": user.id}).scalar()


@cache
def unread_message_count_column():
    """Built once: the messages others sent `caller_id` since they last read their
    conversation, as a column (every page's header reads it)."""
    mine = ConversationParticipant
    caller = bindparam("caller_id")
    return (
        select(func.count(Message.id))
        .select_from(mine)
        .join(Conversation, Conversation.id == mine.conversation_id)
        .join(Message, Message.conversation_id == mine.conversation_id)
        .where(
            mine.user_id == caller,
            # Read conversations are left out by their last message, without their messages.
            or_(mine.last_read_at.is_(None), Conversation.last_message_at > mine.last_read_at),
            or_(mine.last_read_at.is_(None), Message.created_at > mine.last_read_at),
            or_(Message.sender_id.is_(None), Message.sender_id != caller),
        )
        .scalar_subquery()
    )


def leave_every_conversation(user: User) -> None:
    """Take a person who closes their account out of their conversations. The others keep
    the messages (shown as from a former member); a conversation left with nobody goes."""
    theirs = list(
        db.session.scalars(
            select(ConversationParticipant.conversation_id).where(
                ConversationParticipant.user_id == user.id
            )
        )
    )
    db.session.execute(
        delete(ConversationParticipant).where(ConversationParticipant.user_id == user.id)
    )
    someone_left = exists().where(ConversationParticipant.conversation_id == Conversation.id)
    for start in range(0, len(theirs), 500):
        db.session.execute(
            delete(Conversation).where(
                Conversation.id.in_(theirs[start : start + 500]), ~someone_left
            )
        )
