"""Activity feed API."""

from flask_login import current_user

from hub.blueprint import Blueprint
from hub.feed import service
from hub.feed.schemas import FeedItemSchema

blp = Blueprint("feed", __name__, url_prefix="/api/v1", description="Activity feed")


@blp.route("/me/feed", methods=["GET"])
@blp.response(200, FeedItemSchema(many=True))
@blp.paginate()
def get_feed(pagination_parameters):
    """Recent threads, posts, files and live sessions, newest first: in your groups, and by
    your connections in groups you may read. Nothing from a group you may not read."""
    return service.feed_page(current_user, pagination_parameters)
