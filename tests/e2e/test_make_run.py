"""`make run` on an empty data directory, then again on the same data."""

import pytest
import requests

from hub.demo import DEMO_PASSWORD, DEMO_PEOPLE

pytestmark = pytest.mark.e2e


def sign_in(url: str) -> requests.Session:
    session = requests.Session()
    login = session.post(
        f"{url}/api/v1/auth/login", json={"email": DEMO_PEOPLE[0][0], "password": DEMO_PASSWORD}
    )
    assert login.status_code == 200, login.text
    session.headers["X-CSRF-Token"] = login.json()["csrf_token"]
    return session


@pytest.mark.long
def test_make_run_serves_seeds_once_and_restarts_on_the_same_data(start_server, tmp_path):
    first = start_server(["make", "--no-print-directory", "run"])
    log = first.log_path.read_text()
    assert "Sign in as" in log
    # The made-up demo people's notification emails are not printed over that line.
    assert "Subject:" not in log
    session = sign_in(first.url)
    people = session.get(f"{first.url}/api/v1/people").json()
    assert len(people) == len(DEMO_PEOPLE)
    session.patch(f"{first.url}/api/v1/me", json={"region": "Greater London"})
    first.stop()

    second = start_server(["make", "--no-print-directory", "run"])
    assert "not seeding" in second.log_path.read_text()
    again = sign_in(second.url)
    assert again.get(f"{second.url}/api/v1/me").json()["region"] == "Greater London"
    assert len(again.get(f"{second.url}/api/v1/people").json()) == len(DEMO_PEOPLE)
    ready = requests.get(f"{second.url}/readyz")
    assert ready.status_code == 200 and ready.json()["checks"]["database"] is True
