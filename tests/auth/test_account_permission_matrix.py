"""The accounts and site-admin endpoints, walked with every kind of caller: nobody acts on
another person's sessions, tokens, password or account, and only site admins act on
accounts.

Each cell is called in a fresh little world: `target` owns a browser session and a token;
the caller is nobody, the target themself, another person, or a site admin.
"""

from __future__ import annotations

import itertools

import pytest

from hub.auth.models import BrowserSession
from hub.extensions import db
from tests.factories import PASSWORD

API = "/api/v1"
_fresh = itertools.count()
CALLERS = ("anonymous", "self", "other", "site_admin")

# endpoint -> status per caller, in CALLERS order. {session}, {token} and {target} are the
# target's own; the body is what a real client would send.
EXPECTED = {
    "GET /auth/sessions": (401, 200, 200, 200),
    "DELETE /auth/sessions/{session}": (401, 204, 404, 404),
    "GET /auth/tokens": (401, 200, 200, 200),
    "DELETE /auth/tokens/{token}": (401, 204, 404, 404),
    "POST /auth/tokens": (401, 201, 201, 201),
    "GET /auth/csrf": (401, 200, 200, 200),
    "POST /auth/logout": (401, 204, 204, 204),
    # Acts on the caller's own account only: there is no way to name anyone else's.
    "POST /auth/password": (401, 204, 204, 204),
    "POST /auth/verify-email/resend": (401, 409, 409, 409),
    "POST /admin/users/{target}/deactivate": (401, 403, 403, 200),
    "POST /admin/users/{target}/reactivate": (401, 403, 403, 200),
    "GET /admin/accounts/awaiting-approval": (401, 403, 403, 200),
    "POST /admin/accounts/{target}/approve": (401, 403, 403, 200),
    # The caller's own account, always: "other" and the admin close or export their own
    # (test_closing_one_account_leaves_everyone_else_s, tests/account/test_closing.py).
    "DELETE /me": (401, 204, 204, 204),
    "GET /me/export": (401, 200, 200, 200),
    # Public: the same answer for anyone.
    "POST /auth/password-reset": (202, 202, 202, 202),
    "POST /auth/password-reset/confirm": (422, 422, 422, 422),
    "POST /auth/verify-email": (422, 422, 422, 422),
    "POST /auth/login": (200, 200, 200, 200),
    "POST /auth/register": (201, 201, 201, 201),
}


def _body(endpoint: str, target) -> dict:
    return {
        "POST /auth/tokens": {"name": "matrix"},
        "DELETE /me": {"password": PASSWORD},
        "POST /auth/password": {
            "current_password": PASSWORD,
            "new_password": "an entirely new passphrase",
        },
        "POST /auth/password-reset": {"email": target.email},
        "POST /auth/password-reset/confirm": {"token": "not-a-token", "password": "whatever1234"},
        "POST /auth/verify-email": {"token": "not-a-token"},
        "POST /auth/login": {"email": target.email, "password": PASSWORD},
        "POST /auth/register": {
            "email": f"new.person.{next(_fresh)}@leeds.gov.uk",
            "password": "a long and unusual passphrase",
            "name": "New Person",
            "role": "officer",
        },
    }.get(endpoint, {})


def _call(app, factory, endpoint: str, caller: str):
    target_user = factory.user()
    signed_in = app.test_client().post(
        f"{API}/auth/login", json={"email": target_user.email, "password": PASSWORD}
    )  # a browser session of the target's
    assert signed_in.status_code == 200, signed_in.json
    target = factory.client_for(target_user)  # and a token
    with app.app_context():
        session_id = db.session.query(BrowserSession.id).filter_by(user_id=target.user_id).scalar()
    token_id = target.get(f"{API}/auth/tokens").json[0]["id"]
    callers = {
        "self": target,
        "other": factory.person(),
        "site_admin": factory.client_for(factory.user(is_admin=True)),
    }
    method, path = endpoint.split(" ")
    path = path.format(session=session_id, token=token_id, target=target.user_id)
    body = _body(endpoint, target_user)
    if caller == "anonymous":
        return app.test_client().open(f"{API}{path}", method=method, json=body)
    return callers[caller].open(method, f"{API}{path}", json=body)


def test_the_table_covers_every_accounts_and_admin_route(app):
    routes = {
        f"{method} {rule.rule.removeprefix(API)}"
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith(("auth.", "admin.", "account."))
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    covered = {
        endpoint.replace("{session}", "<int:session_id>")
        .replace("{token}", "<int:token_id>")
        .replace("{target}", "<int:user_id>")
        for endpoint in EXPECTED
    }
    assert routes == covered


@pytest.mark.parametrize("endpoint", list(EXPECTED))
def test_each_caller_gets_what_the_table_says(app, factory, endpoint):
    mismatches = []
    for caller, want in zip(CALLERS, EXPECTED[endpoint], strict=True):
        response = _call(app, factory, endpoint, caller)
        assert response.status_code < 500, (endpoint, caller, response.get_data(True))
        if response.status_code >= 400:
            assert response.json["message"], (endpoint, caller)
        if response.status_code != want:
            mismatches.append(f"{endpoint} as {caller}: {response.status_code}, expected {want}")
        response.close()  # a streamed body (the export) nobody read ends here, in context
    assert mismatches == []
