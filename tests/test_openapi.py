"""The OpenAPI document lists every route, with request and response schemas."""

import io
import json
import re
import shutil
import subprocess

import pytest

from tests.factories import PASSWORD

pytestmark = pytest.mark.parametrize("database", ["sqlite"])

# Actions whose whole meaning is in the path take no body; every other write documents one.
BODYLESS_ACTION = re.compile(
    r"/(logout|resend|connect|accept|block|join|leave|approve|decline|vote|subscribe|start|end|deactivate|reactivate)$"
)


def openapi_path(rule: str) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule)


def test_every_api_route_is_documented_with_schemas(app, client):
    document = client.get("/api/openapi.json").json
    assert document["openapi"].startswith("3.")
    paths = document["paths"]
    checked = 0
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.endpoint.startswith("broken"):
            continue
        path = openapi_path(rule.rule)
        assert path in paths, f"{path} is not in the OpenAPI document"
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            operation = paths[path].get(method.lower())
            assert operation, f"{method} {path} is not documented"
            assert operation.get("summary") or operation.get("description"), (method, path)
            successes = {c: r for c, r in operation["responses"].items() if c.startswith("2")}
            assert successes, (method, path)
            for code, response in successes.items():
                if code != "204" and code != "202" or "content" in response:
                    assert "content" in response, f"{method} {path} {code} has no schema"
            if method in ("POST", "PATCH", "PUT") and not BODYLESS_ACTION.search(path):
                assert "requestBody" in operation, f"{method} {path} has no request body schema"
            checked += 1
    assert checked > 20


def test_docs_page_is_served(client):
    response = client.get("/api/docs")
    assert response.status_code == 200 and b"swagger" in response.data.lower()


def operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method != "parameters":
                yield method.upper(), path, operation


def test_every_operation_declares_who_may_call_it(client):
    document = client.get("/api/openapi.json").json
    assert set(document["components"]["securitySchemes"]) == {"bearer", "cookie"}
    public = set()
    for method, path, operation in operations(document):
        csrf = [p for p in operation.get("parameters", []) if p["name"] == "X-CSRF-Token"]
        if operation["security"] == []:
            public.add(f"{method} {path}")
            assert not csrf
            continue
        assert operation["security"] == [{"bearer": []}, {"cookie": []}], (method, path)
        assert "401" in operation["responses"], (method, path)
        assert bool(csrf) == (method not in ("GET", "HEAD")), (method, path)
        # What it says is what the server does: no credentials, 401.
        if "{" not in path:
            assert client.open(path, method=method).status_code == 401, (method, path)
    assert "POST /api/v1/auth/login" in public and "POST /api/v1/auth/register" in public
    assert "GET /api/v1/me" not in public


def test_the_csrf_header_is_what_a_cookie_caller_needs(client, factory):
    user = factory.user()
    login = client.post("/api/v1/auth/login", json={"email": user.email, "password": PASSWORD})
    made = {"name": "A group", "visibility": "open"}
    assert client.post("/api/v1/groups", json=made).status_code == 403
    headers = {"X-CSRF-Token": login.json["csrf_token"]}
    assert client.post("/api/v1/groups", json=made, headers=headers).status_code == 201


def test_x_pagination_is_documented_as_the_string_it_is_sent_as(client, factory):
    document = client.get("/api/openapi.json").json
    header = document["paths"]["/api/v1/people"]["get"]["responses"]["200"]["headers"][
        "X-Pagination"
    ]
    assert header["schema"]["type"] == "string"
    sent = factory.person().get("/api/v1/people").headers["X-Pagination"]
    assert re.search(header["schema"]["pattern"], sent)
    assert set(json.loads(sent)) <= set(json.loads(header["example"]))


def test_downloads_are_documented_with_their_real_content_types(client, factory):
    owner = factory.person()
    group = owner.post("/api/v1/groups", json={"name": "Files", "visibility": "open"}).json
    upload = owner.post(
        f"/api/v1/groups/{group['id']}/library/files",
        data={"file": (io.BytesIO(b"Damp policy."), "policy.txt")},
        content_type="multipart/form-data",
    )
    download = owner.get(f"/api/v1/library/files/{upload.json['id']}/download")
    document = client.get("/api/openapi.json").json
    documented = document["paths"]["/api/v1/library/files/{file_id}/download"]["get"]
    types = set(documented["responses"]["200"]["content"])
    assert download.mimetype == "text/plain" and "text/plain" in types
    assert "application/pdf" in types and "application/octet-stream" not in types


def test_every_pattern_is_an_ecma_regular_expression(client):
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed: the patterns cannot be read as ECMA ones")
    patterns = sorted(
        set(
            re.findall(
                r'"pattern": ("(?:[^"\\]|\\.)*")',
                client.get("/api/openapi.json").get_data(as_text=True),
            )
        )
    )
    assert len(patterns) >= 4
    script = (
        "const patterns = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "for (const p of patterns) new RegExp(p, 'u');"
        "console.log(patterns.length);"
    )
    run = subprocess.run(
        [node, "-e", script],
        input="[" + ",".join(patterns) + "]",
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == str(len(patterns))


def test_the_main_request_examples_are_accepted(client, factory):
    """The examples are ones a caller can send as they are."""
    document = client.get("/api/openapi.json").json
    examples = {
        name: schema["example"]
        for name, schema in document["components"]["schemas"].items()
        if "example" in schema
    }
    assert {"GroupCreate", "ThreadCreate", "PostCreate", "Group", "Post", "Me"} <= set(examples)
    owner = factory.person()
    group = owner.post("/api/v1/groups", json=examples["GroupCreate"])
    assert group.status_code == 201, group.json
    assert set(group.json) == set(examples["Group"])
    threads = f"/api/v1/groups/{group.json['id']}/threads"
    thread = owner.post(threads, json=examples["ThreadCreate"])
    assert thread.status_code == 201, thread.json
    post = owner.post(f"/api/v1/threads/{thread.json['id']}/posts", json=examples["PostCreate"])
    assert post.status_code == 201 and set(post.json) == set(examples["Post"])
    live = owner.post(
        f"/api/v1/groups/{group.json['id']}/live-sessions", json=examples["LiveSessionCreate"]
    )
    assert live.status_code == 201, live.json
    assert live.json["questions"] == []
    profile = owner.patch("/api/v1/me", json=examples["ProfileUpdate"])
    assert profile.status_code == 200 and set(profile.json) == set(examples["Me"])
    registered = client.post("/api/v1/auth/register", json=examples["Register"])
    assert registered.status_code == 201, registered.json


def test_swagger_ui_comes_from_the_hubs_own_files(client):
    page = client.get("/api/docs").get_data(as_text=True)
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(s.startswith("/assets/swagger-ui/") for s in sources), sources
    for source in sources:
        assert client.get(source).status_code == 200, source
    assert "http" not in "".join(sources)
