"""The timeline: measures and milestones per field of action as SVG bars and a table."""

from django.views.decorators.http import require_safe
from rules.contrib.views import permission_required

from core.htmx import render_content

from ..models import FieldOfAction
from ..timeline import build_timeline
from .common import VIEW


@permission_required(VIEW, raise_exception=True)
@require_safe
def timeline(request):
    """Template: strategy/timeline.html; context: axis, charts, fields, selected field."""
    all_fields = list(FieldOfAction.objects.active())
    selected = None
    try:
        selected_pk = int(request.GET.get("handlungsfeld", ""))
        selected = next((f for f in all_fields if f.pk == selected_pk), None)
    except ValueError:
        pass
    axis, charts = build_timeline([selected] if selected else all_fields)
    context = {"axis": axis, "charts": charts, "fields": all_fields, "selected": selected}
    return render_content(request, "strategy/timeline.html", context)
