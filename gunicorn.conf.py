"""gunicorn settings for production: `gunicorn wsgi:app` (this file is read from the
working directory; or `gunicorn -c gunicorn.conf.py wsgi:app`).

Live serving (Socket.IO) decides the shape, as Flask-SocketIO's deployment guide says:
- the gevent worker (`pip install -e '.[production]'`): thousands of open websockets in
  one process, served by simple-websocket. Measured here, threading mode lost most
  messages at 1,000 clients in one room; gevent lost none (docs/benchmarks.md).
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
