from django.urls import path

from . import views

app_name = "schools_wg"
urlpatterns = [
    path("", views.index, name="index"),
    path("mitglieder/neu/", views.member_form, name="member_create"),
    path("mitglieder/<int:pk>/bearbeiten/", views.member_form, name="member_edit"),
    path("mitglieder/<int:pk>/anonymisieren/", views.member_anonymise, name="member_anonymise"),
    path("sitzungen/neu/", views.session_form, name="session_create"),
    path("sitzungen/<int:pk>/", views.session_detail, name="session_detail"),
    path("sitzungen/<int:pk>/bearbeiten/", views.session_form, name="session_edit"),
    path("sitzungen/<int:pk>/teilnahme/", views.session_rsvp, name="session_rsvp"),
    path("sitzungen/<int:pk>/kalender.ics", views.session_ics, name="session_ics"),
    path("sitzungen/<int:pk>/protokoll/", views.session_minutes, name="session_minutes"),
    path("sitzungen/<int:pk>/anwesenheit/", views.session_attendance, name="session_attendance"),
    path("sitzungen/<int:pk>/tagesordnung/", views.agenda_add, name="agenda_add"),
    path(
        "sitzungen/<int:pk>/tagesordnung/<int:item_pk>/loeschen/",
        views.agenda_delete,
        name="agenda_delete",
    ),
    path("sitzungen/<int:pk>/aufgaben/", views.action_add, name="action_add"),
    path("aufgaben/<int:pk>/erledigt/", views.action_done, name="action_done"),
    path("aufgaben/<int:pk>/meilenstein/", views.action_milestone, name="action_milestone"),
    path("kalender/", views.calendar_settings, name="calendar"),
    path("kalender/<slug:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("paritaet/", views.parity_dashboard, name="parity"),
    path("paritaet/mindeststandards/", views.standards, name="standards"),
    path("paritaet/import/", views.import_values, name="import"),
    path("paritaet/export.csv", views.export, name="export"),
    path("schulen/<int:pk>/", views.school_detail, name="school_detail"),
    path("schulen/<int:pk>/werte/", views.measurements, name="measurements"),
]
