"""Schemathesis over every operation of the OpenAPI document, against a real server.

The app is served by werkzeug from a thread, on PostgreSQL, with a signed-in
person (a bearer token) who owns a group with a thread, a suggestion, a folder, a file and a
live session, so that the generated calls reach more than 404s. Every check is on, the run
is seeded and bounded (EXAMPLES per operation); it must end with no failure at all.

The few rules a schema cannot state (a wrong current password, an expired reset token) are
listed in docs/api.md, "What the OpenAPI document cannot say"; they are excused below by
name, each for the one operation it belongs to.

PostgreSQL only: it is the stricter of the two (integer ranges, NUL in text) and the one
many hosts share; the run costs ~40 s, and every API test runs on both databases anyway.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import PASSWORD, Factory
from tests.live.helpers import ThreadedServer

SEED = 21
EXAMPLES = 5


def fixture_data(factory: Factory) -> str:
    """A person with something of everything, and another to talk to; their email."""
    person = factory.user(name="Fuzz Owner")
    owner = factory.client_for(person)
    other = factory.person(name="Other Person")
    group = owner.post("/api/v1/groups", json={"name": "Damp and mould", "visibility": "open"})
    assert group.status_code == 201, group.json
    group_id = group.json["id"]
    assert other.post(f"/api/v1/groups/{group_id}/join").status_code < 300
    thread = owner.post(
        f"/api/v1/groups/{group_id}/threads", json={"title": "Surveys", "body": "Who surveys?"}
    )
    assert thread.status_code == 201, thread.json
    reply = other.post(f"/api/v1/threads/{thread.json['id']}/posts", json={"body": "We do."})
    assert reply.status_code == 201, reply.json
    suggestion = owner.post(
        f"/api/v1/groups/{group_id}/suggestions", json={"title": "Share", "body": "A template"}
    )
    assert suggestion.status_code == 201, suggestion.json
    folder = owner.post(f"/api/v1/groups/{group_id}/library/folders", json={"name": "Policies"})
    assert folder.status_code == 201, folder.json
    upload = owner.post(
        f"/api/v1/groups/{group_id}/library/files",
        data={"file": (io.BytesIO(b"Damp policy, draft one."), "policy.txt"), "title": "Policy"},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 201, upload.json
    live = owner.post(
        f"/api/v1/groups/{group_id}/live-sessions",
        json={"title": "Ask us", "starts_at": "2030-01-01T10:00:00Z"},
    )
    assert live.status_code == 201, live.json
    message = owner.post(
        "/api/v1/conversations", json={"participant_ids": [other.user_id], "text": "Hello"}
    )
    assert message.status_code == 201, message.json
    assert owner.post(f"/api/v1/people/{other.user_id}/connect").status_code < 300
    return person.email


# What the schema cannot say, by operation: the status it may then answer to a request the
# schema allows, and why (docs/api.md, "What the OpenAPI document cannot say"). Only
# positive_data_acceptance takes these statuses, and only for that operation.
EXCUSED = {
    "DELETE /api/v1/me": (422, "a wrong password"),
    "POST /api/v1/auth/password": (422, "a wrong current password, or a weak new one"),
    "POST /api/v1/auth/register": (422, "a weak password: common, or holding the name or email"),
    "POST /api/v1/auth/password-reset/confirm": (422, "a reset token that was never sent"),
    "POST /api/v1/auth/verify-email": (422, "a confirmation token that was never sent"),
    "POST /api/v1/people/{person_id}/connect": (422, "yourself"),
    "POST /api/v1/people/{person_id}/block": (422, "yourself"),
    "POST /api/v1/conversations": (422, "yourself, or a person who does not exist"),
    "DELETE /api/v1/groups/{group_id}/members/{user_id}": (422, "yourself"),
    "POST /api/v1/groups/{group_id}/invitations": (422, "a person who does not exist"),
    "POST /api/v1/threads/{thread_id}/posts": (422, "reply_to: no such post in the thread"),
    "PATCH /api/v1/library/files/{file_id}": (422, "folder_id: no such folder in the group"),
    "POST /api/v1/groups/{group_id}/library/folders": (422, "parent_id: no such folder"),
    "POST /api/v1/groups/{group_id}/live-sessions": (422, "panelist_ids: not members"),
    "POST /api/v1/groups/{group_id}/library/files": (
        (415, 422),
        "bytes of no accepted file type; folder_id: no such folder in the group",
    ),
    "POST /api/v1/library/files/{file_id}/versions": (415, "bytes of no accepted file type"),
}
POSITIVE_STATUSES = ["2xx", "3xx", "401", "403", "404", "409", "429"]


def config_file(path: Path) -> Path:
    lines = []
    for operation, (excused, _why) in EXCUSED.items():
        excused = excused if isinstance(excused, tuple) else (excused,)
        statuses = ", ".join(f'"{s}"' for s in [*POSITIVE_STATUSES, *map(str, excused)])
        lines += [
            "[[operations]]",
            f'include-name = "{operation}"',
            f"checks.positive_data_acceptance.expected-statuses = [{statuses}]",
            "",
        ]
    path.write_text("\n".join(lines))
    return path


@pytest.mark.long
@pytest.mark.timeout(660)
@pytest.mark.parametrize("database", ["postgresql"])
def test_every_operation_passes_every_check(app, tmp_path):
    email = fixture_data(Factory(app))
    server = ThreadedServer(app)
    repository = Path(__file__).parent.parent
    environment = {
        **os.environ,
        "PYTHONPATH": str(repository),
        "SCHEMATHESIS_HOOKS": "tests.schemathesis_hooks",
        "HUB_FUZZ_URL": server.url,
        "HUB_FUZZ_EMAIL": email,
        "HUB_FUZZ_PASSWORD": PASSWORD,
    }
    try:
        run = subprocess.run(
            [
                str(Path(sys.executable).with_name("st")),
                "--no-color",
                f"--config-file={config_file(tmp_path / 'schemathesis.toml')}",
                "run",
                f"{server.url}/api/openapi.json",
                "--checks=all",
                "--phases=examples,fuzzing",
                f"--seed={SEED}",
                f"--max-examples={EXAMPLES}",
                "--workers=1",
                "--generation-database=none",
                # Hypothesis's "too slow" is wall time spent making data: on a loaded
                # machine it fails without a word about the API.
                "--suppress-health-check=too_slow",
            ],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env=environment,
            timeout=600,  # 80-95 s measured with 2 cores shared by six test runs
        )
    finally:
        server.stop()
    assert run.returncode == 0, run.stdout[-20000:] + run.stderr[-3000:]
