"""GET /me/export: a zip of the person's own data and files, opened and read here, and
streamed (a busy account is never held in memory at once)."""

from __future__ import annotations

import io
import json
import re
import tracemalloc
import zipfile
from datetime import UTC, datetime

from sqlalchemy import insert

from hub.db import utcnow
from hub.extensions import db
from hub.forum.models import Post
from tests.groups.helpers import API, add_member, make_group, reply, start_thread
from tests.library.helpers import fixture, upload

EXPECTED_FILES = {
    "README.txt",
    "profile.json",
    "connections.json",
    "blocks.json",
    "conversations.json",
    "threads.json",
    "posts.json",
    "suggestions.json",
    "votes.json",
    "live_questions.json",
    "live_answers.json",
    "live_chat.json",
    "notifications.json",
    "files.json",
}


def export(person) -> zipfile.ZipFile:
    response = person.get(f"{API}/me/export")
    assert response.status_code == 200, response.data[:200]
    assert response.mimetype == "application/zip"
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="knowledge-hub-export-{today}.zip"'
    )
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert archive.testzip() is None
    return archive


def read_json(archive: zipfile.ZipFile, name: str):
    return json.loads(archive.read(name))


def test_the_export_holds_their_data_and_the_files_they_uploaded(app, factory):
    owner = factory.person()
    person = factory.person(name="Priya Exporter", job_title="Housing lead")
    friend = factory.person(name="Frank Friend")
    group_id = make_group(owner, "open")
    add_member(owner, group_id, person)
    thread = start_thread(person, group_id, "Damp and mould", "Our *approach*.")
    answer = reply(person, thread["id"], "A follow-up of mine.")
    reply(owner, thread["id"], "The owner's own words.")
    idea = person.post(
        f"{API}/groups/{group_id}/suggestions", json={"title": "Share surveys", "body": "Please."}
    ).json
    assert person.post(f"{API}/suggestions/{idea['id']}/vote").status_code in (200, 201)
    first = upload(person, group_id, "sample.docx", fixture("sample.docx"), title="Strategy")
    assert first.status_code == 201, first.json
    newer = person.post(
        f"{API}/library/files/{first.json['id']}/versions",
        data={"file": (io.BytesIO(fixture("sample.pdf")), "sample.pdf")},
        content_type="multipart/form-data",
    )
    assert newer.status_code == 201, newer.json
    started = friend.post(
        f"{API}/conversations", json={"participant_ids": [person.user_id], "text": "Coffee?"}
    )
    person.post(f"{API}/conversations/{started.json['id']}/messages", json={"text": "Yes!"})
    assert person.post(f"{API}/people/{friend.user_id}/connect").status_code == 202

    archive = export(person)

    names = set(archive.namelist())
    assert EXPECTED_FILES <= names
    readme = archive.read("README.txt").decode()
    assert all(name in readme for name in EXPECTED_FILES - {"README.txt"})
    profile = read_json(archive, "profile.json")
    assert (profile["id"], profile["name"]) == (person.user_id, "Priya Exporter")
    assert profile["email"] and profile["job_title"] == "Housing lead"
    posts = read_json(archive, "posts.json")
    assert [p["body"] for p in posts] == ["Our *approach*.", "A follow-up of mine."]
    assert posts[1]["id"] == answer["id"]
    assert [t["title"] for t in read_json(archive, "threads.json")] == ["Damp and mould"]
    assert [s["title"] for s in read_json(archive, "suggestions.json")] == ["Share surveys"]
    assert read_json(archive, "votes.json")[0]["suggestion_id"] == idea["id"]
    (conversation,) = read_json(archive, "conversations.json")
    assert [(m["author"]["name"], m["body"]) for m in conversation["messages"]] == [
        ("Frank Friend", "Coffee?"),
        ("Priya Exporter", "Yes!"),
    ]
    (connection,) = read_json(archive, "connections.json")
    assert connection["person"]["name"] == "Frank Friend"
    assert connection["status"] == "pending_out"
    assert "message" in {n["kind"] for n in read_json(archive, "notifications.json")}
    versions = read_json(archive, "files.json")
    assert [(v["version"], v["filename"]) for v in versions] == [
        (1, "sample.docx"),
        (2, "sample.pdf"),
    ]
    assert all("storage_key" not in v for v in versions)
    assert archive.read(versions[0]["path"]) == fixture("sample.docx")
    assert archive.read(versions[1]["path"]) == fixture("sample.pdf")
    # Nobody else's writing outside their conversations, nor anyone's email but theirs.
    everything = b"".join(archive.read(name) for name in names if name.endswith(".json"))
    assert b"The owner's own words" not in everything
    emails = set(re.findall(rb"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", everything))
    assert emails == {profile["email"].encode()}


