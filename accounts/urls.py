from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("anmelden/", views.LoginView.as_view(), name="login"),
    path("abmelden/", views.LogoutView.as_view(), name="logout"),
    path("profil/", views.ProfileView.as_view(), name="profile"),
    path("datenschutz/", views.PrivacyNoticeView.as_view(), name="privacy"),
    path("meine-daten/", views.MyDataView.as_view(), name="my_data"),
    path("meine-daten/export.json", views.MyDataExportView.as_view(), name="my_data_export"),
]
