"""Top-level URLs. These German paths are promises to users: keep them stable."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from . import views

urlpatterns = [
    path("", views.dashboard_page, name="dashboard"),
    path("konto/", include("accounts.urls")),
    path("strategie/", include("strategy.urls")),
    path("finanzen/", include("finance.urls")),
    path("ag-schule/", include("schools_wg.urls")),
    path("beteiligung/", include("participation.urls")),
    path("berichte/", include("plauen_digital.reports.urls")),
    path("aenderungen/", include("plauen_digital.changes.urls")),
    path("sprache/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]

handler400 = "plauen_digital.views.bad_request"
handler403 = "plauen_digital.views.permission_denied"
handler404 = "plauen_digital.views.page_not_found"
handler500 = "plauen_digital.views.server_error"

if settings.DEBUG:
    urlpatterns += [path("__debug__/500/", views.raise_error)]
