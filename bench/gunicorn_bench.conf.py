"""gunicorn settings of bench/http_bench.py, passed with -c so that the production
gunicorn.conf.py in the working directory (gevent, one worker) is not read: the HTTP
benchmark compares the hub and the references under the same plain settings,
2 sync workers (the command line sets workers, worker class and bind)."""

worker_class = "sync"
timeout = 60
preload_app = False
accesslog = None
errorlog = "-"
