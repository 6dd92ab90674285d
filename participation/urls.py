from django.urls import path

from .views import comments, management, notifications, votes

app_name = "participation"
urlpatterns = [
    path("", management.index, name="index"),
    path("fraktionen/", management.factions, name="factions"),
    path("fraktionen/neu/", management.faction_create, name="faction_create"),
    path("fraktionen/<int:pk>/bearbeiten/", management.faction_edit, name="faction_edit"),
    path("stadtraete/neu/", management.councillor_create, name="councillor_create"),
    path(
        "stadtraete/<int:pk>/fraktion/",
        management.councillor_faction,
        name="councillor_faction",
    ),
    path("verfahren/neu/", management.consultation_create, name="consultation_create"),
    path("<int:pk>/", votes.consultation, name="consultation"),
    path("<int:pk>/bearbeiten/", management.consultation_edit, name="consultation_edit"),
    path("<int:pk>/oeffnen/", management.consultation_open, name="consultation_open"),
    path("<int:pk>/schliessen/", management.consultation_close, name="consultation_close"),
    path("<int:pk>/ziele/<int:goal_pk>/", votes.goal, name="goal"),
    path("<int:pk>/ziele/<int:goal_pk>/abstimmen/", votes.vote, name="vote"),
    path(
        "<int:pk>/ziele/<int:goal_pk>/kommentieren/",
        comments.comment_create,
        name="comment_create",
    ),
    path("kommentare/<int:pk>/antworten/", comments.comment_reply, name="comment_reply"),
    path("kommentare/<int:pk>/bearbeiten/", comments.comment_edit, name="comment_edit"),
    path(
        "kommentare/<int:pk>/zurueckziehen/",
        comments.comment_withdraw,
        name="comment_withdraw",
    ),
    path("kommentare/<int:pk>/ausblenden/", comments.comment_hide, name="comment_hide"),
    path(
        "kommentare/<int:pk>/einblenden/",
        comments.comment_restore,
        name="comment_restore",
    ),
    path("moderation/", comments.moderation_log, name="moderation_log"),
    path("benachrichtigungen/", notifications.preferences, name="preferences"),
]
