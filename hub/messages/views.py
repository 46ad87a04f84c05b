"""Direct messages as pages: your conversations, one conversation with its reply form, and
starting one with a person (`?to=`, from their profile). The twins of /api/v1/conversations,
through the same service: a conversation you are not in is the HTML 404 page.

Every page signed in shows how many messages and notifications are unread in its header
(`unread_counts`); hub/web/static/personal.js raises them as `personal_event`s arrive."""

from __future__ import annotations

from functools import cache

from flask import render_template, request, url_for
from flask_login import current_user
from flask_smorest.pagination import PaginationParameters
from marshmallow import ValidationError
from sqlalchemy import func, select

from hub.db import paginate, run
from hub.errors import Forbidden, Invalid
from hub.extensions import db
from hub.groups.views import page_number, pages_of
from hub.messages import service
from hub.messages.schemas import ConversationCreateSchema, MessageCreateSchema
from hub.notifications.service import unread_count_column
from hub.people.service import get_person
from hub.web import pages
from hub.web.forms import Form, load, see_other, sign_in_required
from hub.web.i18n import gettext as _

blp = pages("messages_pages", __name__)

PAGE_SIZE = 20
MESSAGES_PAGE_SIZE = 50


@blp.app_context_processor
def unread_counts() -> dict:
    """The header's counts, on every page for someone signed in."""
    if not current_user.is_authenticated:
        return {}
    counts = run(_header_counts(), {"caller_id": current_user.id}).one()
    return {"unread": {"messages": counts.messages, "notifications": counts.notifications}}


@cache
def _header_counts():
    """Built once: both of the header's counts in one statement."""
    return select(
        service.unread_message_count_column().label("messages"),
        unread_count_column().label("notifications"),
    )


@blp.route("/messages")
@sign_in_required
def conversations():
    return conversations_page()


def conversations_page(form: Form | None = None):
    """Your conversations, the most recently active first, and a form to write to the
    person named by `?to=` (or a hint to find one)."""
    user = current_user._get_current_object()
    pagination = PaginationParameters(page=page_number(), page_size=PAGE_SIZE)
    items = service.conversation_page(user, pagination)
    total = pagination.item_count or 0
    to = request.values.get("participant_ids", request.args.get("to"), type=int)
    recipient = get_person(to) if to and to != user.id else None
    return render_template(
        "messages/conversations.html",
        conversations=items,
        me=user.id,
        recipient=recipient,
        pagination=pages_of(pagination.page, total, PAGE_SIZE),
        form=form or Form(),
        field_order=["text"],
    )


@blp.route("/messages", methods=["POST"])
@sign_in_required
def start():
    """Write to a person: their conversation with you continues, or a new one starts."""
    data, form = load(MessageCreateSchema(), {"text": _("Enter your message")})
    if data is None:
        return conversations_page(form)
    # The person is a hidden field of the form (`?to=`): ids as numbers, as the API's JSON.
    raw = {"participant_ids": request.form.getlist("participant_ids", type=int), **data}
    try:
        data = ConversationCreateSchema().load(raw)
    except ValidationError:
        form.error("text", _("Choose who to write to from their profile in People."))
        return conversations_page(form)
    try:
        conversation = service.start_conversation(
            current_user, data["participant_ids"], data["text"]
        )
    except (Invalid, Forbidden) as refusal:
        form.error("text", refusal.message)
        return conversations_page(form)
    return see_other(url_for("messages_pages.conversation", conversation_id=conversation.id))


@blp.route("/messages/<int:conversation_id>")
@sign_in_required
def conversation(conversation_id: int):
    return conversation_page(conversation_id)


def conversation_page(conversation_id: int, form: Form | None = None):
    """A conversation, its last page of messages unless another is asked for; opening it
    marks it, and the notifications of its messages, read."""
    user = current_user._get_current_object()
    messages = service.messages_of(user, conversation_id)
    total = db.session.scalar(select(func.count()).select_from(messages.subquery()))
    last = max((total + MESSAGES_PAGE_SIZE - 1) // MESSAGES_PAGE_SIZE, 1)
    page = min(request.args.get("page", default=last, type=int) or last, last)
    pagination = PaginationParameters(page=max(page, 1), page_size=MESSAGES_PAGE_SIZE)
    shown = paginate(messages, pagination)
    item = service.conversation_item(user, conversation_id)
    others = [p for p in item["participants"] if p["id"] != user.id]
    return render_template(
        "messages/conversation.html",
        conversation=item,
        others=others,
        messages=shown,
        pagination=pages_of(pagination.page, total, MESSAGES_PAGE_SIZE),
        form=form or Form(),
        field_order=["text"],
    )


@blp.route("/messages/<int:conversation_id>", methods=["POST"])
@sign_in_required
def reply(conversation_id: int):
    data, form = load(MessageCreateSchema(), {"text": _("Enter your message")})
    if data is None:
        return conversation_page(conversation_id, form)
    try:
        message = service.post_message(current_user, conversation_id, data["text"])
    except Forbidden as refusal:
        form.error("text", refusal.message)
        return conversation_page(conversation_id, form)
    return see_other(
        url_for("messages_pages.conversation", conversation_id=conversation_id)
        + f"#message-{message.id}"
    )
