"""Results of consultations: totals and per faction against the faction's seats, chart geometry.

Read functions for other parts (the status report calls `consultations_held`); no writes here.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Comment, Consultation, Faction, Vote

CHOICES = (Vote.Choice.YES, Vote.Choice.NO, Vote.Choice.ABSTAIN)


@dataclass
class Tally:
    """Votes of a group against its seats; `not_voted` = seats without a vote."""

    seats: int = 0
    yes: int = 0
    no: int = 0
    abstain: int = 0

    @property
    def votes(self) -> int:
        return self.yes + self.no + self.abstain

    @property
    def not_voted(self) -> int:
        return max(self.seats - self.votes, 0)

    def add(self, choice: str, count: int) -> None:
        setattr(self, choice, getattr(self, choice) + count)

    def segments(self):
        """(css class, label, count) in the order of the chart and the table."""
        return [
            ("yes", _("Approval"), self.yes),
            ("no", _("Rejection"), self.no),
            ("abstain", _("Abstention"), self.abstain),
            ("none", _("Not voted"), self.not_voted),
        ]


@dataclass
class FactionResult:
    faction: Faction
    tally: Tally


@dataclass
class NamedVote:
    name: str
    faction: str
    choice: str
    choice_label: str


@dataclass
class GoalResult:
    goal_id: int
    totals: Tally
    factions: list[FactionResult]
    named: list[NamedVote] | None = None
    chart: dict = field(default_factory=dict)


@dataclass
class ConsultationSummary:
    """What the status report shows about one consultation."""

    consultation: Consultation
    goals: list  # of (Goal, GoalResult)
    comment_count: int
    is_open: bool


def factions_for(consultation: Consultation) -> list[Faction]:
    """Factions in their term when the consultation ran, plus any that received votes."""
    day = timezone.localtime(min(consultation.closes_at, timezone.now())).date()
    in_term = Q(term_start__lte=day) & (Q(term_end__isnull=True) | Q(term_end__gte=day))
    return list(
        Faction.objects.filter(in_term | Q(votes__consultation=consultation))
        .distinct()
        .order_by("-seats", "name")
    )


def goal_results(consultation: Consultation, goal_ids=None) -> dict[int, GoalResult]:
    """Results for the consultation's goals (or the given goal ids), in three queries at most."""
    if goal_ids is None:
        goal_ids = list(consultation.goals.values_list("pk", flat=True))
    goal_ids = list(goal_ids)
    factions = factions_for(consultation)
    counts = (
        Vote.objects.filter(consultation=consultation, goal_id__in=goal_ids)
        .values_list("goal_id", "faction_id", "choice")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_goal: dict[int, dict[int, Tally]] = {
        goal_id: {f.pk: Tally(seats=f.seats) for f in factions} for goal_id in goal_ids
    }
    for goal_id, faction_id, choice, n in counts:
        by_goal[goal_id][faction_id].add(choice, n)

    named: dict[int, list[NamedVote]] = {}
    if consultation.named_results:
        choice_labels = dict(Vote.Choice.choices)
        votes = (
            Vote.objects.filter(consultation=consultation, goal_id__in=goal_ids)
            .select_related("councillor__user", "faction")
            .order_by(
                "faction__name", "councillor__user__last_name", "councillor__user__first_name"
            )
        )
        for vote in votes:
            named.setdefault(vote.goal_id, []).append(
                NamedVote(
                    str(vote.councillor.user),
                    vote.faction.short_name,
                    vote.choice,
                    choice_labels[vote.choice],
                )
            )

    results = {}
    for goal_id in goal_ids:
        rows = [FactionResult(f, by_goal[goal_id][f.pk]) for f in factions]
        totals = Tally(seats=sum(f.seats for f in factions))
        for row in rows:
            for choice in CHOICES:
                totals.add(choice, getattr(row.tally, choice))
        results[goal_id] = GoalResult(
            goal_id=goal_id,
            totals=totals,
            factions=rows,
            named=named.get(goal_id, []) if consultation.named_results else None,
            chart=chart_geometry(rows, totals),
        )
    return results


# Chart: one horizontal stacked bar per faction (and the council in total), each bar the
# faction's seats, split into approval / rejection / abstention / not voted.
LABEL_WIDTH = 120
BAR_WIDTH = 440
ROW_HEIGHT = 28
BAR_HEIGHT = 20


def chart_geometry(rows: list[FactionResult], totals: Tally) -> dict:
    bars = [(row.faction.short_name, row.tally) for row in rows]
    bars.append((str(_("Total")), totals))
    out = []
    for index, (label, tally) in enumerate(bars):
        y = index * ROW_HEIGHT
        x = LABEL_WIDTH
        segments = []
        for css, segment_label, count in tally.segments():
            width = BAR_WIDTH * count / tally.seats if tally.seats else 0
            if width:
                segments.append(
                    {
                        "x": round(x, 2),
                        "width": round(width, 2),
                        "css": css,
                        "label": segment_label,
                        "count": count,
                        "text_x": round(x + width / 2, 2),
                        "show_text": width >= 18,
                    }
                )
            x += width
        out.append(
            {
                "label": label,
                "y": y,
                "text_y": y + BAR_HEIGHT / 2 + 5,
                "segments": segments,
                "tally": tally,
            }
        )
    return {
        "rows": out,
        "width": LABEL_WIDTH + BAR_WIDTH + 10,
        "height": len(out) * ROW_HEIGHT,
        "bar_height": BAR_HEIGHT,
    }


def comment_counts(consultation_ids) -> dict[int, int]:
    """Comments per consultation that are neither withdrawn nor hidden."""
    return dict(
        Comment.objects.visible()
        .filter(consultation_id__in=list(consultation_ids))
        .values_list("consultation_id")
        .annotate(n=Count("pk"))
        .order_by()
    )


def consultations_held(start=None, end=None) -> list[ConsultationSummary]:
    """Consultations that have opened (optionally: opened between `start` and `end`), oldest first,
    each with its goals' results per faction and its number of (visible) comments."""
    now = timezone.now()
    consultations = Consultation.objects.filter(opens_at__lte=now).order_by("opens_at", "pk")
    if start is not None:
        consultations = consultations.filter(opens_at__gte=start)
    if end is not None:
        consultations = consultations.filter(opens_at__lte=end)
    consultations = list(consultations.prefetch_related("goals"))
    counts = comment_counts(c.pk for c in consultations)
    summaries = []
    for consultation in consultations:
        goals = list(consultation.goals.all())
        results = goal_results(consultation, [goal.pk for goal in goals])
        summaries.append(
            ConsultationSummary(
                consultation=consultation,
                goals=[(goal, results[goal.pk]) for goal in goals],
                comment_count=counts.get(consultation.pk, 0),
                is_open=consultation.is_open_at(now),
            )
        )
    return summaries
