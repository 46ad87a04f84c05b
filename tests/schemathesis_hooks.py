"""Schemathesis hooks for tests/test_schemathesis.py (loaded by `st run` through
SCHEMATHESIS_HOOKS): every call is signed in as the fixture's person.

The run calls DELETE /auth/tokens/{token_id} too, and may revoke the very token it signs
in with; on a 401, schemathesis asks this provider again, which signs in afresh.
"""

from __future__ import annotations

import os

import requests
import schemathesis


@schemathesis.auth()
class SignedIn:
    def get(self, case, ctx) -> str:
        base = os.environ["HUB_FUZZ_URL"]
        browser = requests.Session()
        login = browser.post(
            f"{base}/api/v1/auth/login",
            json={
                "email": os.environ["HUB_FUZZ_EMAIL"],
                "password": os.environ["HUB_FUZZ_PASSWORD"],
            },
            timeout=10,
        )
        login.raise_for_status()
        made = browser.post(
            f"{base}/api/v1/auth/tokens",
            json={"name": "schemathesis"},
            headers={"X-CSRF-Token": login.json()["csrf_token"]},
            timeout=10,
        )
        made.raise_for_status()
        return made.json()["token"]

    def set(self, case, data: str, ctx) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}
