"""gunicorn's settings (read with `gunicorn -c gunicorn.conf.py`); docs/deployment.md says why.

nginx (deploy/nginx.conf.template) buffers every request and answer, so a worker thread only
ever talks to nginx on a fast local connection: slow clients cost nginx a few kilobytes, not a
thread here. gthread workers then serve several requests at once per process (threads for
requests that wait on PostgreSQL), and processes use all cores. Each value can be overridden by
an environment variable of the same name in capitals with the prefix GUNICORN_.
"""

import multiprocessing
import os


def _int(name, default):
    return int(os.environ.get(f"GUNICORN_{name}", default))


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
worker_class = "gthread"
# The usual rule for processes: two per core plus one. Threads: four per process; a page spends
# most of its time in the database, and the GIL is released while it waits.
workers = _int("WORKERS", 2 * multiprocessing.cpu_count() + 1)
threads = _int("THREADS", 4)
# A request that takes longer than this is cut off (the worker is restarted); reports are made
# by Celery, so no page legitimately needs a minute. nginx's proxy_read_timeout is the same.
timeout = _int("TIMEOUT", 60)
graceful_timeout = _int("GRACEFUL_TIMEOUT", 30)
# nginx opens one connection per request (no upstream keepalive), so none stays idle for long.
keepalive = _int("KEEPALIVE", 2)
# Restart each process after a number of requests, so a slow leak can never grow for weeks.
max_requests = _int("MAX_REQUESTS", 2000)
max_requests_jitter = _int("MAX_REQUESTS_JITTER", 200)
# The same bounds nginx has (large_client_header_buffers 4 8k).
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
# Only nginx may set X-Forwarded-Proto for gunicorn's own URL scheme (Django decides with
# SECURE_PROXY_SSL_HEADER). Compose: the proxy container's network; default: this host only.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
