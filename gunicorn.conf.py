"""gunicorn settings for production: `gunicorn wsgi:app` (this file is read from the
working directory; or `gunicorn -c gunicorn.conf.py wsgi:app`).

Live serving (Socket.IO) decides the shape, as Flask-SocketIO's deployment guide says:
- the gevent worker (`pip install -e '.[production]'`): thousands of open websockets in
  one process, served by simple-websocket. Threading mode lost most messages at 1,000
  clients in one room; gevent loses none (docs/benchmarks.md, "Live fan-out").
- one worker a process: Socket.IO's long-polling transport keeps a client's state in the
  process that began its session, so each request of that client must come back to it.
  Scale by running more processes (on other ports or hosts) behind a load balancer with
  sticky sessions, all with the same HUB_REDIS_URL so that any process reaches every room.
- no preload: the worker patches the standard library for gevent before it imports the
  app, and the app picks its Socket.IO mode from that (hub._socketio_async_mode).
See docs/operations.md.
"""

import os

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '5000')}")
worker_class = "gevent"
workers = 1
# Open connections (websockets and long-polls) one process holds at once.
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS", "4000"))
preload_app = False
# Websockets stay open for hours; gevent workers tell the arbiter they are alive on
# their own, so the timeout only catches a process that is truly stuck.
timeout = 60
graceful_timeout = 30
keepalive = 5
accesslog = os.environ.get("GUNICORN_ACCESS_LOG")  # unset: no access log
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker):
    """Keep the garbage collector from stalling the worker.

    A gevent worker is one thread: while the collector runs, no websocket is written.
    With 1,000 live clients, full collections came every few seconds and their pauses
    were the whole tail of live delivery (bench/results/2026-11-23-1821-notes.md): every
    fan-out allocates per-recipient packets, and the default threshold (700) ran young
    collections mid fan-out, promoting packets still queued until the old generation grew
    enough to trigger a full collection. So:
    - freeze what start-up made (modules, classes, the schema: most of the heap), so that
      a full collection scans only what serving made;
    - collect young objects every 50,000 allocations instead of 700, so that a fan-out's
      packets are mostly gone before a collection sees them;
    - do not record each greenlet's spawning stack (gevent's track_greenlet_tree): about
      ten frame objects per greenlet, three greenlets per websocket, kept for nothing.
    """
    import gc

    try:
        from gevent import config
    except ImportError:  # another worker class, without gevent installed
        pass
    else:
        config.track_greenlet_tree = False
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 10)
