"""The forum as pages: a thread with its replies, replying, and starting a thread from its
group's page. The twins of /api/v1/threads and /api/v1/groups/{id}/threads, through the
same service; a thread you may not read is the HTML 404 page."""

from __future__ import annotations

from flask import render_template, url_for
from flask_login import current_user
from flask_smorest.pagination import PaginationParameters

from hub import policy
from hub.errors import Conflict
from hub.forum import service
from hub.forum.schemas import PostCreateSchema, ThreadCreateSchema
from hub.groups.views import group_page, page_number, pages_of
from hub.web import pages
from hub.web.errors import unreadable_is_not_found
from hub.web.forms import Form, load, see_other, sign_in_required
from hub.web.i18n import gettext as _

blp = pages("forum_pages", __name__)

POSTS_PAGE_SIZE = 20


@blp.route("/threads/<int:thread_id>")
@sign_in_required
def thread(thread_id: int):
    return thread_page(thread_id)


def thread_page(thread_id: int, form: Form | None = None, page: int | None = None):
    """A thread and a page of its posts, oldest first. Where the API answers 403 (a group
    you may see but not read), a page answers 404: what you may not read is not there."""
    user = current_user._get_current_object()
    pagination = PaginationParameters(page=page or page_number(), page_size=POSTS_PAGE_SIZE)
    with unreadable_is_not_found(service.NO_THREAD):
        found, group, you, posts = service.thread_with_posts(user, thread_id, pagination)
    total = pagination.item_count or 0
    return render_template(
        "forum/thread.html",
        thread=found,
        group=group,
        posts=posts,
        pagination=pages_of(pagination.page, total, POSTS_PAGE_SIZE),
        may_reply=policy.can_reply_in_thread(user, found, group, you),
        form=form or Form(),
        field_order=["body"],
    )


@blp.route("/threads/<int:thread_id>/posts", methods=["POST"])
@sign_in_required
def reply(thread_id: int):
    data, form = load(PostCreateSchema(), {"body": _("Enter your reply")}, fields=["body"])
    if data is None:
        return thread_page(thread_id, form, page=1)
    try:
        post = service.create_post(current_user, thread_id, data["body"], None)
    except Conflict as refusal:  # locked meanwhile
        form.error("body", refusal.message)
        return thread_page(thread_id, form, page=1)
    thread_now = service.get_thread(current_user, thread_id)
    last = max((thread_now.post_count + POSTS_PAGE_SIZE - 1) // POSTS_PAGE_SIZE, 1)
    return see_other(
        url_for("forum_pages.thread", thread_id=thread_id, page=last if last > 1 else None)
        + f"#post-{post.id}"
    )


@blp.route("/groups/<int:group_id>/threads", methods=["POST"])
@sign_in_required
def start_thread(group_id: int):
    data, form = load(
        ThreadCreateSchema(),
        {"title": _("Enter a title for the thread"), "body": _("Enter the thread's first message")},
    )
    if data is None:
        return group_page(group_id, form)
    started = service.create_thread(current_user, group_id, data["title"], data["body"])
    return see_other(url_for("forum_pages.thread", thread_id=started.id))
