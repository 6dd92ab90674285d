"""Results of consultations: totals and per faction against the faction's seats, chart geometry.

Read functions, no writes. (`consultations_held` was written for the status report, which now
tallies from the history in plauen_digital/reports/data.py; only tests call it.)
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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


def _in_term(faction: Faction, day) -> bool:
    return faction.term_start <= day and (faction.term_end is None or faction.term_end >= day)


def results_by_consultation(consultations, goal_ids=None) -> dict[int, dict[int, GoalResult]]:
    """{consultation id: {goal id: GoalResult}} for several consultations in three queries
    whatever their number (factions, vote counts, named votes). `goal_ids` maps a consultation
    id to the goals wanted; by default each consultation's goals (prefetch them).

    The factions of a consultation are those in their term when it ran plus any that received
    votes in it, largest first."""
    consultations = list(consultations)
    if not consultations:
        return {}
    if goal_ids is None:
        goal_ids = {c.pk: [goal.pk for goal in c.goals.all()] for c in consultations}
    factions = list(Faction.objects.order_by("-seats", "name"))
    counts = (
        Vote.objects.filter(consultation__in=consultations)
        .values_list("consultation_id", "goal_id", "faction_id", "choice")
        .annotate(n=Count("pk"))
        .order_by()
    )
    voted_factions = defaultdict(set)
    tallies = defaultdict(list)
    for consultation_id, goal_id, faction_id, choice, n in counts:
        voted_factions[consultation_id].add(faction_id)
        tallies[consultation_id].append((goal_id, faction_id, choice, n))
    named = _named_votes([c.pk for c in consultations if c.named_results])
    now = timezone.now()
    results = {}
    for consultation in consultations:
        day = timezone.localtime(min(consultation.closes_at, now)).date()
        shown = [f for f in factions if _in_term(f, day) or f.pk in voted_factions[consultation.pk]]
        wanted = list(goal_ids[consultation.pk])
        by_goal = {goal_id: {f.pk: Tally(seats=f.seats) for f in shown} for goal_id in wanted}
        for goal_id, faction_id, choice, n in tallies[consultation.pk]:
            if goal_id in by_goal:
                by_goal[goal_id][faction_id].add(choice, n)
        results[consultation.pk] = {
            goal_id: _goal_result(
                goal_id,
                [FactionResult(f, by_goal[goal_id][f.pk]) for f in shown],
                named[consultation.pk].get(goal_id, []) if consultation.named_results else None,
            )
            for goal_id in wanted
        }
    return results


def _named_votes(consultation_ids) -> dict[int, dict[int, list[NamedVote]]]:
    """{consultation id: {goal id: [NamedVote]}} by faction and name (one query, none without
    consultations with named results)."""
    named = defaultdict(dict)
    if not consultation_ids:
        return named
    choice_labels = dict(Vote.Choice.choices)
    votes = (
        Vote.objects.filter(consultation_id__in=consultation_ids)
        .select_related("councillor__user", "faction")
        .order_by("faction__name", "councillor__user__last_name", "councillor__user__first_name")
    )
    for vote in votes:
        named[vote.consultation_id].setdefault(vote.goal_id, []).append(
            NamedVote(
                str(vote.councillor.user),
                vote.faction.short_name,
                vote.choice,
                choice_labels[vote.choice],
            )
        )
    return named


def _goal_result(goal_id, rows, named) -> GoalResult:
    totals = Tally(seats=sum(row.faction.seats for row in rows))
    for row in rows:
        for choice in CHOICES:
            totals.add(choice, getattr(row.tally, choice))
    return GoalResult(
        goal_id=goal_id,
        totals=totals,
        factions=rows,
        named=named,
        chart=chart_geometry(rows, totals),
    )


def goal_results(consultation: Consultation, goal_ids=None) -> dict[int, GoalResult]:
    """Results for the consultation's goals (or the given goal ids), in three queries at most."""
    if goal_ids is None:
        goal_ids = list(consultation.goals.values_list("pk", flat=True))
    return results_by_consultation([consultation], {consultation.pk: goal_ids})[consultation.pk]


# Chart: one horizontal stacked bar per faction (and the council in total), each bar the
# faction's seats, split into approval / rejection / abstention / not voted.
LABEL_WIDTH = 120
BAR_WIDTH = 440
ROW_HEIGHT = 28
BAR_HEIGHT = 20


def chart_geometry(rows: list[FactionResult], totals: Tally) -> dict:
    bars = [(row.faction.short_name, row.tally) for row in rows]
    bars.append((str(pgettext_lazy("all factions", "Total")), totals))
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
    results_of = results_by_consultation(consultations)
    summaries = []
    for consultation in consultations:
        goals = list(consultation.goals.all())
        results = results_of[consultation.pk]
        summaries.append(
            ConsultationSummary(
                consultation=consultation,
                goals=[(goal, results[goal.pk]) for goal in goals],
                comment_count=counts.get(consultation.pk, 0),
                is_open=consultation.is_open_at(now),
            )
        )
    return summaries
