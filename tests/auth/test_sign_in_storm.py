"""Many people signing in at once: a few password hashes run at a time, and the rest are
told to try again in a moment (429 with Retry-After) instead of queueing without end."""

from __future__ import annotations

import threading

import pytest
import requests

from tests.factories import PASSWORD
from tests.live.helpers import API, ThreadedServer


@pytest.fixture
def app_settings():
    # One hash at a time, each a real scrypt of 256 MiB (~0.4 s or more on any machine):
    # 12 at once cannot all get a turn within the 2 s a sign-in waits.
    return {"HUB_PASSWORD_HASH": "scrypt:262144:8:1", "HUB_PASSWORD_HASH_SLOTS": 1}


@pytest.mark.parametrize("database", ["sqlite"])
def test_a_sign_in_storm_is_bounded_and_told_to_retry(app, factory):
    person = factory.user()
    server = ThreadedServer(app)
    answers: list[requests.Response] = []
    try:

        def sign_in():
            answers.append(
                requests.post(
                    f"{server.url}{API}/auth/login",
                    json={"email": person.email, "password": PASSWORD},
                    timeout=60,
                )
            )

        storm = [threading.Thread(target=sign_in) for _ in range(12)]
        for thread in storm:
            thread.start()
        for thread in storm:
            thread.join(60)
    finally:
        server.stop()
    statuses = sorted(a.status_code for a in answers)
    assert len(statuses) == 12 and set(statuses) <= {200, 429}, statuses
    assert 200 in statuses and 429 in statuses, statuses
    refused = next(a for a in answers if a.status_code == 429)
    assert int(refused.headers["Retry-After"]) >= 1
    assert "try again" in refused.json()["message"]
