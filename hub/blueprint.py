"""The hub's Blueprint: flask-smorest's, with `page` and `page_size` always in X-Pagination."""

from __future__ import annotations

import flask_smorest


class Blueprint(flask_smorest.Blueprint):
    @staticmethod
    def _make_pagination_metadata(page, page_size, item_count):
        metadata = flask_smorest.Blueprint._make_pagination_metadata(page, page_size, item_count)
        return {**metadata, "page": page, "page_size": page_size}
