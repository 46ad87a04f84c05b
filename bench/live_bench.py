"""Live fan-out benchmark: N clients in one session, a question every 100 ms for 30 s.

    .venv/bin/python bench/live_bench.py --clients 1000                  # one process
    .venv/bin/python bench/live_bench.py --clients 1000 --processes 2    # two, via Redis
    .venv/bin/python bench/live_bench.py --clients 1000 --sign-ins 200   # and a sign-in storm

The server is what production runs: `gunicorn -c gunicorn.conf.py wsgi:app` (the gevent
worker, one worker a process); with --processes 2, two such servers share the database
and Redis (HUB_REDIS_URL), and the clients are spread over both. By default the
receiving clients are light raw-websocket Socket.IO clients in one asyncio process (see
RawLiveClient): they stamp each frame on arrival and decode after the run, so that the
figures are the server's and not the clients' CPU queueing on this 2-core machine
(`--client python-socketio --client-processes 4` gives the first runs' heavier clients).
Each joins the session, and each question carries the time it was sent, so a client's
delivery latency is its arrival time minus that (one clock: all on this machine). The
CPU used during the run by the server workers, the receiving clients and the askers is
reported alongside (in % of one core). With --sign-ins N, N other people, each with their
own password hashed at production's cost, sign in (POST /api/v1/auth/login) spread over
the first 20 s of the questions, to the same process; one told 429 retries after its
Retry-After, and its whole time to success is its latency (p50/p95/max, beside the live
figures, with the count of 429s). Askers
are separate connections (60 of them, so that no one passes the 10-questions-a-minute
limit). Lost events: the (client, question) pairs a client never received, counted after
a 5 s grace period; a seq gap in what a client received counts too.

Prints a table and saves it, with the date, machine and command, to bench/results/.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import resource
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from machine import describe  # bench/machine.py
from record import save  # bench/record.py

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

ASKERS = 60
NAMESPACE = "/live"


# --- Data --------------------------------------------------------------------------


SIGN_IN_SPREAD = 20.0  # seconds over which the sign-ins arrive
MAX_RETRIES = 20  # a sign-in told 429 more often than this counts as failed
# What production hashes with (hub/config.py's default HUB_PASSWORD_HASH; the server runs
# without HUB_* from this environment, so with that default), not the tests' cheap cost:
# a check costs what it costs the stored hash's parameters.
PRODUCTION_HASH = "scrypt"


def sign_in_password(number: int) -> str:
    return f"bench arrival passphrase {number}"


def _production_hash(number: int) -> str:
    from werkzeug.security import generate_password_hash

    return generate_password_hash(sign_in_password(number), method=PRODUCTION_HASH)


def production_hashes(count: int) -> list[str]:
    """Each person's own password hash (~0.15 s each: two processes)."""
    from concurrent.futures import ProcessPoolExecutor

    if not count:
        return []
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        return list(pool.map(_production_hash, range(count), chunksize=10))


