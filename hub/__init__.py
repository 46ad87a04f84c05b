"""The Knowledge Hub backend: create_app() builds the Flask application."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask

from hub import compat
from hub.config import load_settings
from hub.json_provider import OrjsonProvider
from hub.logs import configure_logging

log = logging.getLogger("hub")


def create_app(overrides: dict | None = None) -> Flask:
    """Build the app: settings, extensions, blueprints, CLI, error handlers."""
    configure_logging()
    compat.check_versions()
    app = Flask(__name__)
    app.config.from_mapping(load_settings(overrides))
    app.json = OrjsonProvider(app)
    app.json.sort_keys = False
    Path(app.config["HUB_DATA_DIR"]).mkdir(parents=True, exist_ok=True)

    from hub.db import IdConverter

    app.url_map.converters["int"] = IdConverter
    _init_extensions(app)
    _register_blueprints(app)
    _init_features(app)
    return app


def _init_features(app: Flask) -> None:
    """What each feature does at start-up, said here rather than done by an import."""
    from hub import cli, errors, library, mail, outbox, search, web
    from hub.live import personal

    errors.register_error_handlers(app)
    web.init_app(app)  # after the API's: the pages' error handlers hand the API back its own
    cli.register(app)
    mail.init_app(app)
    personal.init_app(app)
    search.init_app(app)
    library.init_app(app)
    outbox.init_app(app)


def _init_extensions(app: Flask) -> None:
    from hub import cors, openapi
    from hub.auth import guard
    from hub.extensions import api, db, limiter, mail, migrate, socketio
    from hub.live import events as live_events
    from hub.live.runtime import redis_namespace

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent.parent / "migrations"))
    limiter.init_app(app)
    compat.skip_limiter_check_before_every_request(app, limiter)
    mail.init_app(app)
    api.init_app(app, spec_kwargs={"extra_plugins": [openapi.HubPlugin()]})
    api.ma_plugin.converter.add_attribute_function(openapi.text_without_nul)
    api.spec.components.security_scheme(
        "bearer", {"type": "http", "scheme": "bearer", "description": "POST /auth/tokens"}
    )
    api.spec.components.security_scheme(
        "cookie", {"type": "apiKey", "in": "cookie", "name": app.config["SESSION_COOKIE_NAME"]}
    )
    cors.init_app(app)  # before the guard: a preflight carries no credentials
    guard.init_app(app)
    # The live namespace's handlers must exist before the first init_app binds them.
    live_events.register_handlers()

    # Flask-SocketIO keeps an earlier init_app's options in the process, its queue included:
    # without Redis, ask for the in-process manager, or an app made after one with Redis
    # (tests, `flask` commands) would publish on that app's channel.
    redis_url = app.config["HUB_REDIS_URL"]
    queue = (
        {"message_queue": redis_url, "channel": redis_namespace(app)}
        if redis_url
        else {"client_manager": None}
    )
    socketio.init_app(
        app,
        async_mode=_socketio_async_mode(),
        # HUB_ALLOWED_ORIGINS, with tokens from anywhere: see policy.may_open_live_transport.
        cors_allowed_origins=live_events.transport_origin_check(app),
        **queue,
        logger=False,
        engineio_logger=False,
    )
    app.wsgi_app = live_events.without_websocket_compression(app.wsgi_app)


def _socketio_async_mode() -> str:
    """gevent under gunicorn's gevent worker (which patched the standard library), else
    threading: an installed but unpatched gevent must not be picked by autodetection."""
    try:
        from gevent import monkey
    except ImportError:
        return "threading"
    return "gevent" if monkey.is_module_patched("socket") else "threading"


def _register_blueprints(app: Flask) -> None:
    from hub import ops
    from hub.account import api as account_api
    from hub.account import views as account_views
    from hub.audit import api as audit_api
    from hub.auth import api as auth_api
    from hub.auth import views as auth_views
    from hub.extensions import api
    from hub.feed import api as feed_api
    from hub.feed import views as feed_views
    from hub.forum import api as forum_api
    from hub.forum import views as forum_views
    from hub.groups import api as groups_api
    from hub.groups import views as groups_views
    from hub.library import api as library_api
    from hub.library import views as library_views
    from hub.live import api as live_api
    from hub.live import views as live_views
    from hub.messages import api as messages_api
    from hub.messages import views as messages_views
    from hub.notifications import api as notifications_api
    from hub.notifications import views as notifications_views
    from hub.people import api as people_api
    from hub.people import views as people_views
    from hub.reports import api as reports_api
    from hub.search import api as search_api
    from hub.search import views as search_views
    from hub.suggestions import api as suggestions_api
    from hub.suggestions import views as suggestions_views

    app.register_blueprint(ops.blp)
    for blueprint in (
        auth_api.blp,
        auth_api.admin_blp,
        account_api.blp,
        people_api.blp,
        messages_api.blp,
        notifications_api.blp,
        groups_api.blp,
        forum_api.blp,
        suggestions_api.blp,
        library_api.blp,
        feed_api.blp,
        search_api.blp,
        live_api.blp,
        reports_api.blp,
        audit_api.blp,
    ):
        api.register_blueprint(blueprint)
    # Pages: each feature's views.py, at the site root (hub.web is their shell).
    for blueprint in (
        feed_views.blp,
        auth_views.blp,
        account_views.blp,
        groups_views.blp,
        forum_views.blp,
        search_views.blp,
        people_views.blp,
        library_views.blp,
        suggestions_views.blp,
        live_views.blp,
        messages_views.blp,
        notifications_views.blp,
    ):
        app.register_blueprint(blueprint)
