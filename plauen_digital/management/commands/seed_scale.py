"""A large synthetic data set for load tests (`make bench`), created with bulk inserts.

    manage.py seed_scale [--password PW]

12 fields of action, 120 goals, 1 200 measures, 4 000 milestones, 3 000 cost items with 15
funding sources, 42 councillors in five factions with their votes, 20 000 comments (1 000 of
them on one goal of the open consultation), 19 schools with eight parity indicators over five
school years, and 20 load-test accounts (`bench-01` … `bench-20`, Stadtrat, so that they may read
every page the load run requests).

The data is synthetic: `bulk_create` writes no history rows (django-simple-history records only
saves), which does not matter for load figures. Run it on an empty database (the command refuses
when synthetic data already exists); `make bench` creates a fresh one.
"""

import datetime
import random
import time
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts import roles
from accounts.models import User
from finance.models import BudgetLine, CostItem, FundingSource, PlanPeriod
from finance.selectors import CATEGORIES
from participation.models import (
    Comment,
    Consultation,
    Councillor,
    Faction,
    FactionMembership,
    Vote,
)
from schools_wg.demo import INDICATORS, seed_indicators
from schools_wg.models import School, SchoolMeasurement, school_year_of
from strategy.models import FieldOfAction, Goal, Measure, Milestone, OrgUnit

FIELDS = 12
GOALS_PER_FIELD = 10
MEASURES_PER_GOAL = 10
MILESTONES = 4_000
COST_ITEMS = 3_000
FUNDING_SOURCES = 15
FACTIONS = [("Fraktion A", "A", 11), ("Fraktion B", "B", 9), ("Fraktion C", "C", 6)]
FACTIONS += [("Fraktion D", "D", 5), ("Fraktion E", "E", 11)]  # 42 seats
COMMENTS = 20_000
HOT_GOAL_COMMENTS = 1_000
SCHOOLS = 19
SCHOOL_YEARS = 5
BENCH_USERS = 20
BATCH = 2_000
FIELD_PREFIX = "SF"  # field codes "SF 01" …: the marker of synthetic data


