from django.urls import path

from . import views

app_name = "participation"
urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("fraktionen/", views.FactionListView.as_view(), name="factions"),
    path("fraktionen/neu/", views.FactionCreateView.as_view(), name="faction_create"),
    path("fraktionen/<int:pk>/bearbeiten/", views.FactionUpdateView.as_view(), name="faction_edit"),
    path("stadtraete/neu/", views.CouncillorCreateView.as_view(), name="councillor_create"),
    path(
        "stadtraete/<int:pk>/fraktion/",
        views.CouncillorFactionView.as_view(),
        name="councillor_faction",
    ),
    path("verfahren/neu/", views.ConsultationFormView.as_view(), name="consultation_create"),
    path("<int:pk>/", views.ConsultationDetailView.as_view(), name="consultation"),
    path("<int:pk>/bearbeiten/", views.ConsultationFormView.as_view(), name="consultation_edit"),
    path("<int:pk>/oeffnen/", views.ConsultationOpenView.as_view(), name="consultation_open"),
    path("<int:pk>/schliessen/", views.ConsultationCloseView.as_view(), name="consultation_close"),
    path("<int:pk>/ziele/<int:goal_pk>/", views.GoalDiscussionView.as_view(), name="goal"),
    path("<int:pk>/ziele/<int:goal_pk>/abstimmen/", views.VoteView.as_view(), name="vote"),
    path(
        "<int:pk>/ziele/<int:goal_pk>/kommentieren/",
        views.CommentCreateView.as_view(),
        name="comment_create",
    ),
    path("kommentare/<int:pk>/antworten/", views.CommentReplyView.as_view(), name="comment_reply"),
    path("kommentare/<int:pk>/bearbeiten/", views.CommentEditView.as_view(), name="comment_edit"),
    path(
        "kommentare/<int:pk>/zurueckziehen/",
        views.CommentWithdrawView.as_view(),
        name="comment_withdraw",
    ),
    path("kommentare/<int:pk>/ausblenden/", views.CommentHideView.as_view(), name="comment_hide"),
    path(
        "kommentare/<int:pk>/einblenden/",
        views.CommentRestoreView.as_view(),
        name="comment_restore",
    ),
    path("moderation/", views.ModerationLogView.as_view(), name="moderation_log"),
    path("benachrichtigungen/", views.PreferenceView.as_view(), name="preferences"),
]
