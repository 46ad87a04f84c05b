"""Search as a page: the twin of GET /api/v1/search, through the same service, so a page
never shows, counts or suggests anything from a group you may not read."""

from __future__ import annotations

import html
import re

from flask import render_template, request
from flask_login import current_user
from markupsafe import Markup, escape
from marshmallow import ValidationError

from hub.forum.service import threads_of_posts
from hub.groups.views import pages_of
from hub.search import service
from hub.search.schemas import SearchQuerySchema
from hub.web import pages
from hub.web.forms import Form, sign_in_required
from hub.web.i18n import gettext as _
from hub.web.links import link

blp = pages("search_pages", __name__)

PAGE_SIZE = 20
MAX_QUERY = 200  # SearchQuerySchema's
_MARK = re.compile(r"(</?mark>)")


def type_labels() -> dict[str, str]:
    return {
        "thread": _("Threads"),
        "post": _("Replies"),
        "file": _("Files"),
        "suggestion": _("Suggestions"),
        "group": _("Groups"),
        "person": _("People"),
        "session": _("Live sessions"),
    }


def kind_labels() -> dict[str, str]:
    """What one result is."""
    return {
        "thread": _("Thread"),
        "post": _("Reply"),
        "file": _("File"),
        "suggestion": _("Suggestion"),
        "group": _("Group"),
        "person": _("Person"),
        "session": _("Live session"),
    }


def marked_snippet(snippet: str) -> Markup:
    """The service's snippet (escaped text with <mark> around matches) as HTML in which
    nothing but <mark> is markup: every other piece is unescaped and escaped again, so
    that text which was not escaped, by mistake, is shown and never run."""
    out = []
    for piece in _MARK.split(snippet or ""):
        out.append(piece if _MARK.fullmatch(piece) else str(escape(html.unescape(piece))))
    return Markup("".join(out))


def page_link(item: dict, post_threads: dict[int, int]) -> str | None:
    """Where a result's title leads: its own page where it has one, else its group's."""
    kind, item_id, group = item["type"], item["id"], item.get("group")
    if kind == "thread":
        return link("forum_pages.thread", thread_id=item_id)
    if kind == "post" and item_id in post_threads:
        return link("forum_pages.thread", thread_id=post_threads[item_id])
    if kind == "group":
        return link("groups_pages.group", group_id=item_id)
    if kind == "person":
        return link("people_pages.person", person_id=item_id)
    if kind == "file":
        return link("library_pages.file", file_id=item_id)
    if kind == "suggestion" and group:
        return link("suggestions_pages.suggestions", group_id=group["id"]) + (
            f"#suggestion-{item_id}"
        )
    if group:
        return link("groups_pages.group", group_id=group["id"])
    return None


def _filters() -> dict[str, str]:
    """The query as typed: q, type and group_id, blanks left out."""
    return {
        name: request.args[name].strip()
        for name in ("q", "type", "group_id")
        if request.args.get(name, "").strip()
    }


@blp.route("/search")
@sign_in_required
def search():
    """Everything you may read that matches, with facets to narrow it and "Did you mean"."""
    filters = _filters()
    form = Form(values=dict(filters))
    result = None
    if "q" in filters:
        try:
            args = SearchQuerySchema().load(
                {**filters, "page": request.args.get("page", "1"), "page_size": PAGE_SIZE}
            )
        except ValidationError as error:
            # Only q is a field on the page: a filter or page that makes no sense is
            # reported beside it, as the directory of groups does with its tag.
            for name in error.messages:
                form.error(
                    "q",
                    _("Enter a search of %(max)d characters or fewer", max=MAX_QUERY)
                    if name == "q"
                    else _("Start a new search: the filters in the address make no sense"),
                )
        else:
            result = service.search(current_user._get_current_object(), args)
    items, post_threads, pagination = [], {}, None
    if result is not None:
        items = result["items"]
        post_threads = threads_of_posts({i["id"] for i in items if i["type"] == "post"})
        pagination = pages_of(result["page"], result["total"], PAGE_SIZE)
    return render_template(
        "search/search.html",
        form=form,
        field_order=["q"],
        filters=filters,
        result=result,
        items=[
            dict(item, link=page_link(item, post_threads), html=marked_snippet(item["snippet"]))
            for item in items
        ],
        pagination=pagination,
        types=type_labels(),
        kinds=kind_labels(),
    )
