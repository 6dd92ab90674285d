from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("anfordern/", views.RequestView.as_view(), name="request"),
    path("vergleich/", views.CompareView.as_view(), name="compare"),
    path("<int:pk>/", views.DetailView.as_view(), name="detail"),
    path("<int:pk>/status/", views.StatusView.as_view(), name="status"),
    path("<int:pk>/herunterladen/", views.DownloadView.as_view(), name="download"),
    path("<int:pk>/erneut-versuchen/", views.RetryView.as_view(), name="retry"),
]
