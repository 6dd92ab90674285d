"""The state of the audited records at the end of a reporting date, read from their history.

A report dated D states what was true at the end of D (Europe/Berlin), or now if D has not
ended yet. Every record is rebuilt from its last history row up to that moment (a deletion
drops it), with one query per model whatever the number of records (django-simple-history's
`latest_of_each()`), and M2M fields with history from their historical through tables in one
more query. The rebuilt objects are unsaved model instances: read their fields, never their
relations (those would query the live tables); the builders join them by id.

What cannot be rebuilt is counted per model in `gaps` so the report can say so where the figure
stands: records that have no history row at all (made by a bulk write without history) and
records whose history starts after D without a creation row (history switched on later). For a
report of today such records are taken as they are now, which is their state at D.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone
from simple_history.models import HistoricalRecords


def end_of_day(day) -> datetime:
    """The first moment after the day, in the project's time zone."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


class AsOf:
    """Records as of the end of `day`; each model is read once and kept."""

    def __init__(self, day, now=None):
        self.day = day
        now = now or timezone.now()
        end = end_of_day(day)
        # History rows are stamped with the moment of the save; "at the end of D" is before D+1.
        self.moment = min(end - timedelta(microseconds=1), now)
        self.is_current = end > now
        self.gaps: dict[str, int] = {}
        self._objects: dict[type, list] = {}
        self._history_ids: dict[type, dict[int, int]] = {}

    def objects(self, model) -> list:
        """The model's records as of the moment (unsaved instances, ordered by pk)."""
        if model in self._objects:
            return self._objects[model]
        records = (
            model.history.filter(history_date__lte=self.moment)
            .latest_of_each()
            .order_by("history_date", "history_id")
        )
        found, history_ids = {}, {}
        for record in records:  # on a tie of dates the later row wins
            if record.history_type == "-":
                found.pop(record.id, None)
                history_ids.pop(record.id, None)
            else:
                found[record.id] = record.instance
                history_ids[record.id] = record.history_id
        self._count_gaps(model, found)
        result = [found[pk] for pk in sorted(found)]
        self._objects[model] = result
        self._history_ids[model] = history_ids
        return result

    def by_id(self, model) -> dict:
        return {obj.pk: obj for obj in self.objects(model)}

    def m2m(self, model, field_name) -> dict[int, set[int]]:
        """{object pk: {related pk, …}} of an M2M field with history, as of the moment."""
        self.objects(model)
        history_ids = self._history_ids[model]
        m2m_field = model._meta.get_field(field_name)
        through = HistoricalRecords.m2m_models[m2m_field]
        target = m2m_field.related_model._meta.model_name
        by_history = {history_id: pk for pk, history_id in history_ids.items()}
        result = {pk: set() for pk in history_ids}
        rows = through.objects.filter(history_id__in=list(by_history)).values_list(
            "history_id", f"{target}_id"
        )
        for history_id, related_id in rows:
            result[by_history[history_id]].add(related_id)
        return result

    def _count_gaps(self, model, found: dict) -> None:
        history = model.history.model
        without_history = model.objects.filter(~Exists(history.objects.filter(id=OuterRef("pk"))))
        if self.is_current:
            # Now is D: what has no history is as it is now.
            for obj in without_history:
                found[obj.pk] = obj
            missing = 0
        else:
            missing = without_history.count()
        # Records whose history begins after the moment with a change, not a creation: they may
        # have existed at D, in a state nobody recorded.
        earlier = history.objects.filter(
            id=OuterRef("id"), history_date__lt=OuterRef("history_date")
        )
        late_start = (
            history.objects.filter(history_date__gt=self.moment)
            .exclude(history_type="+")
            .filter(~Exists(earlier))
            .values("id")
            .distinct()
            .count()
        )
        if missing + late_start:
            self.gaps[model._meta.label] = missing + late_start

    def gap(self, *models) -> int:
        """How many records of these models could not be rebuilt (read them first)."""
        return sum(self.gaps.get(model._meta.label, 0) for model in models)
