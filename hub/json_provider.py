"""JSON responses encoded by orjson.

A page of 20 items cost as much to encode with the standard library as to query. orjson
writes the same JSON several times faster. The types Flask's own provider knows beyond
plain JSON (dates, decimals, dataclasses, `__html__`) still go through its `default`,
so every document stays as before. One difference in the bytes: text outside ASCII is sent
as UTF-8 rather than as \\u escapes, which any JSON parser reads the same. Request bodies
are still read by the standard library, which refuses and accepts exactly what it did.
"""

from __future__ import annotations

import weakref
from typing import Any

import orjson
from flask.json.provider import DefaultJSONProvider

_OPTIONS = (
    orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
)


class OrjsonProvider(DefaultJSONProvider):
    """Flask's default provider, with orjson writing compact responses (an indented one,
    for people reading it in debug mode, is still the standard library's)."""

    def __init__(self, app) -> None:
        super().__init__(app)
        self._hub_app = weakref.proxy(app)  # as Flask keeps it, under the hub's own name

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        if kwargs:  # indent, sort_keys...: the standard library's options
            return super().dumps(obj, **kwargs)
        return self._encode(obj).decode()

    def response(self, *args: Any, **kwargs: Any):
        if (self.compact is None and self._hub_app.debug) or self.compact is False:
            return super().response(*args, **kwargs)
        body = self._encode(_response_obj(args, kwargs), orjson.OPT_APPEND_NEWLINE)
        return self._hub_app.response_class(body, mimetype=self.mimetype)

    def _encode(self, obj: Any, option: int = 0) -> bytes:
        if self.sort_keys:
            option |= orjson.OPT_SORT_KEYS
        try:
            return orjson.dumps(obj, default=self.default, option=_OPTIONS | option)
        except orjson.JSONEncodeError:
            # What orjson refuses and the standard library writes: an integer beyond 64
            # bits (a validation error can quote one from the request).
            newline = "\n" if option & orjson.OPT_APPEND_NEWLINE else ""
            return (super().dumps(obj, separators=(",", ":")) + newline).encode()


def _response_obj(args: tuple, kwargs: dict) -> Any:
    """What `response(...)` was asked to send, as Flask's provider reads its arguments."""
    if args and kwargs:
        raise TypeError("app.json.response() takes either args or kwargs, not both")
    if not args and not kwargs:
        return None
    if len(args) == 1:
        return args[0]
    return args or kwargs
