"""The hub's Blueprint: flask-smorest's, with the hub's paging defaults and headers."""

from __future__ import annotations

import flask_smorest


class Blueprint(flask_smorest.Blueprint):
    DEFAULT_PAGINATION_PARAMETERS = {"page": 1, "page_size": 20, "max_page_size": 100}

    @staticmethod
    def _make_pagination_metadata(page, page_size, item_count):
        metadata = flask_smorest.Blueprint._make_pagination_metadata(page, page_size, item_count)
        return {**metadata, "page": page, "page_size": page_size}
