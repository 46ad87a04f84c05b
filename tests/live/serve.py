"""A live server process for the multi-process tests: create_app + create_all + socketio.run.

Settings come from the environment (HUB_DATABASE_URL, HUB_REDIS_URL, HUB_DATA_DIR, PORT);
the test settings below make it quick. Migrations may lag behind new models while the
project grows, so this makes the tables itself (a no-op when they exist). The tests start
it through `tests/live/zygote.py`, which forks it from a warm parent; `python -m
tests.live.serve` runs the same server by hand.
"""

from __future__ import annotations

import os

from hub import create_app
from hub.extensions import db, socketio


def make_app():
    return create_app(
        {
            "HUB_ENV": "testing",
            "HUB_OUTBOX_DRAIN": "inline",
            "HUB_EMAIL_VERIFICATION": "off",
            "HUB_PASSWORD_HASH": "scrypt:128:8:1",
            "MAIL_BACKEND": "locmem",
        }
    )


def serve() -> None:
    app = make_app()
    with app.app_context():
        db.create_all()
    socketio.run(
        app,
        host="127.0.0.1",
        port=int(os.environ["PORT"]),
        allow_unsafe_werkzeug=True,
        use_reloader=False,
        log_output=False,
    )


if __name__ == "__main__":
    serve()
