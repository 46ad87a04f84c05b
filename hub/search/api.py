"""Search API: one search across everything the caller may read."""

from flask_login import current_user

from hub.blueprint import Blueprint
from hub.search import service
from hub.search.schemas import SearchQuerySchema, SearchResultSchema

blp = Blueprint("search", __name__, url_prefix="/api/v1", description="Search")


@blp.route("/search", methods=["GET"])
@blp.arguments(SearchQuerySchema, location="query")
@blp.response(200, SearchResultSchema)
def search(args):
    """Files, threads, posts, groups, people, suggestions and sessions you may read."""
    return service.search(current_user, args)
