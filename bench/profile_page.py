"""Service time and queries of one page, in-process, against the seed_scale database.

Quicker than `make bench` while working on one page: no gunicorn, no load client.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/plauen_bench \\
        .venv/bin/python bench/profile_page.py /strategie/ [--user bench-01] [-n 30] [--profile] [--miss]

The database must hold `manage.py seed_scale` data (bench/run_bench.sh creates it). The first
request is reported separately (cold caches); the others give p50/p95 of a warm process.
With --miss the cache is emptied before each of them: the cost of the first request after a
write (a warm process whose cached fragments are out of date).
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path")
    parser.add_argument("--user", default="bench-01")
    parser.add_argument("-n", type=int, default=30, help="warm requests")
    parser.add_argument("--profile", action="store_true", help="cProfile the warm requests")
    parser.add_argument("--miss", action="store_true", help="empty the cache before each request")
    args = parser.parse_args()

    client = Client()
    client.force_login(get_user_model().objects.get(username=args.user))
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(args.path)
    cold = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, response.status_code
    size = len(response.content)

    profiler = cProfile.Profile() if args.profile else None
    times = []
    with CaptureQueriesContext(connection) as warm_queries:
        for _ in range(args.n):
            if args.miss:
                cache.clear()
            started = time.perf_counter()
            if profiler:
                profiler.enable()
            client.get(args.path)
            if profiler:
                profiler.disable()
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    print(
        f"{args.path}: {size / 1024:.0f} kB; cold {cold:.0f} ms, {len(queries)} queries; "
        f"{'cache miss' if args.miss else 'warm'} p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, "
        f"{len(warm_queries) / args.n:.0f} queries"
    )
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
