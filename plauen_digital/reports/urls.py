from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("anfordern/", views.request_report, name="request"),
    path("vergleich/", views.compare_reports, name="compare"),
    path("vorschau/", views.preview, name="preview"),
    path("vorgehen/", views.approach, name="approach"),
    path("vorgehen/phasen/neu/", views.phase_create, name="phase_create"),
    path("vorgehen/phasen/<int:pk>/", views.phase_edit, name="phase_edit"),
    path("vorgehen/phasen/<int:pk>/loeschen/", views.phase_delete, name="phase_delete"),
    path("vorgehen/gremientermine/neu/", views.committee_date_create, name="committee_date_create"),
    path(
        "vorgehen/gremientermine/<int:pk>/", views.committee_date_edit, name="committee_date_edit"
    ),
    path(
        "vorgehen/gremientermine/<int:pk>/loeschen/",
        views.committee_date_delete,
        name="committee_date_delete",
    ),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/status/", views.status, name="status"),
    path("<int:pk>/herunterladen/", views.download, name="download"),
    path("<int:pk>/erneut-versuchen/", views.retry, name="retry"),
]
