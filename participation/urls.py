from django.urls import path

from . import views

app_name = "participation"
urlpatterns = [
    path("", views.index, name="index"),
    path("fraktionen/", views.factions, name="factions"),
    path("fraktionen/neu/", views.faction_create, name="faction_create"),
    path("fraktionen/<int:pk>/bearbeiten/", views.faction_edit, name="faction_edit"),
    path("stadtraete/neu/", views.councillor_create, name="councillor_create"),
    path(
        "stadtraete/<int:pk>/fraktion/",
        views.councillor_faction,
        name="councillor_faction",
    ),
    path("verfahren/neu/", views.consultation_create, name="consultation_create"),
    path("<int:pk>/", views.consultation, name="consultation"),
    path("<int:pk>/bearbeiten/", views.consultation_edit, name="consultation_edit"),
    path("<int:pk>/oeffnen/", views.consultation_open, name="consultation_open"),
    path("<int:pk>/schliessen/", views.consultation_close, name="consultation_close"),
    path("<int:pk>/ziele/<int:goal_pk>/", views.goal, name="goal"),
    path("<int:pk>/ziele/<int:goal_pk>/abstimmen/", views.vote, name="vote"),
    path(
        "<int:pk>/ziele/<int:goal_pk>/kommentieren/",
        views.comment_create,
        name="comment_create",
    ),
    path("kommentare/<int:pk>/antworten/", views.comment_reply, name="comment_reply"),
    path("kommentare/<int:pk>/bearbeiten/", views.comment_edit, name="comment_edit"),
    path(
        "kommentare/<int:pk>/zurueckziehen/",
        views.comment_withdraw,
        name="comment_withdraw",
    ),
    path("kommentare/<int:pk>/ausblenden/", views.comment_hide, name="comment_hide"),
    path(
        "kommentare/<int:pk>/einblenden/",
        views.comment_restore,
        name="comment_restore",
    ),
    path("moderation/", views.moderation_log, name="moderation_log"),
    path("benachrichtigungen/", views.preferences, name="preferences"),
]
