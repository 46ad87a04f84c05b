"""HTTP benchmark: the hub's main read endpoints beside two references, under gunicorn + wrk.

    HUB_DATA_DIR=/tmp/hub-full .venv/bin/python bench/http_bench.py --scale full

Starts the hub (`gunicorn -w 2 wsgi:app`) on the seeded data dir and the references
(`bench/reference_app.py`: a bare Flask JSON route and one indexed query + a marshmallow
dump of 20 rows) under the same gunicorn settings; signs in as the seeded member of ~20
groups and makes a bearer token through the API; runs `wrk` against each endpoint that
exists (404/405 routes are skipped); prints a table with the ratios to both references;
reads the workers' RSS; and saves it all to bench/results/. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from machine import describe  # bench/machine.py
from record import save  # bench/record.py

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
DEFAULT_PASSWORD = "sector-led-improvement"  # hub.seeding.SEED_PASSWORD
SEARCH_QUERIES = 220
# Search twice: first on workers that have just started (their caches empty, a 2 s warm-up
# of the measured queries), then on the same workers after a warm-up of 440 other queries.
SEARCH_JUST_STARTED = f"GET /api/v1/search ({SEARCH_QUERIES} queries in turn, just started)"
SEARCH_SERVING = f"GET /api/v1/search ({SEARCH_QUERIES} new queries, serving)"
SEARCH_WARMUP_SECONDS = 30
# The search page, after the API's search rows: 220 queries the workers have not seen.
SEARCH_PAGE = f"GET /search page ({SEARCH_QUERIES} new queries, serving)"
# The one-query reference runs first and again last: this kind of machine drifts by a few
# per cent within minutes, so each ratio is to the mean of the two.
ONE_QUERY = "reference: one query + 20-row dump"
ONE_QUERY_AGAIN = "reference: one query + 20-row dump, again at the end"


@dataclass
class Endpoint:
    name: str
    url: str
    auth: bool = True
    page: bool = False  # a page: signed in by the session cookie, asking for HTML
    paths_file: str = ""  # request paths sent in turn instead of the url's (report.lua)
    # Paths of a warm-up of its own, and how long: see _endpoints.
    warmup_paths_file: str = ""
    warmup_seconds: float | None = None
    figures: dict = field(default_factory=dict)
    note: str = ""


LOAD_BEFORE: tuple[float, float, float] | None = None


def main() -> int:
    global LOAD_BEFORE
    args = _arguments()
    LOAD_BEFORE = os.getloadavg()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get update && apt-get install -y wrk")
    data_dir = Path(args.data_dir).resolve()
    if not (data_dir / "hub.sqlite3").exists() and not os.environ.get("HUB_DATABASE_URL"):
        sys.exit(f"No seeded database in {data_dir}: run `flask --app wsgi hub seed --scale ...`")
    env = _server_env(data_dir)
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    logs = data_dir / "bench-logs"
    logs.mkdir(exist_ok=True)
    hub_port, ref_port = _free_port(), _free_port()
    common = [
        gunicorn,
        "-c",
        str(BENCH / "gunicorn_bench.conf.py"),
        "-w",
        str(args.workers),
        "--worker-class",
        "sync",
        "--no-control-socket",
    ]
    servers = []
    endpoints: list[Endpoint] = []
    try:
        servers.append(
            _start([*common, "-b", f"127.0.0.1:{hub_port}", "wsgi:app"], env, logs / "hub.log")
        )
        servers.append(
            _start(
                [*common, "-b", f"127.0.0.1:{ref_port}", "bench.reference_app:app"],
                env,
                logs / "reference.log",
            )
        )
        hub = f"http://127.0.0.1:{hub_port}"
        ref = f"http://127.0.0.1:{ref_port}"
        _wait_for(f"{hub}/healthz", servers[0])
        _wait_for(f"{ref}/bare", servers[1])

        email = args.email or _bench_email(env)
        token, cookie = _make_token(hub, email, args.password)
        endpoints = _endpoints(hub, ref, token, cookie, args.query)
        for endpoint in endpoints:
            # Sync workers finish requests whose clients have gone: let a slow endpoint's
            # backlog drain before the next measurement starts.
            _wait_idle([f"{hub}/healthz", f"{ref}/bare"])
            _run_wrk(endpoint, token, cookie, args)
            print(f"  {endpoint.name:<36} {_summary(endpoint)}", flush=True)
        rss = {"hub": _worker_rss(servers[0].pid), "reference": _worker_rss(servers[1].pid)}
    finally:
        for server in servers:
            _stop(server)
        for endpoint in endpoints:
            for name in (endpoint.paths_file, endpoint.warmup_paths_file):
                if name and os.path.exists(name):
                    os.unlink(name)

    table = _table(endpoints)
    counts = _data_counts(env)
    print()
    print(table)
    print(_rss_text(rss))
    if not args.no_save:
        path = _save(args, table, rss, counts, email)
        print(f"\nSaved to {path.relative_to(ROOT)}")
    return 0


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--data-dir",
        default=os.environ.get("HUB_DATA_DIR", "instance"),
        help="the seeded HUB_DATA_DIR (default: $HUB_DATA_DIR)",
    )
    parser.add_argument("--scale", default="?", help="the data scale, for the record")
    parser.add_argument(
        "--email", help="who to sign in as (default: person 1, the seeded member of ~20 groups)"
    )
    parser.add_argument("--password", default=DEFAULT_PASSWORD)
    parser.add_argument("--query", default="housing", help="the people finder's q")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--duration", type=int, default=10, help="seconds per endpoint")
    parser.add_argument(
        "--timeout", type=int, default=10, help="wrk's per-request timeout in seconds"
    )
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per endpoint")
    parser.add_argument("--no-save", action="store_true", help="print only; write no result file")
    return parser.parse_args()


def _server_env(data_dir: Path) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "HUB_DATA_DIR": str(data_dir),
            "HUB_ENV": "production",
            "HUB_SECRET_KEY": env.get("HUB_SECRET_KEY") or secrets.token_urlsafe(48),
            "HUB_OUTBOX_DRAIN": "worker",
            "PYTHONPATH": str(ROOT),
        }
    )
    if env.get("HUB_DATABASE_URL"):
        env.setdefault("REFERENCE_DATABASE_URL", env["HUB_DATABASE_URL"])
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    out = open(log, "w")  # noqa: SIM115 (closed with the process)
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
    )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def _wait_for(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"The server for {url} exited; see its log in <data dir>/bench-logs/")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:  # refused, reset, or timed out while the workers boot
            time.sleep(0.3)
    sys.exit(f"{url} did not answer within {seconds} s")


def _wait_idle(urls: list[str], seconds: float = 300) -> None:
    """Until each server answers a trivial request quickly three times running."""
    deadline = time.monotonic() + seconds
    for url in urls:
        quick = 0
        while quick < 3 and time.monotonic() < deadline:
            started = time.monotonic()
            try:
                with urllib.request.urlopen(url, timeout=60):
                    pass
            except OSError:
                pass
            quick = quick + 1 if time.monotonic() - started < 0.05 else 0
            time.sleep(0.05)


def _request(method: str, url: str, body: dict | None = None, headers: dict | None = None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        url,
        data=data,
        method=method,
        headers={"Content-Type": "application/json", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            read = response.read()
            if response.headers.get_content_type() != "application/json":
                return response.status, response.headers, read.decode()
            return response.status, response.headers, json.loads(read or b"null")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, None


def _bench_email(env: dict) -> str:
    """Person 1: the generator makes them a member of 20 groups."""
    import sqlalchemy as sa

    url = env.get("HUB_DATABASE_URL") or f"sqlite:///{env['HUB_DATA_DIR']}/hub.sqlite3"
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        email = conn.scalar(sa.text("SELECT email FROM users WHERE id = 1"))
    engine.dispose()
    if email is None:
        sys.exit("There is no person 1: seed with `flask hub seed --scale small|full` first.")
    return email


def _make_token(hub: str, email: str, password: str) -> tuple[str, str]:
    """Sign in, then make a personal API token, through the API as a program would; the
    token, and the session's cookie for the pages (a browser's sign-in gets the same)."""
    status, headers, body = _request(
        "POST", f"{hub}/api/v1/auth/login", {"email": email, "password": password}
    )
    if status != 200:
        sys.exit(f"Sign-in as {email} failed with {status}")
    # The session cookie is Secure in production; send it back by hand over loopback http.
    cookies = [c.split(";")[0] for c in headers.get_all("Set-Cookie") or []]
    status, _, made = _request(
        "POST",
        f"{hub}/api/v1/auth/tokens",
        {"name": "http bench"},
        {"Cookie": "; ".join(cookies), "X-CSRF-Token": body["csrf_token"]},
    )
    if status != 201:
        sys.exit(f"Making a token failed with {status}")
    return made["token"], "; ".join(cookies)


def _endpoints(hub: str, ref: str, token: str, cookie: str, query: str) -> list[Endpoint]:
    auth = {"Authorization": f"Bearer {token}"}
    browser = {"Cookie": cookie, "Accept": "text/html"}
    found = [
        Endpoint("reference: bare Flask JSON", f"{ref}/bare", auth=False),
        Endpoint(ONE_QUERY, f"{ref}/one-query", auth=False),
    ]
    candidates = [
        ("GET /api/v1/people?q=" + query, f"{hub}/api/v1/people?q={query}"),
        ("GET /api/v1/groups", f"{hub}/api/v1/groups"),
        ("GET /api/v1/notifications", f"{hub}/api/v1/notifications"),
        ("GET /api/v1/conversations", f"{hub}/api/v1/conversations"),
        ("GET /api/v1/me", f"{hub}/api/v1/me"),
        ("GET /api/v1/me/feed", f"{hub}/api/v1/me/feed"),
        (SEARCH_JUST_STARTED, f"{hub}/api/v1/search?q=council"),
        (SEARCH_SERVING, f"{hub}/api/v1/search?q=council"),
    ]
    # A group of person 1's with threads, and a thread's posts, when the forum exists.
    status, _, groups = _request("GET", f"{hub}/api/v1/groups?page_size=100", headers=auth)
    group_ids = _ids(groups) if status == 200 else []
    group_id, thread_id = None, None
    for group_id in group_ids:
        status, _, threads = _request(
            "GET", f"{hub}/api/v1/groups/{group_id}/threads", headers=auth
        )
        if status in (404, 405) and group_id == group_ids[0]:
            break
        if status == 200 and _ids(threads):
            candidates.append(
                ("GET /api/v1/groups/{id}/threads", f"{hub}/api/v1/groups/{group_id}/threads")
            )
            thread_id = _ids(threads)[0]
            break
    if thread_id is not None:
        candidates.append(
            ("GET /api/v1/threads/{id}/posts", f"{hub}/api/v1/threads/{thread_id}/posts")
        )
    # The pages of the same group, thread and search, signed in as the same member.
    pages = [(SEARCH_PAGE, f"{hub}/search?q=council")]
    if thread_id is not None:
        pages[:0] = [
            ("GET /groups/{id} page", f"{hub}/groups/{group_id}"),
            ("GET /threads/{id} page", f"{hub}/threads/{thread_id}"),
        ]
    for name, url in [*candidates, *pages]:
        page = (name, url) in pages
        status, _, _ = _request("GET", url, headers=browser if page else auth)
        if status in (404, 405):
            print(f"  skipped {name}: {status} (not built yet)")
            continue
        endpoint = Endpoint(name, url, page=page)
        if name == SEARCH_JUST_STARTED:
            endpoint.paths_file = _search_paths(11)
        elif name == SEARCH_PAGE:
            endpoint.paths_file = _search_paths(15, path="/search")
        elif name == SEARCH_SERVING:
            # A worker that has been serving a while: it has met the words before, in
            # other queries (as the search benchmark's serving row), then answers queries
            # it has not seen.
            endpoint.paths_file = _search_paths(14)
            endpoint.warmup_paths_file = _search_paths(12, 13)
            endpoint.warmup_seconds = SEARCH_WARMUP_SECONDS
        if status != 200:
            endpoint.note = f"answers {status}"
        found.append(endpoint)
    found.append(Endpoint(ONE_QUERY_AGAIN, f"{ref}/one-query", auth=False))
    return found


def _search_paths(*seeds: int, path: str = "/api/v1/search") -> str:
    """A file of search paths: the search benchmark's realistic queries, SEARCH_QUERIES
    of each seed, in turn."""
    from urllib.parse import quote

    sys.path.insert(0, str(BENCH))
    from search_bench import make_queries

    queries = [q for seed in seeds for q in make_queries(random.Random(seed), SEARCH_QUERIES)]
    paths = "".join(f"{path}?q={quote(q)}\n" for q in queries)
    handle, name = tempfile.mkstemp(prefix="bench-search-", suffix=".txt")
    os.write(handle, paths.encode())
    os.close(handle)
    return name


def _ids(body) -> list[int]:
    items = body.get("items", body) if isinstance(body, dict) else body
    return [item["id"] for item in items or [] if isinstance(item, dict) and "id" in item]


def _run_wrk(endpoint: Endpoint, token: str, cookie: str, args) -> None:
    env = {
        **os.environ,
        "BENCH_TOKEN": token if endpoint.auth and not endpoint.page else "",
        "BENCH_COOKIE": cookie if endpoint.page else "",
        "BENCH_ACCEPT": "text/html" if endpoint.page else "application/json",
        "BENCH_PATHS": endpoint.paths_file,
    }
    base = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        "--latency",
        f"--timeout={args.timeout}s",
        "-s",
        str(BENCH / "report.lua"),
    ]
    warmup = args.warmup if endpoint.warmup_seconds is None else endpoint.warmup_seconds
    if warmup:
        warmup_env = {**env, "BENCH_PATHS": endpoint.warmup_paths_file or endpoint.paths_file}
        subprocess.run(
            [*base, f"-d{warmup}s", endpoint.url], env=warmup_env, capture_output=True, check=False
        )
    run = subprocess.run(
        [*base, f"-d{args.duration}s", endpoint.url],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    for line in run.stdout.splitlines():
        if line.startswith("BENCH_RESULT "):
            endpoint.figures = json.loads(line.removeprefix("BENCH_RESULT "))
    if not endpoint.figures:
        endpoint.note = f"wrk failed: {run.stderr.strip() or run.stdout.strip()}"[:200]
    elif endpoint.figures["non_2xx"] or endpoint.figures["socket_errors"]:
        endpoint.note = (
            f"{endpoint.figures['non_2xx']} non-2xx, "
            f"{endpoint.figures['socket_errors']} socket errors or timeouts (>{args.timeout} s)"
        )


def _summary(endpoint: Endpoint) -> str:
    f = endpoint.figures
    if not f:
        return endpoint.note
    return f"{_rps(f['rps']):>8} req/s  p50 {f['p50_ms']:.1f} ms  p95 {f['p95_ms']:.1f} ms"


def _table(endpoints: list[Endpoint]) -> str:
    bare = endpoints[0].figures.get("rps") or float("nan")
    one = _one_query_rps(endpoints)
    lines = [
        "| endpoint | requests/s | p50 ms | p95 ms | p99 ms | vs bare | vs one-query | note |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for e in endpoints:
        f = e.figures
        if not f:
            lines.append(f"| {e.name} | - | - | - | - | - | - | {e.note} |")
            continue
        lines.append(
            f"| {e.name} | {_rps(f['rps'])} | {f['p50_ms']:.1f} | {f['p95_ms']:.1f} | "
            f"{f['p99_ms']:.1f} | {f['rps'] / bare:.0%} | {f['rps'] / one:.0%} | {e.note} |"
        )
    return "\n".join(lines)


def _one_query_rps(endpoints: list[Endpoint]) -> float:
    """The one-query reference's requests/s: the mean of its first and last runs."""
    runs = [e.figures.get("rps") for e in endpoints if e.name in (ONE_QUERY, ONE_QUERY_AGAIN)]
    runs = [rps for rps in runs if rps]
    return sum(runs) / len(runs) if runs else float("nan")


