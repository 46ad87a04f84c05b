"""The home page: what the hub is, to someone signed out; their feed, to someone in."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user
from flask_smorest.pagination import PaginationParameters

from hub.feed import service
from hub.web import pages
from hub.web.i18n import gettext as _

blp = pages("feed_pages", __name__)

FEED_PAGE_SIZE = 20


def _done_message() -> str | None:
    return {
        "registered": _("Your account has been created and you are signed in."),
        "signed-out": _("You have signed out."),
        "closed": _("Your account has been closed and your personal data erased."),
        "email-confirmed": _("Your email address is confirmed."),
    }.get(request.args.get("done", ""))


@blp.route("/")
def home():
    if not current_user.is_authenticated:
        return render_template("feed/welcome.html", done=_done_message())
    page = request.args.get("page", default=1, type=int) or 1
    pagination = PaginationParameters(page=max(page, 1), page_size=FEED_PAGE_SIZE)
    items = service.feed_page(current_user, pagination)
    total = pagination.item_count or 0
    return render_template(
        "feed/home.html",
        items=items,
        page=pagination.page,
        has_next=pagination.page * FEED_PAGE_SIZE < total,
        done=_done_message(),
    )
