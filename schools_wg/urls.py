from django.urls import path

from . import views

app_name = "schools_wg"
urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("mitglieder/neu/", views.MemberFormView.as_view(), name="member_create"),
    path("mitglieder/<int:pk>/bearbeiten/", views.MemberFormView.as_view(), name="member_edit"),
    path(
        "mitglieder/<int:pk>/anonymisieren/",
        views.MemberAnonymiseView.as_view(),
        name="member_anonymise",
    ),
    path("sitzungen/neu/", views.SessionFormView.as_view(), name="session_create"),
    path("sitzungen/<int:pk>/", views.SessionDetailView.as_view(), name="session_detail"),
    path("sitzungen/<int:pk>/bearbeiten/", views.SessionFormView.as_view(), name="session_edit"),
    path("sitzungen/<int:pk>/teilnahme/", views.SessionRsvpView.as_view(), name="session_rsvp"),
    path("sitzungen/<int:pk>/kalender.ics", views.SessionIcsView.as_view(), name="session_ics"),
    path("sitzungen/<int:pk>/protokoll/", views.MinutesView.as_view(), name="session_minutes"),
    path(
        "sitzungen/<int:pk>/anwesenheit/", views.AttendanceView.as_view(), name="session_attendance"
    ),
    path("sitzungen/<int:pk>/tagesordnung/", views.AgendaAddView.as_view(), name="agenda_add"),
    path(
        "sitzungen/<int:pk>/tagesordnung/<int:item_pk>/loeschen/",
        views.AgendaDeleteView.as_view(),
        name="agenda_delete",
    ),
    path("sitzungen/<int:pk>/aufgaben/", views.ActionAddView.as_view(), name="action_add"),
    path("aufgaben/<int:pk>/erledigt/", views.ActionDoneView.as_view(), name="action_done"),
    path(
        "aufgaben/<int:pk>/meilenstein/",
        views.ActionMilestoneView.as_view(),
        name="action_milestone",
    ),
    path("kalender/", views.CalendarSettingsView.as_view(), name="calendar"),
    path("kalender/<slug:token>.ics", views.CalendarFeedView.as_view(), name="calendar_feed"),
    path("paritaet/", views.ParityView.as_view(), name="parity"),
    path("paritaet/mindeststandards/", views.StandardsView.as_view(), name="standards"),
    path("paritaet/import/", views.ImportView.as_view(), name="import"),
    path("paritaet/export.csv", views.ExportView.as_view(), name="export"),
    path("schulen/<int:pk>/", views.SchoolDetailView.as_view(), name="school_detail"),
    path("schulen/<int:pk>/werte/", views.MeasurementsView.as_view(), name="measurements"),
]
