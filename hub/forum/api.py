"""Forum API: a group's threads, their posts, and following them.

Bodies are Markdown, returned as `body` and sanitized `body_html`. Mention a person with
`@[Their Name](user:<id>)` (exact: front ends insert it when a person is picked), their
handle `@their.handle` (unique; GET /groups/{id}/mention-suggestions offers them), or
`@Their Name` (matched against the group's members, ignoring case; a name two members
share mentions neither). Mentions notify only people who may read the group.
"""

from flask_login import current_user

from hub.blueprint import Blueprint
from hub.forum import service
from hub.forum.schemas import (
    PostCreateSchema,
    PostSchema,
    PostUpdateSchema,
    SubscriptionSchema,
    ThreadCreateSchema,
    ThreadDetailSchema,
    ThreadSchema,
    ThreadUpdateSchema,
)

blp = Blueprint("forum", __name__, url_prefix="/api/v1", description="Group forums")


@blp.route("/groups/<int:group_id>/threads", methods=["GET"])
@blp.response(200, ThreadSchema(many=True))
@blp.paginate()
def list_threads(group_id, pagination_parameters):
    """The group's threads: pinned first, then the most recently active."""
    return service.thread_page(current_user, group_id, pagination_parameters)


@blp.route("/groups/<int:group_id>/threads", methods=["POST"])
@blp.arguments(ThreadCreateSchema)
@blp.response(201, ThreadDetailSchema)
def create_thread(data, group_id):
    """Start a thread (members): 201 the thread with its first post; you follow it.

    Mentions in the body (`@[Name](user:<id>)` or `@Name`) notify people who may read
    the group.
    """
    return service.create_thread(current_user, group_id, data["title"], data["body"])


@blp.route("/threads/<int:thread_id>", methods=["GET"])
@blp.response(200, ThreadDetailSchema)
def get_thread(thread_id):
    """A thread with its first post."""
    return service.get_thread(current_user, thread_id)


@blp.route("/threads/<int:thread_id>", methods=["PATCH"])
@blp.arguments(ThreadUpdateSchema)
@blp.response(200, ThreadDetailSchema)
def update_thread(changes, thread_id):
    """Pin or lock (moderators), or rename (the author or moderators).

    A locked thread takes new posts from moderators only (others get 409).
    """
    return service.update_thread(current_user, thread_id, changes)


@blp.route("/threads/<int:thread_id>", methods=["DELETE"])
@blp.response(204)
def delete_thread(thread_id):
    """Delete a thread and its posts: moderators, or its author while nobody has replied."""
    service.delete_thread(current_user, thread_id)


@blp.route("/threads/<int:thread_id>/posts", methods=["GET"])
@blp.response(200, PostSchema(many=True))
@blp.paginate()
def list_posts(thread_id, pagination_parameters):
    """The thread's posts, oldest first."""
    return service.post_page(current_user, thread_id, pagination_parameters)


@blp.route("/threads/<int:thread_id>/posts", methods=["POST"])
@blp.arguments(PostCreateSchema)
@blp.response(201, PostSchema)
def create_post(data, thread_id):
    """Reply in a thread (members; 409 when it is locked, unless you moderate).

    Mention people in the Markdown body with `@[Their Name](user:<id>)` (exact; shown as a
    link to their profile), `@their.handle` (unique, ignoring case), or `@Their Name`
    (matched against the group's members, ignoring case, longest name first; a name two
    members share mentions neither). Mentioned people
    who may read the group get a `mention` notification; the thread's followers (its
    author among them) and the author of the post answered (`reply_to`) get a `reply` one.
    """
    return service.create_post(current_user, thread_id, data["body"], data["reply_to"])


@blp.route("/posts/<int:post_id>", methods=["GET"])
@blp.response(200, PostSchema)
def get_post(post_id):
    """A post."""
    return service.get_post(current_user, post_id)


@blp.route("/posts/<int:post_id>", methods=["PATCH"])
@blp.arguments(PostUpdateSchema)
@blp.response(200, PostSchema)
def update_post(data, post_id):
    """Edit a post: its author or the group's moderators; sets `edited_at`."""
    return service.update_post(current_user, post_id, data["body"])


@blp.route("/posts/<int:post_id>", methods=["DELETE"])
@blp.response(204)
def delete_post(post_id):
    """Delete a reply: its author or the group's moderators.

    The post that opened a thread is deleted with its thread (409 here).
    """
    service.delete_post(current_user, post_id)


@blp.route("/threads/<int:thread_id>/subscribe", methods=["POST"])
@blp.response(200, SubscriptionSchema)
def subscribe(thread_id):
    """Follow a thread's replies (anyone who may read it); doing it twice changes nothing."""
    service.subscribe(current_user, thread_id)
    return {"subscribed": True}


@blp.route("/threads/<int:thread_id>/subscribe", methods=["DELETE"])
@blp.response(204)
def unsubscribe(thread_id):
    """Stop following a thread."""
    service.unsubscribe(current_user, thread_id)