def test_their_posts_in_a_group_they_left_are_theirs_and_nothing_else_of_it(app, factory):
    owner, person = factory.person(), factory.person()
    group_id = make_group(owner, "private", name="Secret budget group")
    add_member(owner, group_id, person)
    thread = start_thread(owner, group_id, "Confidential savings plan", "Owner's plan.")
    mine = reply(person, thread["id"], "My thoughts on the plan.")
    reply(owner, thread["id"], "Thank you.", reply_to=mine["id"])  # notifies them
    assert person.post(f"{API}/groups/{group_id}/leave").status_code == 204

    archive = export(person)

    assert [p["body"] for p in read_json(archive, "posts.json")] == ["My thoughts on the plan."]
    everything = b"".join(archive.read(name) for name in archive.namelist())
    for secret in (b"Confidential savings plan", b"Owner's plan"):
        assert secret not in everything
    # Their notifications as they may still read them: the invitation, not the group's news.
    shown = person.get(f"{API}/notifications", query_string={"page_size": 100}).json
    exported = read_json(archive, "notifications.json")
    assert [n["id"] for n in exported] == sorted(n["id"] for n in shown)


def test_the_export_streams_and_never_holds_thousands_of_posts_at_once(app, factory):
    person = factory.person()
    group_id = make_group(person, "open")
    thread = start_thread(person, group_id)
    body = "Lessons from our peer challenge, paragraph after paragraph. " * 40  # ~2.4 kB
    with app.app_context():
        now = utcnow()
        db.session.execute(
            insert(Post),
            [
                {
                    "thread_id": thread["id"],
                    "group_id": group_id,
                    "author_id": person.user_id,
                    "is_opening": False,
                    "body": f"{n} {body}",
                    "body_html": f"<p>{n} {body}</p>",
                    "created_at": now,
                }
                for n in range(3000)
            ],
        )
        db.session.commit()
    written = 3000 * len(body)  # ~7 MB of text to export

    tracemalloc.start()
    try:
        response = person.get(f"{API}/me/export", buffered=False)
        assert response.is_streamed
        received = io.BytesIO()
        for chunk in response.response:
            received.write(chunk)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        response.close()

    posts = json.loads(zipfile.ZipFile(received).read("posts.json"))
    assert len(posts) == 3001
    # Held all at once, the posts alone would pass `written`; streamed, a batch is.
    assert peak < written / 3, f"peak {peak / 1e6:.1f} MB for {written / 1e6:.1f} MB of posts"


def test_the_export_downloads_through_the_real_server_in_chunks(app, factory):
    """As a browser gets it: over HTTP from a running server, in pieces, a whole zip."""
    import requests

    from tests.live.helpers import ThreadedServer

    person = factory.person(name="Olu Downloader")
    server = ThreadedServer(app)
    try:
        response = requests.get(
            f"{server.url}{API}/me/export",
            headers={"Authorization": f"Bearer {person.token}"},
            stream=True,
            timeout=60,
        )
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "application/zip"
        assert "Content-Length" not in response.headers  # streamed, not built first
        chunks = list(response.iter_content(chunk_size=None))
    finally:
        server.stop()
    archive = zipfile.ZipFile(io.BytesIO(b"".join(chunks)))
    assert archive.testzip() is None
    assert read_json(archive, "profile.json")["name"] == "Olu Downloader"
    assert set(archive.namelist()) >= EXPECTED_FILES
