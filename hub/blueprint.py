"""The hub's Blueprint: flask-smorest's, with the hub's paging defaults and headers."""

from __future__ import annotations

import flask_smorest


class Blueprint(flask_smorest.Blueprint):
    DEFAULT_PAGINATION_PARAMETERS = {"page": 1, "page_size": 20, "max_page_size": 100}

    @staticmethod
    def _make_pagination_metadata(page, page_size, item_count):
        """flask-smorest's X-Pagination, its keys in its order, always with the page and the
        page size. Built here without smorest's metadata schema, whose creation on every
        request cost more than the rest of the header."""
        metadata = {"total": item_count, "total_pages": 0}
        if item_count:
            last_page = (item_count - 1) // page_size + 1
            metadata.update(total_pages=last_page, first_page=1, last_page=last_page)
            if page <= last_page:
                metadata["page"] = page
                if page > 1:
                    metadata["previous_page"] = page - 1
                if page < last_page:
                    metadata["next_page"] = page + 1
        return {**metadata, "page": page, "page_size": page_size}
