"""Benchmark of the status report: database → chapters → HTML → PDF, end to end.

    python manage.py seed_demo --force          # once, the demo data
    python bench/bench_report.py                # the demo-data report (target: < 15 s)
    python bench/bench_report.py --large        # plus a synthetic strategy of 12 fields,
                                                # 120 goals, 1 200 measures (< 90 s, < 1 GB)

It runs the same code as the Celery task (`services.generate`) in this process and prints wall
time, pages, size and the peak memory of the process. The PDF goes to a temporary folder; the
synthetic strategy is created in a transaction that is rolled back afterwards.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plauen_digital.settings")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="bench-report-"))

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402

from plauen_digital.reports import services  # noqa: E402
from plauen_digital.reports.models import ReportJob  # noqa: E402


class Rollback(Exception):
    pass


def run(label: str) -> ReportJob:
    start = time.perf_counter()
    job = services.report_request(
        reporting_date=date.today(), title=f"Benchmark {label}", enqueue=False
    )
    services.generate(job.pk)
    elapsed = time.perf_counter() - start
    job.refresh_from_db()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{label}: {elapsed:.1f} s, state {job.state}, {job.page_count} pages, "
        f"{(job.size or 0) / 1024:.0f} KiB, peak memory {peak_mb:.0f} MiB"
    )
    if job.state != ReportJob.State.DONE:
        print(f"  error: {job.error_message}")
    return job


def large_strategy() -> None:
    """12 fields × 10 goals × 10 measures, each with two milestones."""
    from simple_history.utils import bulk_create_with_history

    from strategy.models import FieldOfAction, Goal, Measure, Milestone

    lifecycles = [choice for choice, _ in Measure.Lifecycle.choices]
    lights = [choice for choice, _ in Measure.TrafficLight.choices]
    for f in range(1, 13):
        field = FieldOfAction.objects.create(
            code=f"BF {f}", title=f"Benchmark-Handlungsfeld {f}", position=100 + f
        )
        for g in range(1, 11):
            goal = Goal.objects.create(field=field, code=f"BZ {f}.{g}", title=f"Ziel {f}.{g}")
            # With history rows, as the report rebuilds every figure from the history.
            measures = bulk_create_with_history(
                [
                    Measure(
                        goal=goal,
                        code=f"BM {f}.{g}.{m}",
                        title=f"Maßnahme {f}.{g}.{m}",
                        lifecycle=lifecycles[(f + g + m) % len(lifecycles)],
                        traffic_light=lights[(f * g + m) % len(lights)],
                        progress=(f * g * m) % 101,
                        planned_start=date(2025, 1 + m % 12, 1),
                        planned_end=date(2027, 1 + (g + m) % 12, 28),
                    )
                    for m in range(1, 11)
                ],
                Measure,
            )
            bulk_create_with_history(
                [
                    Milestone(
                        measure=measure, title=f"Meilenstein {n}", due_date=date(2026, n * 5, 1)
                    )
                    for measure in measures
                    for n in (1, 2)
                ],
                Milestone,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", action="store_true", help="also the synthetic large strategy")
    args = parser.parse_args()

    job = run("demo data")
    job.pdf.delete(save=False)
    job.delete()
    if args.large:
        try:
            with transaction.atomic():
                large_strategy()
                job = run("large synthetic strategy")
                job.pdf.delete(save=False)
                raise Rollback
        except Rollback:
            pass


if __name__ == "__main__":
    main()
