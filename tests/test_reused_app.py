"""The worker's reused app (tests/conftest.py): what one test leaves behind, the next
test never sees."""

from __future__ import annotations

from tests.conftest import reused_app
from tests.factories import PASSWORD, Factory
from tests.groups.helpers import make_group, sent_mail
from tests.search.helpers import API, search, start_thread


def _leave_traces(app) -> tuple[str, int]:
    """Everything a test can leave: rows, an indexed thread, a mail, a changed setting."""
    owner = Factory(app).person(email="traces@camden.gov.uk")
    group = make_group(owner, "open")
    start_thread(owner, group, "Damp and mould", "Zyxwordleft in the index.")
    assert search(owner, "zyxwordleft")["total"] == 1
    asked = app.test_client().post(
        f"{API}/auth/password-reset", json={"email": "traces@camden.gov.uk"}
    )
    assert asked.status_code == 202 and len(sent_mail(app)) == 1
    app.config["MAX_CONTENT_LENGTH"] = 1024
    return "traces@camden.gov.uk", owner.user_id


def test_the_next_test_starts_from_nothing(database, tmp_path):
    first = reused_app.get(database, tmp_path / "first", {})
    email, first_id = _leave_traces(first)

    again = reused_app.get(database, tmp_path / "second", {})
    assert again is first  # reused, not rebuilt
    client = again.test_client()
    login = client.post(f"{API}/auth/login", json={"email": email, "password": PASSWORD})
    assert login.status_code == 401  # the person is gone
    assert sent_mail(again) == []
    newcomer = Factory(again).person()
    assert newcomer.user_id == first_id  # ids start again
    assert newcomer.get(f"{API}/groups").json == []
    # A new open group takes the old one's id: the old index would show its thread.
    make_group(newcomer, "open")
    assert search(newcomer, "zyxwordleft")["total"] == 0
    big = client.post(f"{API}/auth/login", data="x" * 4096, content_type="application/json")
    assert big.status_code != 413  # the setting is back to the base


def test_a_test_with_its_own_settings_gets_an_app_built_for_them(database, tmp_path):
    base = reused_app.get(database, tmp_path / "base", {})
    own = reused_app.get(database, tmp_path / "own", {"HUB_EMAIL_VERIFICATION": "required"})
    assert own is not base and own.config["HUB_EMAIL_VERIFICATION"] == "required"
    assert reused_app.get(database, tmp_path / "again", {}).config["HUB_EMAIL_VERIFICATION"] == (
        "off"
    )
