"""Health and readiness for load balancers and orchestrators, and the live channel's
AsyncAPI document."""

from __future__ import annotations

from flask import current_app, jsonify
from sqlalchemy import text

from hub.blueprint import Blueprint
from hub.extensions import db
from hub.live import asyncapi

blp = Blueprint("ops", __name__, description="Health checks")


@blp.route("/healthz", methods=["GET"])
def healthz():
    """200 while the process is up."""
    return jsonify({"status": "ok"})


@blp.route("/api/asyncapi.json", methods=["GET"])
def asyncapi_json():
    """The AsyncAPI 3 document of the live channel, beside the OpenAPI one."""
    return jsonify(asyncapi.document())


@blp.route("/readyz", methods=["GET"])
def readyz():
    """200 when the database, the search index and Redis (if configured) answer; else 503."""
    checks = {"database": _database_answers()}
    for name, probe in current_app.extensions.get("hub_readiness", {}).items():
        checks[name] = _safely(probe)
    if current_app.config.get("HUB_REDIS_URL"):
        checks["redis"] = _redis_answers()
    down = sorted(name for name, ok in checks.items() if not ok)
    body = {"status": "ok" if not down else "unavailable", "checks": checks}
    for name, describe in current_app.extensions.get("hub_readiness_details", {}).items():
        body[name] = describe()  # e.g. which search backend answers
    if down:
        body["message"] = "Not ready: " + ", ".join(down) + " did not answer."
    return jsonify(body), 503 if down else 200


def _safely(probe) -> bool:
    try:
        return bool(probe())
    except Exception:
        current_app.logger.exception("readiness probe failed")
        return False


def _database_answers() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except Exception:
        current_app.logger.exception("database did not answer")
        db.session.rollback()
        return False


def _redis_answers() -> bool:
    import redis

    try:
        client = redis.Redis.from_url(
            current_app.config["HUB_REDIS_URL"], socket_connect_timeout=1, socket_timeout=1
        )
        return bool(client.ping())
    except Exception:
        return False
