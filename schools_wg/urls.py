from django.urls import path

from .views import ics, members, parity, sessions, transfer

app_name = "schools_wg"
urlpatterns = [
    path("", members.index, name="index"),
    path("mitglieder/neu/", members.member_form, name="member_create"),
    path("mitglieder/<int:pk>/bearbeiten/", members.member_form, name="member_edit"),
    path("mitglieder/<int:pk>/anonymisieren/", members.member_anonymise, name="member_anonymise"),
    path("sitzungen/neu/", sessions.session_form, name="session_create"),
    path("sitzungen/<int:pk>/", sessions.session_detail, name="session_detail"),
    path("sitzungen/<int:pk>/bearbeiten/", sessions.session_form, name="session_edit"),
    path("sitzungen/<int:pk>/teilnahme/", sessions.session_rsvp, name="session_rsvp"),
    path("sitzungen/<int:pk>/kalender.ics", ics.session_ics, name="session_ics"),
    path("sitzungen/<int:pk>/protokoll/", sessions.session_minutes, name="session_minutes"),
    path("sitzungen/<int:pk>/anwesenheit/", sessions.session_attendance, name="session_attendance"),
    path("sitzungen/<int:pk>/tagesordnung/", sessions.agenda_add, name="agenda_add"),
    path(
        "sitzungen/<int:pk>/tagesordnung/<int:item_pk>/loeschen/",
        sessions.agenda_delete,
        name="agenda_delete",
    ),
    path("sitzungen/<int:pk>/aufgaben/", sessions.action_add, name="action_add"),
    path("aufgaben/<int:pk>/erledigt/", sessions.action_done, name="action_done"),
    path("aufgaben/<int:pk>/meilenstein/", sessions.action_milestone, name="action_milestone"),
    path("kalender/", ics.calendar_settings, name="calendar"),
    path("kalender/<slug:token>.ics", ics.calendar_feed, name="calendar_feed"),
    path("paritaet/", parity.parity_dashboard, name="parity"),
    path("paritaet/mindeststandards/", parity.standards, name="standards"),
    path("paritaet/import/", transfer.import_values, name="import"),
    path("paritaet/export.csv", transfer.export, name="export"),
    path("schulen/<int:pk>/", parity.school_detail, name="school_detail"),
    path("schulen/<int:pk>/werte/", parity.measurements, name="measurements"),
]
