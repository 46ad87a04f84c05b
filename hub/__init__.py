"""The Knowledge Hub backend: create_app() builds the Flask application."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask

from hub.config import load_settings
from hub.logs import configure_logging

log = logging.getLogger("hub")


def create_app(overrides: dict | None = None) -> Flask:
    """Build the app: settings, extensions, blueprints, CLI, error handlers."""
    configure_logging()
    app = Flask(__name__)
    app.config.from_mapping(load_settings(overrides))
    app.json.sort_keys = False
    Path(app.config["HUB_DATA_DIR"]).mkdir(parents=True, exist_ok=True)

    _init_extensions(app)
    _register_blueprints(app)

    from hub import cli, errors, outbox

    errors.register_error_handlers(app)
    cli.register(app)
    outbox.init_app(app)
    return app


def _init_extensions(app: Flask) -> None:
    from hub.auth import guard
    from hub.extensions import api, db, limiter, mail, migrate, socketio

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent.parent / "migrations"))
    limiter.init_app(app)
    mail.init_app(app)
    api.init_app(app)
    api.spec.components.security_scheme(
        "bearer", {"type": "http", "scheme": "bearer", "description": "POST /auth/tokens"}
    )
    api.spec.components.security_scheme(
        "cookie", {"type": "apiKey", "in": "cookie", "name": app.config["SESSION_COOKIE_NAME"]}
    )
    guard.init_app(app)
    socketio.init_app(
        app,
        cors_allowed_origins=app.config["HUB_ALLOWED_ORIGINS"],
        message_queue=app.config["HUB_REDIS_URL"],
        logger=False,
        engineio_logger=False,
    )


def _register_blueprints(app: Flask) -> None:
    from hub import ops
    from hub.auth import api as auth_api
    from hub.extensions import api
    from hub.messages import api as messages_api
    from hub.notifications import api as notifications_api
    from hub.people import api as people_api

    # Import for their models and outbox handlers.
    import hub.mail  # noqa: F401

    app.register_blueprint(ops.blp)
    for blueprint in (
        auth_api.blp,
        auth_api.admin_blp,
        people_api.blp,
        messages_api.blp,
        notifications_api.blp,
    ):
        api.register_blueprint(blueprint)