def _rps(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def _worker_rss(master_pid: int) -> list[dict]:
    """VmRSS and VmHWM (peak) of each gunicorn worker (the master's children)."""
    workers = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":", 1) for line in status.read_text().splitlines() if ":" in line
            )
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(master_pid):
            workers.append(
                {
                    "pid": int(fields["Pid"]),
                    "rss_mb": int(fields["VmRSS"].split()[0]) / 1024,
                    "peak_mb": int(fields["VmHWM"].split()[0]) / 1024,
                }
            )
    return sorted(workers, key=lambda w: w["pid"])


def _rss_text(rss: dict) -> str:
    parts = []
    for name, workers in rss.items():
        each = ", ".join(f"{w['rss_mb']:.0f} MB (peak {w['peak_mb']:.0f})" for w in workers)
        parts.append(f"{name} workers after the run: {each or 'none found'}")
    return "\n".join(f"- {p}" for p in parts)


def _data_counts(env: dict) -> str:
    import sqlalchemy as sa

    url = env.get("HUB_DATABASE_URL") or f"sqlite:///{env['HUB_DATA_DIR']}/hub.sqlite3"
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    engine = sa.create_engine(url)
    names = ("users", "groups", "memberships", "connections", "messages", "notifications")
    found = []
    with engine.connect() as conn:
        tables = set(sa.inspect(conn).get_table_names())
        for table in (*names, "forum_posts", "posts", "library_files", "live_sessions"):
            if table in tables:
                count = conn.scalar(sa.text(f"SELECT count(*) FROM {table}"))
                found.append(f"{table} {count:,}")
        backend = conn.dialect.name
    engine.dispose()
    return f"{backend}: " + ", ".join(found)


