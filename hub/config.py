"""Every setting, read from HUB_* environment variables, with defaults that run embedded."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

DEFAULT_PUBLIC_SECTOR_DOMAINS = (
    "gov.uk,nhs.uk,nhs.net,police.uk,mod.uk,parliament.uk,gov.scot,gov.wales,llyw.cymru,"
    "nidirect.gov.uk,fire.uk,ac.uk,sch.uk"
)


class ConfigError(RuntimeError):
    """A setting is missing or wrong; the message says which and how to fix it."""


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def load_settings(overrides: dict | None = None) -> dict:
    """Build the Flask config from the environment, then apply overrides (tests)."""
    overrides = dict(overrides or {})
    env = overrides.get("HUB_ENV") or _env("HUB_ENV", "development")
    if env not in ("development", "production", "testing"):
        raise ConfigError(f"HUB_ENV is {env!r}; use development, production or testing.")
    production = env == "production"
    data_dir = Path(overrides.get("HUB_DATA_DIR") or _env("HUB_DATA_DIR", "instance")).resolve()
    port = int(_env("PORT", "5000"))

    secret = overrides.get("SECRET_KEY") or _env("HUB_SECRET_KEY")
    if not secret:
        if production:
            raise ConfigError(
                "HUB_SECRET_KEY is not set. Production refuses to start without one: "
                'set it to a long random value, e.g. python -c "import secrets; '
                'print(secrets.token_urlsafe(48))".'
            )
        secret = "development-only-secret-not-for-production"

    database_url = _env("HUB_DATABASE_URL") or f"sqlite:///{data_dir / 'hub.sqlite3'}"
    if database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgresql://")
    redis_url = _env("HUB_REDIS_URL")
    origins = _env("HUB_ALLOWED_ORIGINS")
    allowed_origins = (
        [o.strip() for o in origins.split(",") if o.strip()]
        if origins
        else [f"http://127.0.0.1:{port}", f"http://localhost:{port}"]
    )
    domains = _env("HUB_PUBLIC_SECTOR_DOMAINS", DEFAULT_PUBLIC_SECTOR_DOMAINS)
    max_upload_mb = int(_env("HUB_MAX_UPLOAD_MB", "50"))

    settings = {
        "HUB_ENV": env,
        "HUB_DATA_DIR": str(data_dir),
        "PORT": port,
        "SECRET_KEY": secret,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "HUB_REDIS_URL": redis_url,
        "HUB_REDIS_PREFIX": _env("HUB_REDIS_PREFIX"),
        "HUB_ALLOWED_ORIGINS": allowed_origins,
        "HUB_EMAIL_VERIFICATION": _env(
            "HUB_EMAIL_VERIFICATION", "required" if production else "off"
        ),
        "HUB_PUBLIC_SECTOR_DOMAINS": [d.strip().lower() for d in domains.split(",") if d],
        "HUB_MAX_UPLOAD_MB": max_upload_mb,
        "MAX_CONTENT_LENGTH": max_upload_mb * 1024 * 1024 + 64 * 1024,
        "HUB_REGISTER_LIMIT": _env("HUB_REGISTER_LIMIT", "20 per hour"),
        "HUB_LOGIN_FAILURE_LIMIT": _env("HUB_LOGIN_FAILURE_LIMIT", "10 per 15 minutes"),
        # Reset emails asked for, per address and per email address asked about.
        "HUB_PASSWORD_RESET_LIMIT": _env("HUB_PASSWORD_RESET_LIMIT", "5 per hour"),
        # How the outbox is drained: a background thread (embedded), inline after each
        # request (tests), or by a separate `flask hub worker` process (production).
        "HUB_OUTBOX_DRAIN": _env("HUB_OUTBOX_DRAIN", "worker" if production else "thread"),
        # The search backend: `postgres` (PostgreSQL's full-text search, in the hub's own
        # database; every web host serves search) or `whoosh` (an index directory in
        # HUB_DATA_DIR, one host). Unset: postgres on a PostgreSQL database, else whoosh.
        "HUB_SEARCH_BACKEND": _env("HUB_SEARCH_BACKEND"),
        # werkzeug's method string; tests use a cheaper scrypt cost to stay quick.
        "HUB_PASSWORD_HASH": _env("HUB_PASSWORD_HASH", "scrypt"),
        # Password hashes computed at once per process (each ~0.1 s of a core); sign-ins
        # beyond them wait up to 2 s for a turn, then answer 429.
        "HUB_PASSWORD_HASH_SLOTS": int(
            _env("HUB_PASSWORD_HASH_SLOTS", str(max(2, os.cpu_count() or 2)))
        ),
        # `flask hub prune`: audit entries kept six years (the UK limitation period for
        # claims), closed reports one year after they were closed; open reports always.
        "HUB_AUDIT_RETENTION_DAYS": int(_env("HUB_AUDIT_RETENTION_DAYS", "2190")),
        "HUB_REPORT_RETENTION_DAYS": int(_env("HUB_REPORT_RETENTION_DAYS", "365")),
        "HUB_BASE_URL": _env("HUB_BASE_URL", f"http://127.0.0.1:{port}"),
        # The Whoosh backend's accelerator (hub/search/accelerator.py): "off" searches with
        # Whoosh's own matchers only (the same results, slower).
        "HUB_SEARCH_ACCELERATOR": _env("HUB_SEARCH_ACCELERATOR", "on"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "SESSION_COOKIE_NAME": "hub_session",
        "REMEMBER_COOKIE_SECURE": production,
        "JSON_SORT_KEYS": False,
        # flask-smorest / OpenAPI
        "API_TITLE": "Knowledge Hub API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api",
        "OPENAPI_JSON_PATH": "openapi.json",
        "OPENAPI_SWAGGER_UI_PATH": "/docs",
        # Swagger UI from the hub's own files (bin/vendor-assets, pinned in package.json).
        "OPENAPI_SWAGGER_UI_URL": "/assets/swagger-ui/",
        # Flask-Limiter: memory embedded, Redis when configured.
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        # Redis away: limits are counted in memory (with a logged warning) until it is back,
        # rather than sign-in answering 500.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_HEADERS_ENABLED": True,
        # Said outright: the limiter is one object for every app of a process, and it keeps
        # the last app's choice for an app that says nothing.
        "RATELIMIT_ENABLED": True,
        # Flask-Mailman: console in development, SMTP when HUB_MAIL_SERVER is set.
        "MAIL_BACKEND": "smtp" if _env("HUB_MAIL_SERVER") else "console",
        "MAIL_SERVER": _env("HUB_MAIL_SERVER", "localhost"),
        "MAIL_PORT": int(_env("HUB_MAIL_PORT", "25")),
        "MAIL_USERNAME": _env("HUB_MAIL_USERNAME"),
        "MAIL_PASSWORD": _env("HUB_MAIL_PASSWORD"),
        "MAIL_USE_TLS": _env("HUB_MAIL_USE_TLS", "false").lower() == "true",
        "MAIL_DEFAULT_SENDER": _env("HUB_MAIL_FROM", "Knowledge Hub <noreply@knowledgehub.local>"),
    }
    settings.update(overrides)
    # Every Redis key and channel of this deployment starts with this, so that two
    # deployments (or test runs) sharing a Redis never see each other's; named after the
    # database by default, which the processes of one deployment share.
    if not settings["HUB_REDIS_PREFIX"]:
        database = settings["SQLALCHEMY_DATABASE_URI"].encode()
        settings["HUB_REDIS_PREFIX"] = "hub:" + hashlib.sha1(database).hexdigest()[:10]
    settings.setdefault("RATELIMIT_KEY_PREFIX", settings["HUB_REDIS_PREFIX"])
    # A server's connections can go stale (restarts, idle timeouts): test each one as it
    # leaves the pool. A SQLite file cannot, and the test would cost every request a
    # statement.
    sqlite = settings["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
    settings.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": not sqlite})
    if settings["HUB_EMAIL_VERIFICATION"] not in ("required", "off"):
        raise ConfigError("HUB_EMAIL_VERIFICATION must be 'required' or 'off'.")
    if settings["HUB_OUTBOX_DRAIN"] not in ("thread", "inline", "worker"):
        raise ConfigError("HUB_OUTBOX_DRAIN must be 'thread', 'inline' or 'worker'.")
    if settings["HUB_SEARCH_ACCELERATOR"] not in ("on", "off"):
        raise ConfigError("HUB_SEARCH_ACCELERATOR must be 'on' or 'off'.")
    return settings
