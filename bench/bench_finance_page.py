"""Benchmark of the funding plan page: 2 000 cost items × 12 years × 15 funding sources.

Run ``python bench/bench_finance_page.py`` from the repository root. It creates a throwaway
SQLite database in a temporary directory (or uses ``BENCH_DATABASE_URL``, e.g. an empty
PostgreSQL database you created for it), migrates it, imports the scenario of
bench/bench_engine.py (the same synthetic data the engine benchmark uses) under 40 measures in
4 fields, and requests ``/finanzen/`` with Django's test client as a Verwaltung user. It prints
the best of N wall times and the number of queries, for a small database (the worked example)
and the large one: the query counts must be equal. Targets: < 300 ms, constant queries. The
cache is emptied before each request, so the figures are those of an uncached plan.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

RUNS = 7
TARGET_MS = 300


def _setup_django(directory: str) -> None:
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{directory}/bench.sqlite3"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plauen_digital.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)


def _measure(client, path: str) -> tuple[float, int]:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)  # warm up: templates, session
    times = []
    for _ in range(RUNS):
        # The page caches its plan under a data stamp; emptied, each request computes the plan
        # as the first one after a write does (the figure the target is about).
        cache.clear()
        started = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return min(times) * 1000, len(queries)


def _import(scenario, measures):
    """The scenario into the database, items spread over the measures (bulk, no history)."""
    from finance.models import BudgetLine, CostItem, FundingSource, PlanPeriod

    items = []
    for index, item in enumerate(scenario.cost_items):
        end_year, amount, replace = item.end_year, item.amount, item.replace
        if end_year is not None and end_year < item.start_year:
            # The synthetic data has a few end years before the start (the database refuses
            # them): the same costs, stored validly.
            if item.recurrence == "annual":
                end_year, amount = item.start_year, Decimal(0)
            else:
                end_year, replace = None, False
        items.append(
            CostItem(
                measure=measures[index % len(measures)],
                key=item.id,
                title=item.title or item.id,
                category=item.category,
                amount=amount,
                start_year=item.start_year,
                recurrence=item.recurrence,
                end_year=end_year,
                useful_life=item.useful_life if item.recurrence == "once" else None,
                replace=replace and item.recurrence == "once" and bool(item.useful_life),
                escalation_pct=item.escalation_pct,
            )
        )
    CostItem.objects.bulk_create(items, batch_size=500)
    by_key = {item.key: item for item in CostItem.objects.all()}
    for source in scenario.funding_sources:
        obj = FundingSource.objects.create(
            key=source.id,
            title=source.title or source.id,
            rate_pct=source.rate_pct,
            eligible_categories=sorted(source.eligible_categories),
            from_year=source.from_year,
            to_year=source.to_year,
            cap=source.cap,
            category_caps={k: str(v) for k, v in source.category_caps.items()},
            priority=source.priority,
        )
        if source.item_ids:
            obj.items.set([by_key[key] for key in source.item_ids])
    for year, amount in scenario.budget.items():
        # Two lines a year that add up to the scenario's budget.
        BudgetLine.objects.create(year=year, amount=amount - 1000, account="Produkt 1")
        BudgetLine.objects.create(year=year, amount=1000, account="Produkt 2")
    PlanPeriod.objects.update_or_create(
        pk=PlanPeriod.objects.values_list("pk", flat=True).first(),
        defaults={"first_year": scenario.years[0], "last_year": scenario.years[1]},
    )


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-finance-") as directory:
        _setup_django(directory)
        from bench_engine import FIRST, ITEMS, LAST, SOURCES, build_scenario
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group
        from django.test import Client

        from accounts import roles
        from finance import selectors
        from finance.engine import compute_plan
        from finance.models import BudgetLine, CostItem, FundingSource, PlanPeriod
        from finance.scenario import load_scenario_file
        from finance.transfer import import_scenario
        from strategy.models import FieldOfAction, Goal, Measure

        user = get_user_model().objects.create_user("bench")
        user.groups.add(Group.objects.get_or_create(name=roles.VERWALTUNG)[0])
        client = Client()
        client.force_login(user)

        import_scenario(
            load_scenario_file(ROOT / "tests" / "finance" / "data" / "funding-example.json")
        )
        small_ms, small_queries = _measure(client, "/finanzen/")
        print(
            f"plan page, worked example (7 items): best of {RUNS} {small_ms:.1f} ms, "
            f"{small_queries} queries"
        )

        for model in (FundingSource, CostItem, BudgetLine, PlanPeriod):
            model.objects.all().delete()
        measures = []
        for f in range(4):
            field = FieldOfAction.objects.create(code=f"B{f}", title=f"Feld {f}", position=f)
            for g in range(2):
                goal = Goal.objects.create(field=field, code=f"B{f}.{g}", title=f"Ziel {g}")
                for m in range(5):
                    measures.append(
                        Measure.objects.create(goal=goal, code=f"B{f}.{g}.{m}", title=f"M {m}")
                    )
        scenario = build_scenario()
        _import(scenario, measures)
        db_plan = compute_plan(selectors.load_inputs().scenario)
        assert [row.as_dict() for row in db_plan.years] == [
            row.as_dict() for row in compute_plan(scenario).years
        ], "the database plan differs from the engine benchmark's plan"

        large_ms, large_queries = _measure(client, "/finanzen/")
        print(
            f"plan page, {ITEMS} items × {LAST - FIRST + 1} years × {SOURCES} sources: "
            f"best of {RUNS} {large_ms:.1f} ms, {large_queries} queries"
        )
        field_ms, field_queries = _measure(client, f"/finanzen/?field={measures[0].goal.field_id}")
        print(
            f"plan page of one field (slice): best of {RUNS} {field_ms:.1f} ms, "
            f"{field_queries} queries"
        )
        ok = large_ms < TARGET_MS and large_queries == small_queries
        print(f"target < {TARGET_MS} ms and constant queries: {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
