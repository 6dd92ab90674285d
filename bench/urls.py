"""The project's URLs plus `/bench/minimal/`, the ceiling of the load run.

The minimal page passes the same middleware as every other page (session, authentication,
CSRF, CSP, history, axes) for the same logged-in user, but does no database work beyond the
session and the user and renders no template: what is left is Django and gunicorn themselves.
"""

from django.http import HttpResponse
from django.urls import include, path


def minimal(request):
    return HttpResponse(f"ok {request.user.pk}", content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("bench/minimal/", minimal, name="bench_minimal"),
    path("", include("plauen_digital.urls")),
]

handler403 = "plauen_digital.views.permission_denied"
handler404 = "plauen_digital.views.page_not_found"
handler500 = "plauen_digital.views.server_error"
