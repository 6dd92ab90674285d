"""Load run: N logged-in users request one page after another, for a bounded time per page.

    python bench/load.py --base http://127.0.0.1:8765 --users 20 --duration 20 \
        --page minimal=/bench/minimal/ --page dashboard=/ ... [--write docs/benchmarks.md]

Each simulated user is a thread with its own session (logged in through the login form, as a
person would) and its own HTTP connection; it requests the page again as soon as the previous
answer has arrived (a closed loop: 20 users means 20 requests in flight). For each page the run
first warms up (each user twice), then measures for `--duration` seconds: throughput (answers per
second), p50/p95/p99 latency, and errors (any status but 200, or a failed connection).

Only the standard library: http.client on loopback. `--write` replaces the results section of
docs/benchmarks.md (between the markers) and keeps the text around it.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import os
import platform
import re
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

MARKERS = "<!-- bench:{}:start -->", "<!-- bench:{}:end -->"
TARGET_P95_MS = 200
TARGET_SHARE = 0.25


class Client:
    """One user: a keep-alive connection (reopened when the server closes it) and cookies."""

    def __init__(self, base: str):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port or 80
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                content = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.connection.close()
                if attempt == 2:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.headers, content

    def login(self, username: str, password: str) -> None:
        status, _headers, content = self.request("GET", "/konto/anmelden/")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
        if status != 200 or not match:
            raise RuntimeError(f"login page: status {status}, no CSRF token")
        body = urlencode(
            {
                "csrfmiddlewaretoken": match.group(1).decode(),
                "username": username,
                "password": password,
            }
        )
        status, headers, _content = self.request(
            "POST",
            "/konto/anmelden/",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://{self.host}:{self.port}/konto/anmelden/",
            },
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login of {username} failed: status {status}")


@dataclass
class PageResult:
    name: str
    path: str
    latencies: list[float] = field(default_factory=list)  # seconds, successful answers
    errors: int = 0
    elapsed: float = 0.0
    statuses: dict[int, int] = field(default_factory=dict)

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    def percentile(self, q: float) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] * 1000 if self.latencies else float("nan")
        cuts = statistics.quantiles(self.latencies, n=100, method="inclusive")
        return cuts[int(q) - 1] * 1000


def run_page(clients: list[Client], name: str, path: str, duration: float, warmup: int):
    result = PageResult(name, path)
    lock = threading.Lock()
    began = [0.0]

    def start_clock():  # runs once, before any user passes the barrier
        began[0] = time.monotonic()

    barrier = threading.Barrier(len(clients), action=start_clock)

    def user(client: Client):
        for _ in range(warmup):
            client.request("GET", path)
        barrier.wait()
        latencies, errors, statuses = [], 0, {}
        stop_at = began[0] + duration
        while time.monotonic() < stop_at:
            started = time.monotonic()
            try:
                status, _headers, _content = client.request("GET", path)
            except OSError:
                errors += 1
                continue
            latency = time.monotonic() - started
            statuses[status] = statuses.get(status, 0) + 1
            if status == 200:
                latencies.append(latency)
            else:
                errors += 1
        with lock:
            result.latencies.extend(latencies)
            result.errors += errors
            for status, count in statuses.items():
                result.statuses[status] = result.statuses.get(status, 0) + count

    threads = [threading.Thread(target=user, args=(c,), daemon=True) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.elapsed = time.monotonic() - began[0]
    return result


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        memory = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, AttributeError):
        pass
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607 (developer tool)
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except OSError:
        commit = "unknown"
    return {
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "cpus (nproc)": str(os.cpu_count()),
        "cpu": cpu,
        "memory": memory,
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "commit": commit or "unknown",
    }


def report(results: list[PageResult], info: dict[str, str], setup: str, section: str) -> str:
    ceiling = next((r for r in results if r.name == "minimal"), None)
    start_marker, end_marker = (m.format(section) for m in MARKERS)
    lines = [
        start_marker,
        f"Measured {info['date']} (commit {info['commit']}).",
        "",
        "| machine | |",
        "|---|---|",
        *[f"| {key} | {value} |" for key, value in info.items() if key != "date"],
        "",
        setup,
        "",
        "| page | path | requests | errors | throughput (req/s) | share of minimal | "
        "p50 (ms) | p95 (ms) | p99 (ms) | targets |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        share = r.throughput / ceiling.throughput if ceiling and ceiling.throughput else 0
        misses = []
        if r.percentile(95) >= TARGET_P95_MS:
            misses.append("p95")
        if r is not ceiling and share < TARGET_SHARE:
            misses.append("throughput")
        if r.errors:
            misses.append("errors")
        verdict = "met" if not misses else "missed: " + ", ".join(misses)
        lines.append(
            f"| {r.name} | `{r.path}` | {len(r.latencies)} | {r.errors} | {r.throughput:.1f} | "
            f"{share:.0%} | {r.percentile(50):.0f} | {r.percentile(95):.0f} | "
            f"{r.percentile(99):.0f} | {verdict} |"
        )
    lines.append(end_marker)
    return "\n".join(lines)


def write(path: Path, content: str, section: str) -> None:
    start_marker, end_marker = (m.format(section) for m in MARKERS)
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    if start_marker not in text:
        text = text.rstrip("\n") + f"\n\n{start_marker}\n{end_marker}\n"
    before, rest = text.split(start_marker, 1)
    _old, after = rest.split(end_marker, 1)
    path.write_text(before + content + after)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8765")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per page")
    parser.add_argument("--warmup", type=int, default=2, help="requests per user before")
    parser.add_argument("--username", default="bench-{:02d}")
    parser.add_argument("--password", default="bench-Passwort-2026")
    parser.add_argument("--page", action="append", required=True, help="name=/path/")
    parser.add_argument("--setup", default="", help="a line describing the server set-up")
    parser.add_argument("--write", type=Path, help="update the results section of this file")
    parser.add_argument("--section", default="results", help="name of that section")
    args = parser.parse_args(argv)

    pages = [tuple(spec.split("=", 1)) for spec in args.page]
    clients = []
    for number in range(1, args.users + 1):
        client = Client(args.base)
        client.login(args.username.format(number), args.password)
        clients.append(client)
    print(f"{len(clients)} users logged in", flush=True)

    results = []
    for name, path in pages:
        result = run_page(clients, name, path, args.duration, args.warmup)
        results.append(result)
        print(
            f"{name:<10} {result.throughput:7.1f} req/s  p50 {result.percentile(50):6.0f} ms  "
            f"p95 {result.percentile(95):6.0f} ms  p99 {result.percentile(99):6.0f} ms  "
            f"errors {result.errors} {result.statuses}",
            flush=True,
        )
    section = report(results, machine(), args.setup, args.section)
    if args.write:
        write(args.write, section, args.section)
        print(f"results written to {args.write}")
    else:
        print(section)
    return 1 if any(r.errors for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
