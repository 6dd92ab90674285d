"""The status reports panel on the dashboard.

The latest report and the number being generated are cached under the dashboard's data stamp:
every change of a job's state is a save, which writes a history row (only the progress, which the
panel does not show, is a plain update)."""

from core import caching
from core.caching import cached

from .models import ReportJob


def panel(request):
    """The latest finished status report with its download link; None for users without access."""
    if not request.user.has_perm("reports.view"):
        return None
    return {
        "template": "reports/partials/dashboard_panel.html",
        "can_download": request.user.has_perm("reports.download"),
        **cached("reports-dashboard", caching.request_stamp(request, "dashboard"), figures),
    }


def figures():
    latest = (
        ReportJob.objects.done()
        .order_by("-finished_at", "-pk")
        .values("pk", "title", "reporting_date", "page_count")
        .first()
    )
    in_progress = ReportJob.objects.filter(
        state__in=[ReportJob.State.PENDING, ReportJob.State.RUNNING]
    ).count()
    return {"latest": latest, "in_progress": in_progress}
