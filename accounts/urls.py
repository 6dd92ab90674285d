from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("anmelden/", views.LoginView.as_view(), name="login"),
    path("abmelden/", views.LogoutView.as_view(), name="logout"),
    path("profil/", views.profile, name="profile"),
    path("datenschutz/", views.privacy_notice, name="privacy"),
    path("meine-daten/", views.my_data, name="my_data"),
    path("meine-daten/export.json", views.my_data_export, name="my_data_export"),
]
