"""The two references the hub's endpoints are measured against, in a tiny separate app.

- GET /bare: a bare Flask JSON response (the ceiling of the framework and server).
- GET /one-query: one indexed SQLAlchemy query (20 people of one organisation, through the
  index on users.organisation) and a marshmallow dump of the 20 rows: the practical ceiling
  for any real endpoint.

It reads the hub's own seeded database (the same file or server, the same rows), but shares
no code with the hub. Run it under the same gunicorn settings as the hub:

    REFERENCE_DATABASE_URL=sqlite:////tmp/hub-full/hub.sqlite3 \\
        gunicorn -w 2 -b 127.0.0.1:8732 bench.reference_app:app
"""

from __future__ import annotations

import os
from datetime import datetime

from flask import Flask, jsonify
from flask_sqlalchemy import SQLAlchemy
from marshmallow import Schema, fields
from sqlalchemy import DateTime, Integer, String, Text, event, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def _database_url() -> str:
    url = os.environ.get("REFERENCE_DATABASE_URL")
    if not url:
        data_dir = os.environ.get("HUB_DATA_DIR", "instance")
        url = f"sqlite:///{os.path.abspath(os.path.join(data_dir, 'hub.sqlite3'))}"
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class Person(db.Model):
    """A read-only view of some columns of the hub's users table."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))
    organisation: Mapped[str | None] = mapped_column(String(160), index=True)
    job_title: Mapped[str | None] = mapped_column(String(160))
    region: Mapped[str | None] = mapped_column(String(80))
    bio: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class PersonSchema(Schema):
    id = fields.Int()
    name = fields.Str()
    role = fields.Str()
    organisation = fields.Str(allow_none=True)
    job_title = fields.Str(allow_none=True)
    region = fields.Str(allow_none=True)
    bio = fields.Str(allow_none=True)
    created_at = fields.DateTime()


people_schema = PersonSchema(many=True)
ORGANISATION = os.environ.get("REFERENCE_ORGANISATION", "Leeds City Council")

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = _database_url()
db.init_app(app)


@app.get("/bare")
def bare():
    return jsonify({"status": "ok", "service": "reference"})


@app.get("/one-query")
def one_query():
    rows = db.session.scalars(
        select(Person).where(Person.organisation == ORGANISATION).order_by(Person.id).limit(20)
    ).all()
    return jsonify({"items": people_schema.dump(rows)})
