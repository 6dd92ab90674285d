from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("anfordern/", views.RequestView.as_view(), name="request"),
    path("vergleich/", views.CompareView.as_view(), name="compare"),
    path("vorschau/", views.PreviewView.as_view(), name="preview"),
    path("vorgehen/", views.ApproachView.as_view(), name="approach"),
    path("vorgehen/phasen/neu/", views.PhaseEditView.as_view(), name="phase_create"),
    path("vorgehen/phasen/<int:pk>/", views.PhaseEditView.as_view(), name="phase_edit"),
    path(
        "vorgehen/phasen/<int:pk>/loeschen/", views.PhaseDeleteView.as_view(), name="phase_delete"
    ),
    path(
        "vorgehen/gremientermine/neu/",
        views.CommitteeDateEditView.as_view(),
        name="committee_date_create",
    ),
    path(
        "vorgehen/gremientermine/<int:pk>/",
        views.CommitteeDateEditView.as_view(),
        name="committee_date_edit",
    ),
    path(
        "vorgehen/gremientermine/<int:pk>/loeschen/",
        views.CommitteeDateDeleteView.as_view(),
        name="committee_date_delete",
    ),
    path("<int:pk>/", views.DetailView.as_view(), name="detail"),
    path("<int:pk>/status/", views.StatusView.as_view(), name="status"),
    path("<int:pk>/herunterladen/", views.DownloadView.as_view(), name="download"),
    path("<int:pk>/erneut-versuchen/", views.RetryView.as_view(), name="retry"),
]