def prepare(database_url: str, data_dir: Path, people: int, sign_ins: int = 0) -> dict:
    """An open group with `people` members, a live session, and a token for each person;
    and `sign_ins` more people, each with a password hashed at production's cost."""
    from sqlalchemy import insert

    from hub import create_app
    from hub.auth.models import ApiToken, User
    from hub.auth.passwords import secret_digest
    from hub.db import utcnow
    from hub.extensions import db
    from hub.groups.models import Group, Membership
    from hub.live import service

    app = create_app(
        {
            "HUB_ENV": "testing",
            "HUB_DATA_DIR": str(data_dir),
            "SQLALCHEMY_DATABASE_URI": database_url,
            "HUB_EMAIL_VERIFICATION": "off",
            "HUB_OUTBOX_DRAIN": "worker",
        }
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
        now = utcnow()
        db.session.execute(
            insert(User),
            [
                {
                    "id": i,
                    "email": f"bench{i}@bench.gov.uk",
                    "handle": f"bench{i}",  # bulk inserts skip the ORM's handle
                    "name": f"Bench Person {i}",
                    "role": "officer",
                    "password_hash": "x",
                    "email_verified_at": now,
                    "approved_at": now,
                    "created_at": now,
                }
                for i in range(1, people + 1)
            ],
        )
        group = Group(
            name="Live bench",
            slug="live-bench",
            visibility="open",
            member_count=people,
            created_by_id=1,
        )
        db.session.add(group)
        db.session.flush()
        db.session.execute(
            insert(Membership),
            [
                {
                    "group_id": group.id,
                    "user_id": i,
                    "role": "owner" if i == 1 else "member",
                    "joined_at": now,
                }
                for i in range(1, people + 1)
            ],
        )
        hashes = production_hashes(sign_ins)
        if sign_ins:
            db.session.execute(
                insert(User),
                [
                    {
                        "email": f"signin{i}@bench.gov.uk",
                        "handle": f"signin{i}",
                        "name": f"Arriving Person {i}",
                        "role": "councillor",
                        "password_hash": password_hash,
                        "email_verified_at": now,
                        "approved_at": now,
                        "created_at": now,
                    }
                    for i, password_hash in enumerate(hashes)
                ],
            )
        tokens = {i: f"khub_bench_{i}_{os.urandom(8).hex()}" for i in range(1, people + 1)}
        db.session.execute(
            insert(ApiToken),
            [
                {"user_id": i, "name": "bench", "token_hash": secret_digest(t), "created_at": now}
                for i, t in tokens.items()
            ],
        )
        db.session.commit()
        owner = db.session.get(User, 1)
        live = service.schedule_session(
            owner,
            group.id,
            {
                "title": "Bench",
                "description": "",
                "starts_at": now,
                "ends_at": None,
                "moderated": False,
                "allow_anonymous": False,
                "panelist_ids": [],
                "transcript_includes_chat": False,
            },
        )
        service.start_session(owner, live.id)
        session_id = live.id
        db.session.remove()
        db.engine.dispose()
    return {
        "session_id": session_id,
        "tokens": [tokens[i] for i in sorted(tokens)],
        "hash": hashes[0].partition("$")[0] if hashes else None,  # e.g. scrypt:32768:8:1
    }


# --- Servers -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, env: dict, log: Path) -> subprocess.Popen:
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "-c",
        "gunicorn.conf.py",
        "-b",
        f"127.0.0.1:{port}",
        "--no-control-socket",
        "wsgi:app",
    ]
    handle = open(log, "w")  # noqa: SIM115 - open while the server runs
    return subprocess.Popen(
        command, cwd=REPO, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
    )


