"""People as pages: the people finder and a person's profile, with asking to connect. The
twins of GET /api/v1/people, GET /api/v1/people/{id} and POST /api/v1/people/{id}/connect,
through the same service: a person who is not there (or closed their account) is the
HTML 404 page, as at the API."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_login import current_user
from flask_smorest.pagination import PaginationParameters
from marshmallow import ValidationError

from hub.auth.views import role_options
from hub.groups.views import page_number, pages_of
from hub.people import service
from hub.people.schemas import PeopleQuerySchema
from hub.web import pages
from hub.web.forms import Form, see_other, sign_in_required
from hub.web.i18n import gettext as _

blp = pages("people_pages", __name__)

PAGE_SIZE = 20
FILTERS = ["q", "expertise", "organisation", "role", "region"]


def _done_message() -> str | None:
    return {
        "pending": _("Your request to connect has been sent."),
        "connected": _("You are now connected."),
    }.get(request.args.get("done", ""))


@blp.route("/people")
@sign_in_required
def directory():
    """The people finder: by words in names, organisations, job titles and expertise, and
    by expertise, organisation, role and region."""
    raw = {
        name: request.args[name].strip() for name in FILTERS if request.args.get(name, "").strip()
    }
    form = Form(values=dict(raw))
    try:
        filters = PeopleQuerySchema().load(raw)
    except ValidationError as error:
        for name, messages in error.messages.items():
            form.error(name, messages[0] if isinstance(messages, list) else str(messages))
        filters = None
    people, total = [], 0
    pagination = PaginationParameters(page=page_number(), page_size=PAGE_SIZE)
    if filters is not None:
        people = service.directory_page(filters, pagination)
        total = pagination.item_count or 0
    return render_template(
        "people/directory.html",
        form=form,
        field_order=FILTERS,
        filters=raw,
        people=people,
        total=total,
        pagination=pages_of(pagination.page, total, PAGE_SIZE),
        roles=role_options(),
        role_names=dict(role_options()),
    )


@blp.route("/people/<int:person_id>")
@sign_in_required
def person(person_id: int):
    """A profile, and where you stand with them: connected, asked, or a way to ask."""
    found = service.get_person(person_id)
    user = current_user._get_current_object()
    return render_template(
        "people/person.html",
        person=found,
        yourself=found.id == user.id,
        standing=service.standing_with(user, found.id),
        role_names=dict(role_options()),
        done=_done_message(),
    )


@blp.route("/people/<int:person_id>/connect", methods=["POST"])
@sign_in_required
def connect(person_id: int):
    status = service.connect(current_user, person_id)
    return see_other(url_for("people_pages.person", person_id=person_id, done=status))