def _machine() -> str:
    load = ""
    if LOAD_BEFORE:
        load = "; load average before the run " + " ".join(f"{x:.2f}" for x in LOAD_BEFORE)
    return describe() + load


def _save(args, table: str, rss: dict, counts: str, email: str) -> Path:
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout
    wrk_version = (wrk_version.splitlines() or ["wrk"])[0].split(" [")[0]
    command = "HUB_DATA_DIR=... python bench/" + Path(sys.argv[0]).name
    if sys.argv[1:]:
        command += " " + " ".join(sys.argv[1:])
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    text = f"""
## HTTP, {when}, scale `{args.scale}`

- Machine: {_machine()}
- Command: `{command}`
- Servers: `gunicorn -w {args.workers}` (sync workers), hub with `HUB_ENV=production`;
  references from `bench/reference_app.py` under the same settings, on the same database.
- Load: `{wrk_version} -t{args.threads} -c{args.connections} -d{args.duration}s
  --timeout {args.timeout}s` per endpoint after a {args.warmup} s warm-up; hub requests
  signed with a bearer token of {email} (person 1, the seeded member of ~20 groups).
  The one-query reference runs first and again last; "vs one-query" is to their mean.
- Data: {counts}

{table}

Worker memory (VmRSS, read from /proc after the run):
{_rss_text(rss)}
"""
    return save("http", text)


if __name__ == "__main__":
    raise SystemExit(main())
