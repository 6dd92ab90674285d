from .models import ReportJob


def panel(request):
    """The latest finished status report with its download link; None for users without access."""
    if not request.user.has_perm("reports.view"):
        return None
    return {
        "template": "reports/partials/dashboard_panel.html",
        "latest": ReportJob.objects.done().order_by("-finished_at", "-pk").first(),
        "can_download": request.user.has_perm("reports.download"),
        "in_progress": ReportJob.objects.filter(
            state__in=[ReportJob.State.PENDING, ReportJob.State.RUNNING]
        ).count(),
    }