def wait_healthy(url: str, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    import requests

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"server exited:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    sys.exit(f"server not healthy:\n{log.read_text()[-3000:]}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def worker_pids(servers: list[subprocess.Popen]) -> list[int]:
    """The gunicorn workers (children of each master)."""
    pids = []
    for process in servers:
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
        pids += [int(child) for child in children]
    return pids


def process_cpu(pid: int) -> float:
    """User + system CPU seconds of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# --- Clients -------------------------------------------------------------------------
#
# Two kinds of receiving client:
# - "raw" (the default): each connection is an asyncio Protocol that speaks just enough
#   of WebSocket / Engine.IO 4 / Socket.IO 5 to connect, authenticate and join, answers
#   pings, and otherwise only stamps the time each frame arrives and keeps its bytes.
#   Decoding happens after the run: 1,000 of them in one process take about a fifth of
#   a core at 10,000 frames a second (mostly socket reads), and the latency is the
#   server's, not the clients' queueing.
# - "python-socketio": python-socketio's AsyncClient (what the first runs used); it
#   decodes every event as it comes: 1,000 of them in four processes took half a core
#   to most of one.

EVENT_PREFIX = b'42/live,["live_event",'


class RawLiveClient(asyncio.Protocol):
    """One Socket.IO client over a raw websocket, minimal parsing on receipt."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.transport = None
        self.buffer = bytearray()
        self.upgraded = False
        self.control: asyncio.Queue[bytes] = asyncio.Queue()
        self.events: list[tuple[float, bytes]] = []
        self.pings = 0
        self.closed = asyncio.get_running_loop().create_future()

    # Sending: client frames must be masked; an all-zero key is valid and costs nothing.
    def send_text(self, text: bytes, opcode: int = 0x1) -> None:
        size = len(text)
        if size < 126:
            header = bytes((0x80 | opcode, 0x80 | size))
        elif size < 65536:
            header = bytes((0x80 | opcode, 0x80 | 126)) + size.to_bytes(2, "big")
        else:
            header = bytes((0x80 | opcode, 0x80 | 127)) + size.to_bytes(8, "big")
        self.transport.write(header + b"\0\0\0\0" + text)

    def connection_made(self, transport) -> None:
        import base64

        self.transport = transport
        key = base64.b64encode(os.urandom(16)).decode()
        transport.write(
            (
                f"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
                f"Host: {self.host}:{self.port}\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                f"Sec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )

    def data_received(self, data: bytes) -> None:
        now = time.time()  # stamped before anything else is done with the bytes
        buffer = self.buffer
        buffer += data
        if not self.upgraded:
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            if b" 101 " not in bytes(buffer[: buffer.find(b"\r\n")]):
                self.control.put_nowait(b"!" + bytes(buffer[:end]))
                return
            del buffer[: end + 4]
            self.upgraded = True
        while len(buffer) >= 2:
            opcode, size, start = buffer[0] & 0x0F, buffer[1] & 0x7F, 2
            if size == 126:
                if len(buffer) < 4:
                    return
                size, start = int.from_bytes(buffer[2:4], "big"), 4
            elif size == 127:
                if len(buffer) < 10:
                    return
                size, start = int.from_bytes(buffer[2:10], "big"), 10
            if len(buffer) < start + size:
                return
            payload = bytes(buffer[start : start + size])
            del buffer[: start + size]
            if opcode == 0x1:
                if payload.startswith(EVENT_PREFIX):
                    self.events.append((now, payload))
                elif payload == b"2":  # Engine.IO ping
                    self.send_text(b"3")
                    self.pings += 1
                else:
                    self.control.put_nowait(payload)
            elif opcode == 0x9:  # websocket ping
                self.send_text(payload, opcode=0xA)
            elif opcode == 0x8:
                self.transport.close()

    def connection_lost(self, exc) -> None:
        if not self.closed.done():
            self.closed.set_result(exc)

    async def expect(self, prefix: bytes, timeout: float = 60) -> bytes:
        message = await asyncio.wait_for(self.control.get(), timeout)
        if not message.startswith(prefix):
            raise RuntimeError(f"expected {prefix!r}, got {message[:300]!r}")
        return message


async def raw_connect(url: str, token: str, session_id: int) -> RawLiveClient:
    host, port = url.removeprefix("http://").split(":")
    loop = asyncio.get_running_loop()
    _, client = await loop.create_connection(lambda: RawLiveClient(host, int(port)), host, port)
    await client.expect(b"0{")  # Engine.IO open
    client.send_text(b"40/live," + json.dumps({"token": token}).encode())
    await client.expect(b"40/live,")  # connected to the namespace (44 would be a refusal)
    client.send_text(b'42/live,1["join",' + json.dumps({"session_id": session_id}).encode() + b"]")
    answer = json.loads((await client.expect(b"43/live,1"))[len(b"43/live,1") :])
    assert answer[0]["ok"], answer
    return client


def decode_raw(events: list[tuple[float, bytes]]) -> dict:
    """After the run: the question events one raw client received."""
    mine = {"lat": [], "numbers": [], "seqs": []}
    for arrived, payload in events:
        event = json.loads(payload[len(b"42/live,") :])[1]
        if event["type"] != "question.created":
            continue
        kind, number, sent = event["data"]["text"].split()
        if kind != "q":  # warm-up
            continue
        mine["lat"].append(arrived - float(sent))
        mine["numbers"].append(int(number))
        mine["seqs"].append(event["seq"])
    return mine


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def client_process(kind, urls, tokens, session_id, ready, go, go_home, results) -> None:
    runner = _raw_clients if kind == "raw" else _clients
    asyncio.run(runner(urls, tokens, session_id, ready, go, go_home, results))


async def _wait(event) -> None:
    while not event.is_set():
        await asyncio.sleep(0.05)


async def _raw_clients(urls, tokens, session_id, ready, go, go_home, results) -> None:
    clients: list[RawLiveClient] = []

    async def connect(index, token):
        url = urls[index % len(urls)]
        for attempt in range(5):
            try:
                client = await raw_connect(url, token, session_id)
                break
            except Exception:
                if attempt == 4:
                    raise
                await asyncio.sleep(0.5 + attempt)
        clients.append(client)

    batch = 50
    for start in range(0, len(tokens), batch):
        await asyncio.gather(
            *(connect(start + i, t) for i, t in enumerate(tokens[start : start + batch]))
        )
    ready.release()
    await _wait(go)
    cpu_began, wall_began = cpu_seconds(), time.monotonic()
    await _wait(go_home)
    cpu = cpu_seconds() - cpu_began
    wall = time.monotonic() - wall_began
    for client in clients:
        client.transport.close()
    results.put(
        {
            "clients": [decode_raw(c.events) for c in clients],
            "cpu_s": cpu,
            "wall_s": wall,
            "pings": sum(c.pings for c in clients),
        }
    )


async def _clients(urls, tokens, session_id, ready, go, go_home, results) -> None:
    import socketio

    received: list[dict] = [{"lat": [], "numbers": set(), "seqs": []} for _ in tokens]
    sockets = []

    def handler(index):
        async def on_event(event):
            if event["type"] != "question.created":
                return
            now = time.time()
            kind, number, sent = event["data"]["text"].split()
            if kind != "q":  # warm-up
                return
            mine = received[index]
            mine["lat"].append(now - float(sent))
            mine["numbers"].add(int(number))
            mine["seqs"].append(event["seq"])

        return on_event

    async def connect(index, token):
        client = socketio.AsyncClient(reconnection=False)
        client.on("live_event", handler(index), namespace=NAMESPACE)
        url = urls[index % len(urls)]
        for attempt in range(5):
            try:
                await client.connect(
                    url,
                    namespaces=[NAMESPACE],
                    transports=["websocket"],
                    auth={"token": token},
                    wait_timeout=30,
                )
                break
            except Exception:
                await asyncio.sleep(0.5 + attempt)
        answer = await client.call(
            "join", {"session_id": session_id}, namespace=NAMESPACE, timeout=60
        )
        assert answer["ok"], answer
        sockets.append(client)

    batch = 25
    for start in range(0, len(tokens), batch):
        await asyncio.gather(
            *(connect(start + i, t) for i, t in enumerate(tokens[start : start + batch]))
        )
    ready.release()
    await _wait(go)
    cpu_began, wall_began = cpu_seconds(), time.monotonic()
    await _wait(go_home)
    cpu = cpu_seconds() - cpu_began
    wall = time.monotonic() - wall_began
    for client in sockets:
        await client.disconnect()
    results.put(
        {
            "clients": [
                {"lat": r["lat"], "numbers": sorted(r["numbers"]), "seqs": r["seqs"]}
                for r in received
            ],
            "cpu_s": cpu,
            "wall_s": wall,
        }
    )


async def ask_all(url, tokens, session_id, duration, interval) -> dict[int, int]:
    """Ask a question every `interval` seconds; returns question number -> seq... acked."""
    import socketio

    askers = []
    for token in tokens:
        client = socketio.AsyncClient(reconnection=False)
        await client.connect(
            url,
            namespaces=[NAMESPACE],
            transports=["websocket"],
            auth={"token": token},
            wait_timeout=30,
        )
        askers.append(client)
    acked: dict[int, bool] = {}
    failures: list[dict] = []
    # Warm-up (not measured): the first questions compile queries and fill caches.
    for number, client in enumerate(askers[:5]):
        await client.call(
            "ask",
            {"session_id": session_id, "text": f"w {number} 0"},
            namespace=NAMESPACE,
            timeout=30,
        )
    await asyncio.sleep(1)

    async def ask(number):
        client = askers[number % len(askers)]
        answer = await client.call(
            "ask",
            {"session_id": session_id, "text": f"q {number} {time.time():.6f}"},
            namespace=NAMESPACE,
            timeout=30,
        )
        if answer["ok"]:
            acked[number] = True
        else:
            failures.append(answer)

    tasks = []
    began = time.monotonic()
    count = int(duration / interval)
    for number in range(count):
        delay = began + number * interval - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(ask(number)))
    await asyncio.gather(*tasks, return_exceptions=True)
    for client in askers:
        await client.disconnect()
    if failures:
        print(f"{len(failures)} asks refused, e.g. {failures[0]}", file=sys.stderr)
    return acked


async def both(asking, signing_in):
    return await asyncio.gather(asking, signing_in)


async def sign_in_storm(url: str, count: int) -> list[dict]:
    """`count` people sign in, spread evenly over SIGN_IN_SPREAD seconds, each with its own
    connection. One told 429 waits its Retry-After and tries again, as a browser would:
    its time is from its first try to its last answer. Returns, for each, that time, the
    final status and how many 429s it had."""
    import aiohttp

    if not count:
        return []
    results: list[dict] = []

    async def sign_in(number: int, session) -> None:
        await asyncio.sleep(number * SIGN_IN_SPREAD / count)
        body = {"email": f"signin{number}@bench.gov.uk", "password": sign_in_password(number)}
        began, refused = time.monotonic(), 0
        while True:
            async with session.post(f"{url}/api/v1/auth/login", json=body) as response:
                await response.read()
                status, wait = response.status, response.headers.get("Retry-After", "1")
            if status != 429 or refused >= MAX_RETRIES:
                break
            refused += 1
            await asyncio.sleep(float(wait))
        results.append({"s": time.monotonic() - began, "status": status, "refused": refused})

    connector = aiohttp.TCPConnector(limit=0, force_close=True)
    async with aiohttp.ClientSession(connector=connector) as session:
        await asyncio.gather(*(sign_in(n, session) for n in range(count)))
    return results


def sign_in_figures(sign_ins: list[dict]) -> dict:
    seconds = [r["s"] for r in sign_ins if r["status"] == 200]
    return {
        "sign_ins": len(sign_ins),
        "sign_ins_ok": len(seconds),
        "sign_ins_429s": sum(r["refused"] for r in sign_ins),
        "sign_ins_told_to_retry": sum(1 for r in sign_ins if r["refused"]),
        "sign_in_p50_ms": percentile(seconds, 50) * 1000,
        "sign_in_p95_ms": percentile(seconds, 95) * 1000,
        "sign_in_max_ms": max(seconds) * 1000 if seconds else float("nan"),
    }


# --- The run -------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def run(args) -> dict:
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    work = Path(tempfile.mkdtemp(prefix="live-bench-"))
    database = args.database or f"sqlite:///{work / 'hub.sqlite3'}"
    data = prepare(database, work, args.clients + ASKERS, args.sign_ins)
    tokens = data["tokens"]
    session_id = data["session_id"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("HUB_")}
    env.update(
        {
            "HUB_ENV": "production",
            "HUB_SECRET_KEY": "bench-" + os.urandom(16).hex(),
            "HUB_DATA_DIR": str(work),
            "HUB_DATABASE_URL": database,
            "HUB_EMAIL_VERIFICATION": "off",
            "HUB_OUTBOX_DRAIN": "worker",
        }
    )
    if args.processes > 1:
        env["HUB_REDIS_URL"] = args.redis
    servers, urls = [], []
    try:
        for n in range(args.processes):
            port = free_port()
            log = work / f"server-{n}.log"
            process = start_server(port, env, log)
            servers.append(process)
            urls.append(f"http://127.0.0.1:{port}")
            wait_healthy(urls[-1], process, log)

        ctx = multiprocessing.get_context("spawn")
        ready, go, go_home = ctx.Semaphore(0), ctx.Event(), ctx.Event()
        results = ctx.Queue()
        receivers = tokens[: args.clients]
        shares = [receivers[i :: args.client_processes] for i in range(args.client_processes)]
        workers = [
            ctx.Process(
                target=client_process,
                args=(args.client, urls, share, session_id, ready, go, go_home, results),
            )
            for share in shares
            if share
        ]
        connect_began = time.monotonic()
        for worker in workers:
            worker.start()
        for _ in workers:
            if not ready.acquire(timeout=600):
                sys.exit("clients did not all connect in 10 minutes")
        connect_seconds = time.monotonic() - connect_began
        time.sleep(2)  # let presence settle
        askers = tokens[args.clients :]
        go.set()
        server_cpu_began = [process_cpu(pid) for pid in worker_pids(servers)]
        asker_cpu_began, wall_began = cpu_seconds(), time.monotonic()
        acked, sign_ins = asyncio.run(
            both(
                ask_all(urls[0], askers, session_id, args.duration, args.interval),
                sign_in_storm(urls[0], args.sign_ins),
            )
        )
        time.sleep(5)  # grace
        go_home.set()
        wall = time.monotonic() - wall_began
        asker_cpu = cpu_seconds() - asker_cpu_began
        server_cpu = [
            process_cpu(pid) - began
            for pid, began in zip(worker_pids(servers), server_cpu_began, strict=False)
        ]
        load_after = " ".join(f"{x:.2f}" for x in os.getloadavg())
        collected = [results.get(timeout=300) for _ in workers]
        for worker in workers:
            worker.join(60)
    finally:
        for process in servers:
            stop(process)

    if args.dump:
        Path(args.dump).write_text(json.dumps(collected))
    pings = sum(batch.get("pings", 0) for batch in collected)
    client_cpu = sum(batch["cpu_s"] for batch in collected)
    client_wall = max(batch["wall_s"] for batch in collected)
    everyone = [client for batch in collected for client in batch["clients"]]
    latencies = [value for client in everyone for value in client["lat"]]
    expected = set(acked)
    lost = sum(len(expected - set(client["numbers"])) for client in everyone)
    gaps = sum(
        1
        for client in everyone
        for a, b in zip(client["seqs"], client["seqs"][1:], strict=False)
        if b != a + 1
    )
    return {
        **sign_in_figures(sign_ins),
        "password_hash": data["hash"],
        "clients": len(everyone),
        "processes": args.processes,
        "questions": len(expected),
        "deliveries": len(latencies),
        "expected": len(expected) * len(everyone),
        "lost": lost,
        "seq_gaps": gaps,
        "p50_ms": percentile(latencies, 50) * 1000,
        "p99_ms": percentile(latencies, 99) * 1000,
        "max_ms": max(latencies) * 1000 if latencies else float("nan"),
        "connect_s": connect_seconds,
        "load": load,
        "load_after": load_after,
        "pings_answered": pings,
        "client_cpu_pct": 100 * client_cpu / client_wall,
        "asker_cpu_pct": 100 * asker_cpu / wall,
        "server_cpu_pct": [round(100 * cpu / wall, 1) for cpu in server_cpu],
        "database": "postgresql" if database.startswith("postgresql") else "sqlite",
    }


def machine() -> str:
    return describe()


def report(result: dict, args) -> str:
    mode = (
        "one process"
        if result["processes"] == 1
        else f"{result['processes']} processes sharing Redis"
    )
    target = "met" if result["p99_ms"] <= 200 and result["lost"] == 0 else "missed"
    clients = (
        "raw-websocket asyncio clients (frames stamped on arrival, decoded after the run)"
        if args.client == "raw"
        else "python-socketio asyncio clients (websocket)"
    )
    server_cpu = " + ".join(f"{cpu:.0f}%" for cpu in result["server_cpu_pct"])
    return "\n".join(
        [
            f"## Live fan-out, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {mode}",
            "",
            f"- Machine: {machine()}; clients and servers share the machine's cores "
            f"(loopback); load average before the run {result['load']}, after "
            f"{result['load_after']}",
            f"- Command: `{shlex.join(['python', 'bench/live_bench.py', *sys.argv[1:]])}`",
            f"- Server: `gunicorn -c gunicorn.conf.py wsgi:app` (gevent worker, 1 worker a "
            f"process) x {result['processes']}, {result['database']}"
            f"{', Redis message queue' if result['processes'] > 1 else ''}",
            f"- Load: {result['clients']} {clients} in {args.client_processes} client "
            f"process(es) joined one session (connect and join took "
            f"{result['connect_s']:.0f} s); {ASKERS} askers sent a question every "
            f"{args.interval * 1000:.0f} ms for {args.duration:.0f} s",
            f"- CPU during the run, in % of one core: server worker(s) {server_cpu}; "
            f"receiving clients {result['client_cpu_pct']:.0f}%; askers "
            f"{result['asker_cpu_pct']:.0f}%",
            "",
            "| clients | processes | questions | deliveries | expected | lost | seq gaps "
            "| p50 ms | p99 ms | max ms | clients' CPU | target (p99 <= 200 ms, 0 lost) |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
            f"| {result['clients']:,} | {result['processes']} | {result['questions']} "
            f"| {result['deliveries']:,} | {result['expected']:,} | {result['lost']:,} "
            f"| {result['seq_gaps']} | {result['p50_ms']:.1f} | {result['p99_ms']:.1f} "
            f"| {result['max_ms']:.1f} | {result['client_cpu_pct']:.0f}% | {target} |",
            "",
            *_sign_in_lines(result),
        ]
    )


def _sign_in_lines(result: dict) -> list[str]:
    if not result["sign_ins"]:
        return []
    met = result["sign_in_p95_ms"] <= 1000 and result["sign_ins_ok"] == result["sign_ins"]
    return [
        f"Meanwhile {result['sign_ins']} people signed in (POST /api/v1/auth/login) to the "
        f"same process, spread over {SIGN_IN_SPREAD:.0f} s from the first question, each "
        f"password its own `{result['password_hash']}` hash. A sign-in told 429 waited its "
        "Retry-After and tried again; its time runs from its first try to its success.",
        "",
        "| sign-ins | succeeded | 429 answers | people told to retry | p50 ms | p95 ms "
        "| max ms | target (p95 <= 1 s) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        f"| {result['sign_ins']} | {result['sign_ins_ok']} | {result['sign_ins_429s']} "
        f"| {result['sign_ins_told_to_retry']} | {result['sign_in_p50_ms']:.0f} "
        f"| {result['sign_in_p95_ms']:.0f} | {result['sign_in_max_ms']:.0f} "
        f"| {'met' if met else 'missed'} |",
        "",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--processes", type=int, default=1, choices=(1, 2))
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--interval", type=float, default=0.1)
    parser.add_argument(
        "--client",
        choices=("raw", "python-socketio"),
        default="raw",
        help="receiving clients: raw websocket (light; default) or python-socketio",
    )
    parser.add_argument("--client-processes", type=int, default=1)
    parser.add_argument(
        "--sign-ins", type=int, default=0, help="people signing in during the first 20 s"
    )
    parser.add_argument("--dump", help="write every client's raw figures to this JSON file")
    parser.add_argument("--database", help="default: SQLite in a fresh temporary data dir")
    parser.add_argument(
        "--redis", default=os.environ.get("HUB_REDIS_URL", "redis://127.0.0.1:6379/14")
    )
    parser.add_argument("--no-save", action="store_true", help="print only; write no result file")
    args = parser.parse_args()
    result = run(args)
    text = report(result, args)
    print(text)
    print(json.dumps(result))
    if not args.no_save:
        name = "live-1-process" if args.processes == 1 else "live-2-processes"
        if args.sign_ins:
            name += "-sign-ins"
        print(f"Saved to {save(name, text)}")


if __name__ == "__main__":
    main()
