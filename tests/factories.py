"""Make people and signed-in clients for tests, through the public API where it matters."""

from __future__ import annotations

import itertools
import re

from flask import Flask

from hub.auth.models import User
from hub.auth.passwords import hash_password
from hub.auth.service import create_token
from hub.db import utcnow
from hub.extensions import db

PASSWORD = "correct horse battery staple"
_counter = itertools.count(1)


def reset_token_in(body: str) -> str:
    """The token of a password reset email: the line of its own after the instructions."""
    found = re.search(r"^([A-Za-z0-9_-]{40,})$", body, re.MULTILINE)
    assert found, body
    return found.group(1)


class ApiClient:
    """A test client that signs every request with a bearer token, as a program would."""

    def __init__(self, app: Flask, user_id: int, token: str) -> None:
        self.app = app
        self.user_id = user_id
        self.token = token
        self.client = app.test_client()

    def open(self, method: str, path: str, **kwargs):
        headers = {"Authorization": f"Bearer {self.token}", **kwargs.pop("headers", {})}
        return self.client.open(path, method=method, headers=headers, **kwargs)

    def get(self, path: str, **kwargs):
        return self.open("GET", path, **kwargs)

    def post(self, path: str, **kwargs):
        return self.open("POST", path, **kwargs)

    def patch(self, path: str, **kwargs):
        return self.open("PATCH", path, **kwargs)

    def put(self, path: str, **kwargs):
        return self.open("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs):
        return self.open("DELETE", path, **kwargs)


class Factory:
    def __init__(self, app: Flask) -> None:
        self.app = app

    def user(self, **fields) -> User:
        n = next(_counter)
        now = utcnow()
        values = {
            "email": f"person{n}@council{n % 7}.gov.uk",
            "name": f"Person {n}",
            "role": "officer",
            "organisation": f"Council {n % 7}",
            "email_verified_at": now,
            "approved_at": now,
        }
        values.update(fields)
        with self.app.app_context():
            user = User(password_hash=hash_password(PASSWORD), **values)
            db.session.add(user)
            db.session.commit()
            db.session.refresh(user)
            db.session.expunge(user)
        return user

    def client_for(self, user: User) -> ApiClient:
        """A client signed in with a personal API token, made by the service the tokens
        endpoint calls (signing in and making a token through the API have tests of their
        own; made here for each of the thousands of people the tests need, two requests
        each were a twelfth of the suite's time)."""
        with self.app.app_context():
            _record, token = create_token(db.session.get(User, user.id), "tests")
        return ApiClient(self.app, user.id, token)

    def person(self, **fields) -> ApiClient:
        """A new person, signed in."""
        return self.client_for(self.user(**fields))