class Command(BaseCommand):
    help = "Create a large synthetic data set for load tests (bulk inserts, no history)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default="bench-Passwort-2026",
            help="Password of the load-test accounts bench-01 … bench-20.",
        )
        parser.add_argument("--seed", type=int, default=2021, help="Random seed.")

    def handle(self, *args, password, seed, **options):
        if FieldOfAction.objects.filter(code__startswith=FIELD_PREFIX).exists():
            raise CommandError("Synthetic data exists already: use a fresh database.")
        started = time.monotonic()
        self.rng = random.Random(seed)  # noqa: S311 (synthetic data, not security)
        self.now = timezone.now()
        self.today = timezone.localdate()
        with transaction.atomic():
            measures = self.strategy()
            users, councillors = self.people(password)
            self.participation(councillors)
            schools = self.schools()
            self.finance(measures, schools)
        counts = {
            "fields": FieldOfAction.objects.count(),
            "goals": Goal.objects.count(),
            "measures": Measure.objects.count(),
            "milestones": Milestone.objects.count(),
            "cost items": CostItem.objects.count(),
            "councillors": Councillor.objects.count(),
            "votes": Vote.objects.count(),
            "comments": Comment.objects.count(),
            "schools": School.objects.count(),
            "measurements": SchoolMeasurement.objects.count(),
        }
        summary = ", ".join(f"{value} {name}" for name, value in counts.items())
        self.stdout.write(f"seed_scale: {summary} in {time.monotonic() - started:.1f} s")

    # strategy --------------------------------------------------------------------------------

    def strategy(self):
        units = OrgUnit.objects.bulk_create(
            OrgUnit(name=f"Synthetisches Amt {i:02d}", short_name=f"SA{i:02d}") for i in range(10)
        )
        fields = FieldOfAction.objects.bulk_create(
            FieldOfAction(
                code=f"{FIELD_PREFIX} {f:02d}",
                title=f"Handlungsfeld {f:02d} (synthetisch)",
                description="Synthetische Daten für Lasttests.",
                lead_unit=units[f % len(units)],
                position=f,
            )
            for f in range(1, FIELDS + 1)
        )
        statuses = [choice for choice, _label in Goal.Status.choices]
        goals = Goal.objects.bulk_create(
            Goal(
                field=field,
                code=f"Z {f}.{g}",
                title=f"Ziel {f}.{g}: synthetisches Ziel mit messbarem Indikator",
                description="Beschreibung " * 20,
                indicator="Anteil digital angebotener Leistungen",
                indicator_unit="%",
                baseline=Decimal(10),
                target_value=Decimal(80),
                target_date=datetime.date(2028, 12, 31),
                owner_unit=units[(f + g) % len(units)],
                status=self.rng.choice(statuses),
                position=g,
            )
            for f, field in enumerate(fields, start=1)
            for g in range(1, GOALS_PER_FIELD + 1)
        )
        lifecycles = [c for c, _l in Measure.Lifecycle.choices]
        lights = [c for c, _l in Measure.TrafficLight.choices]
        priorities = [c for c, _l in Measure.Priority.choices]
        start = datetime.date(2024, 1, 1)
        measures = Measure.objects.bulk_create(
            (
                Measure(
                    goal=goal,
                    code=f"M {goal.code[2:]}.{m}",
                    title=f"Maßnahme {goal.code[2:]}.{m} (synthetisch)",
                    description="Beschreibung der Maßnahme. " * 5,
                    lead_unit=units[m % len(units)],
                    partners="Partner A, Partner B",
                    priority=self.rng.choice(priorities),
                    planned_start=start + datetime.timedelta(days=self.rng.randrange(0, 700)),
                    planned_end=start + datetime.timedelta(days=self.rng.randrange(700, 1800)),
                    lifecycle=self.rng.choice(lifecycles),
                    traffic_light=self.rng.choice(lights),
                    progress=self.rng.randrange(0, 101),
                    weight=Decimal(1 + self.rng.randrange(3)),
                    position=m,
                )
                for goal in goals
                for m in range(1, MEASURES_PER_GOAL + 1)
            ),
            batch_size=BATCH,
        )
        milestones = []
        for index in range(MILESTONES):
            measure = measures[index % len(measures)]
            due = self.today + datetime.timedelta(days=self.rng.randrange(-400, 900))
            done = due if due < self.today and self.rng.random() < 0.7 else None
            milestones.append(
                Milestone(
                    measure=measure,
                    title=f"Meilenstein {index + 1}",
                    due_date=due,
                    done_on=done,
                    position=index // len(measures),
                )
            )
        Milestone.objects.bulk_create(milestones, batch_size=BATCH)
        return measures

    # people and participation ----------------------------------------------------------------

    def people(self, password):
        hashed = make_password(password)
        stadtrat, _created = Group.objects.get_or_create(name=roles.STADTRAT)
        users = User.objects.bulk_create(
            User(
                username=f"rat-s{i:02d}",
                first_name=f"Rätin{i:02d}",
                last_name=f"Synthetisch{i:02d}",
                email=f"rat-s{i:02d}@example.invalid",
                password=hashed,
            )
            for i in range(1, 43)
        )
        bench = User.objects.bulk_create(
            User(
                username=f"bench-{i:02d}",
                first_name="Last",
                last_name=f"Test {i:02d}",
                password=hashed,
            )
            for i in range(1, BENCH_USERS + 1)
        )
        Through = User.groups.through
        Through.objects.bulk_create(
            Through(user_id=user.pk, group_id=stadtrat.pk) for user in [*users, *bench]
        )
        term_start = datetime.date(2024, 8, 1)
        factions = Faction.objects.bulk_create(
            Faction(
                name=f"{name} (synthetisch)",
                short_name=f"S{short}",
                seats=seats,
                term_start=term_start,
            )
            for name, short, seats in FACTIONS
        )
        councillors = Councillor.objects.bulk_create(Councillor(user=user) for user in users)
        seats = [
            faction
            for faction, (_n, _s, count) in zip(factions, FACTIONS, strict=True)
            for _ in range(count)
        ]
        FactionMembership.objects.bulk_create(
            FactionMembership(councillor=c, faction=f, valid_from=term_start)
            for c, f in zip(councillors, seats, strict=True)
        )
        self.seat_of = {c.pk: f for c, f in zip(councillors, seats, strict=True)}
        return users, councillors

    def participation(self, councillors):
        goals = list(Goal.objects.filter(field__code__startswith=FIELD_PREFIX).order_by("pk"))
        closed = Consultation.objects.create(
            title="Abgeschlossene Beteiligung (synthetisch)",
            introduction="Alle Ziele.",
            opens_at=self.now - datetime.timedelta(days=60),
            closes_at=self.now - datetime.timedelta(days=30),
            named_results=True,
        )
        closed.goals.set(goals)
        running = Consultation.objects.create(
            title="Laufende Beteiligung (synthetisch)",
            introduction="Die Ziele des ersten Handlungsfelds.",
            opens_at=self.now - datetime.timedelta(days=2),
            closes_at=self.now + datetime.timedelta(days=60),
        )
        open_goals = goals[:GOALS_PER_FIELD]
        running.goals.set(open_goals)
        choices = [c for c, _l in Vote.Choice.choices]
        votes = [
            Vote(
                consultation=consultation,
                goal=goal,
                councillor=councillor,
                faction=self.seat_of[councillor.pk],
                choice=self.rng.choice(choices),
                cast_at=consultation.opens_at + datetime.timedelta(hours=1),
            )
            for consultation, consultation_goals in ((closed, goals), (running, open_goals))
            for goal in consultation_goals
            for councillor in councillors
            if self.rng.random() < 0.9
        ]
        Vote.objects.bulk_create(votes, batch_size=BATCH)

        authors = [c.user_id for c in councillors]
        hot_goal = open_goals[0]
        self.stdout.write(
            f"seed_scale: goal page with {HOT_GOAL_COMMENTS} comments: "
            f"/beteiligung/{running.pk}/ziele/{hot_goal.pk}/"
        )
        # Top-level comments first (replies need their pk), then replies to them.
        plan = [(running, hot_goal)] * HOT_GOAL_COMMENTS
        plan += [(closed, goals[i % len(goals)]) for i in range(COMMENTS - HOT_GOAL_COMMENTS)]
        top, replies = [], []
        per_goal: dict[tuple[int, int], int] = {}
        for index, (consultation, goal) in enumerate(plan):
            # Every fifth comment on a goal is a reply to an earlier one.
            key = (consultation.pk, goal.pk)
            nth = per_goal[key] = per_goal.get(key, 0) + 1
            (replies if nth % 5 == 0 else top).append((index, consultation, goal))
        created = Comment.objects.bulk_create(
            (
                self._comment(index, consultation, goal, authors)
                for index, consultation, goal in top
            ),
            batch_size=BATCH,
        )
        parents = {}
        for comment in created:
            parents.setdefault((comment.consultation_id, comment.goal_id), []).append(comment)
        Comment.objects.bulk_create(
            (
                self._comment(
                    index,
                    consultation,
                    goal,
                    authors,
                    parent=self.rng.choice(parents[(consultation.pk, goal.pk)]),
                )
                for index, consultation, goal in replies
            ),
            batch_size=BATCH,
        )

    def _comment(self, index, consultation, goal, authors, parent=None):
        written = consultation.opens_at + datetime.timedelta(minutes=index % 2800)
        return Comment(
            consultation=consultation,
            goal=goal,
            author_id=authors[index % len(authors)],
            parent=parent,
            text=f"Beitrag {index + 1}: synthetischer Kommentar mit etwas Text. " * 3,
            created_at=written,
        )

    # schools ---------------------------------------------------------------------------------

    def schools(self):
        types = [c for c, _l in School.SchoolType.choices]
        schools = School.objects.bulk_create(
            School(
                name=f"Synthetische Schule {i:02d}",
                school_type=types[i % len(types)],
                pupils=200 + 20 * i,
                classes=8 + i % 10,
                classrooms=10 + i % 12,
                district=f"Ortsteil {i % 6}",
            )
            for i in range(1, SCHOOLS + 1)
        )
        indicators = seed_indicators()
        first = int(school_year_of(self.today)[:4]) - SCHOOL_YEARS + 1
        years = [f"{y}/{(y + 1) % 100:02d}" for y in range(first, first + SCHOOL_YEARS)]
        rows = []
        for school in schools:
            level = self.rng.random()
            for step, year in enumerate(years):
                q = min(level + 0.08 * step, 1)
                for code, _n, _u, _d, decimals, worst, best, _s in INDICATORS:
                    if worst is None:
                        day = datetime.date(first - 3, 1, 1) + datetime.timedelta(
                            days=int(q * 2000)
                        )
                        fields = {"value": None, "date_value": day}
                    else:
                        value = Decimal(str(worst + (best - worst) * q))
                        fields = {"value": value.quantize(Decimal(1).scaleb(-decimals))}
                    rows.append(
                        SchoolMeasurement(
                            school=school, indicator=indicators[code], school_year=year, **fields
                        )
                    )
        SchoolMeasurement.objects.bulk_create(rows, batch_size=BATCH)
        return schools

    # finance ---------------------------------------------------------------------------------

    def finance(self, measures, schools):
        categories = list(CATEGORIES)
        items = []
        for index in range(COST_ITEMS):
            annual = index % 3 == 0
            start_year = 2025 + index % 4
            once_fields = (
                {"useful_life": 5, "replace": index % 2 == 0} if not annual else {"replace": False}
            )
            items.append(
                CostItem(
                    measure=measures[index % len(measures)],
                    school=schools[index % len(schools)] if index % 4 == 0 else None,
                    key=f"synth-{index:05d}",
                    title=f"Kostenposition {index + 1} (synthetisch)",
                    category=categories[index % len(categories)],
                    kind=CostItem.Kind.CONSUMPTIVE if annual else CostItem.Kind.INVESTIVE,
                    amount=Decimal(self.rng.randrange(1_000, 250_000)),
                    start_year=start_year,
                    recurrence=CostItem.Recurrence.ANNUAL if annual else CostItem.Recurrence.ONCE,
                    end_year=start_year + 6 if annual else None,
                    escalation_pct=Decimal("2.0") if annual else Decimal(0),
                    **once_fields,
                )
            )
        CostItem.objects.bulk_create(items, batch_size=BATCH)
        FundingSource.objects.bulk_create(
            FundingSource(
                key=f"synth-foerderung-{i:02d}",
                title=f"Förderprogramm {i:02d} (synthetisch)",
                provider=FundingSource.Provider.STATE,
                status=FundingSource.Status.APPROVED,
                rate_pct=Decimal(40 + 3 * i),
                category_scope=FundingSource.Scope.SELECTED,
                eligible_categories=categories[i % 5 : i % 5 + 4],
                from_year=2025 + i % 3,
                to_year=2029 + i % 4,
                cap=Decimal(2_000_000 + 250_000 * i),
                category_caps={categories[i % 5]: "1500000"},
                priority=i,
            )
            for i in range(1, FUNDING_SOURCES + 1)
        )
        BudgetLine.objects.bulk_create(
            BudgetLine(year=year, amount=Decimal(25_000_000), account=f"1.1.{year}")
            for year in range(2025, 2035)
        )
        if not PlanPeriod.objects.exists():
            PlanPeriod.objects.create(first_year=2025, last_year=2034)
