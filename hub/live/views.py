"""The live room as a page: a session's title, status and times, its questions as they are
(readable without JavaScript), asking through a form, starting and ending it; an ended
session's transcript. The twins of /api/v1/live-sessions, through the same service and
policy: a session you may not follow is the HTML 404 page.

While a session is live, hub/web/static/live.js takes the room over on the Socket.IO
channel `/live` (the state it starts from is in the page, as JSON).
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from babel import Locale
from flask import render_template, request, url_for
from flask_babel import get_translations
from flask_login import current_user

from hub.errors import Conflict, Invalid
from hub.extensions import db
from hub.live import service
from hub.live.schemas import QuestionCreateSchema
from hub.web import pages
from hub.web.errors import unreadable_is_not_found
from hub.web.forms import Form, load, see_other, sign_in_required
from hub.web.i18n import gettext as _
from hub.web.i18n import request_locale, uk_time

blp = pages("live_pages", __name__)

SORTS = ("top", "new")
CHAT_SHOWN = 100  # the chat's latest messages shown on the page
ASK_FIELDS = ["text", "anonymous"]


@blp.route("/live/<int:session_id>")
@sign_in_required
def room(session_id: int):
    return room_page(session_id)


def _attend(session_id: int) -> service.Attendance:
    with unreadable_is_not_found(service.NOT_FOUND):
        return service.attend(current_user._get_current_object(), session_id)


def room_page(session_id: int, form: Form | None = None):
    attendance = _attend(session_id)
    live = attendance.session
    sort = request.args.get("sort") if request.args.get("sort") in SORTS else "top"
    questions = []
    if live.status != "scheduled":
        questions = [
            service.question_view(q)
            for q in db.session.scalars(service.visible_questions(attendance, sort))
        ]
    if live.status == "ended":  # the transcript: what everyone saw
        questions = [q for q in questions if q["status"] == "visible"]
    chat = []
    if live.status == "live" or (live.status == "ended" and live.transcript_includes_chat):
        chat = [_with_time(message) for message in service.recent_chat(attendance, CHAT_SHOWN)]
    state = None
    if live.status == "live":
        state = {
            "session_id": live.id,
            "seq": live.seq,
            "sort": sort,
            "questions": questions,
            "chat": chat,
            "my_votes": service.voted_by(attendance),
            "user_id": attendance.user.id,
            "moderator": attendance.moderator,
            "may_take_part": attendance.may_take_part,
            "strings": _strings(),
        }
    return render_template(
        "live/room.html",
        live=live,
        group=attendance.group,
        moderator=attendance.moderator,
        may_take_part=attendance.may_take_part,
        questions=questions,
        chat=chat,
        sort=sort,
        state=state,
        form=form or Form(),
        field_order=ASK_FIELDS,
        done=_done_message(),
    )


def _with_time(message: dict) -> dict:
    """A chat message with the time it was sent, in UK time (hours and minutes)."""
    sent = datetime.fromisoformat(message["created_at"].removesuffix("Z"))
    return {**message, "shown_at": uk_time(sent, "HH:mm")}


def _done_message() -> str | None:
    return {
        "asked": _("Your question has been added."),
        "pending": _("Your question has been sent: everyone sees it once a moderator approves it."),
        "started": _("The session is live."),
        "ended": _("The session has ended. Its transcript is in the group's forum."),
    }.get(request.args.get("done", ""))


def _plural_forms(singular: str, plural: str) -> dict[str, str]:
    """A plural message's template for each plural category of the page's language
    (CLDR's: English has one and other, Welsh six), unformatted, for live.js to choose
    with Intl.PluralRules and fill in (`%(num)d`)."""
    translations = get_translations()
    return {
        category: translations.ungettext(singular, plural, number)
        for category, number in _category_examples(request_locale()).items()
    }


@lru_cache(maxsize=16)
def _category_examples(locale: Locale) -> dict[str, int]:
    """A number of each plural category of the language: the catalogue picks its form
    for that category by a number, not by the category's name."""
    examples: dict[str, int] = {}
    for number in range(1000):
        examples.setdefault(locale.plural_form(number), number)
    return examples


def _strings() -> dict[str, str]:
    """What live.js writes on the page, translated here (Flask-Babel). `%(name)s`-style
    placeholders are filled in by the script."""
    vote_forms = ("%(num)d vote", "%(num)d votes")
    people_forms = ("%(num)d person here", "%(num)d people here")
    return {
        "votes": _plural_forms(*vote_forms),
        "people": _plural_forms(*people_forms),
        "anonymous": _("Anonymous"),
        "answer_from": _("Answer from %(name)s:", name="%(name)s"),
        "new_question": _("New question: %(text)s", text="%(text)s"),
        "pinned": _("Pinned"),
        "answered": _("Answered"),
        "pending": _("Waiting for approval"),
        "hidden": _("Hidden"),
        "vote": _("Vote"),
        "approve": _("Approve"),
        "hide": _("Hide"),
        "pin": _("Pin"),
        "unpin": _("Unpin"),
        "mark_answered": _("Mark as answered"),
        "answer": _("Answer this question"),
        "answer_label": _("Your answer"),
        "send_answer": _("Send answer"),
        "connected": _("Connected: new questions appear as they are asked."),
        "connecting": _("Connecting…"),
        "reconnecting": _("Connection lost: reconnecting…"),
        "offline": _("You are offline: the room catches up when you are back online."),
        "closed": _(
            "The live room closed your connection: your sign-in may have ended. Reload the "
            "page to carry on."
        ),
    }


@blp.route("/live-sessions/<int:session_id>/questions", methods=["POST"])
@sign_in_required
def ask(session_id: int):
    """Ask without JavaScript, as POST /api/v1/live-sessions/{id}/questions does."""
    data, form = load(QuestionCreateSchema(), {"text": _("Enter your question")}, fields=ASK_FIELDS)
    if data is None:
        return room_page(session_id, form)
    _attend(session_id)
    try:
        question = service.ask(current_user, session_id, data["text"], data["anonymous"])
    except (Invalid, Conflict) as refusal:
        # Anonymous where the session does not take it (the form did not offer it), or
        # no longer live: beside the question.
        form.error("text", refusal.message)
        return room_page(session_id, form)
    done = "pending" if question["status"] == "pending" else "asked"
    return see_other(
        url_for("live_pages.room", session_id=session_id, sort="new", done=done)
        + f"#question-{question['id']}"
    )


@blp.route("/live-sessions/<int:session_id>/start", methods=["POST"])
@sign_in_required
def start(session_id: int):
    _attend(session_id)
    service.start_session(current_user, session_id)
    return see_other(url_for("live_pages.room", session_id=session_id, done="started"))


@blp.route("/live-sessions/<int:session_id>/end", methods=["POST"])
@sign_in_required
def end(session_id: int):
    _attend(session_id)
    service.end_session(current_user, session_id)
    return see_other(url_for("live_pages.room", session_id=session_id, done="ended"))
