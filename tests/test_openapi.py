"""The OpenAPI document lists every route, with request and response schemas."""

import re

import pytest

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
