"""Benchmark of the funding plan engine: 2 000 cost items × 12 years × 15 funding sources.

Run ``python bench/bench_engine.py`` from the repository root; it prints the best of five wall
times of `compute_plan`. The scenario is synthetic and deterministic (fixed seed); about a third
of the sources fund every category, so most items are seen by several sources each year.
"""

from __future__ import annotations

import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from finance.engine import CostItem, FundingSource, Scenario, compute_plan  # noqa: E402
from finance.scenario import CATEGORIES  # noqa: E402

FIRST, LAST = 2025, 2036
ITEMS, SOURCES, RUNS = 2000, 15, 5


def build_scenario(seed: int = 2021) -> Scenario:
    """A large, varied scenario: investments with replacements, escalating running costs, caps."""
    rng = random.Random(seed)
    categories = list(CATEGORIES)
    items = []
    for number in range(ITEMS):
        once = rng.random() < 0.5
        items.append(
            CostItem(
                id=f"item-{number:04d}",
                category=rng.choice(categories),
                amount=Decimal(rng.randrange(500, 200_000)) / 4,
                start_year=rng.randrange(FIRST - 2, LAST),
                recurrence="once" if once else "annual",
                end_year=rng.choice([None, None, rng.randrange(FIRST + 3, LAST + 3)]),
                useful_life=rng.randrange(3, 9) if once else None,
                replace=once and rng.random() < 0.7,
                escalation_pct=Decimal(rng.choice(["0", "1.5", "2", "2.5", "3", "4.2"])),
            )
        )
    sources = []
    for number in range(SOURCES):
        every_category = number % 3 == 0
        eligible = None if every_category else frozenset(rng.sample(categories, 4))
        capped = rng.sample(categories, 2)
        start = rng.randrange(FIRST - 3, LAST - 2)
        sources.append(
            FundingSource(
                id=f"F{number:02d}",
                title=f"Programm {number}",
                rate_pct=Decimal(rng.choice(["25", "50", "66.6", "75", "90"])),
                eligible_categories=eligible,
                # Every fifth source is scoped to a few hundred named items.
                item_ids=(
                    frozenset(item.id for item in rng.sample(items, 300))
                    if number % 5 == 4
                    else None
                ),
                from_year=start,
                to_year=rng.randrange(start + 2, LAST + 2),
                cap=rng.choice([None, Decimal(rng.randrange(1, 40)) * 250_000]),
                category_caps={
                    category: Decimal(rng.randrange(50, 500) * 1000) for category in capped
                },
                priority=rng.randrange(0, 4),
            )
        )
    budget = {year: Decimal(rng.randrange(5, 20) * 1_000_000) for year in range(FIRST, LAST + 1)}
    return Scenario(
        years=(FIRST, LAST), cost_items=tuple(items), funding_sources=tuple(sources), budget=budget
    )


def main() -> None:
    scenario = build_scenario()
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        plan = compute_plan(scenario)
        times.append(time.perf_counter() - started)
    total_cost = plan.total("cost")
    total_grants = plan.total("grants_total")
    print(
        f"compute_plan: {ITEMS} items × {LAST - FIRST + 1} years × {SOURCES} sources: "
        f"best of {RUNS} {min(times) * 1000:.1f} ms (cost {total_cost:,} €, grants {total_grants:,} €)"
    )


if __name__ == "__main__":
    main()
