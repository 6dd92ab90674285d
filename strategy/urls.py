from django.urls import path

from . import views

app_name = "strategy"
urlpatterns = [
    path("", views.index, name="index"),
    path("fristen/", views.deadlines, name="deadlines"),
    path("fristen/kalender.ics", views.deadlines_ics, name="deadlines_ics"),
    path("fristen/abo/", views.deadline_feed_settings, name="deadline_feed_settings"),
    path("fristen/abo/<slug:token>.ics", views.deadline_feed, name="deadline_feed"),
    path("zeitplan/", views.timeline, name="timeline"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("import/", views.import_view, name="import"),
    # Handlungsfelder
    path("handlungsfeld/neu/", views.create, {"level": "field"}, name="field_create"),
    path("handlungsfeld/<int:pk>/", views.detail, {"level": "field"}, name="field_detail"),
    path("handlungsfeld/<int:pk>/bearbeiten/", views.edit, {"level": "field"}, name="field_edit"),
    path("handlungsfeld/<int:pk>/loeschen/", views.delete, {"level": "field"}, name="field_delete"),
    path(
        "handlungsfeld/<int:pk>/wiederherstellen/",
        views.restore,
        {"level": "field"},
        name="field_restore",
    ),
    path("handlungsfeld/<int:pk>/verschieben/", views.move, {"level": "field"}, name="field_move"),
    path(
        "handlungsfeld/<int:parent_pk>/ziel/neu/",
        views.create,
        {"level": "goal"},
        name="goal_create",
    ),
    # Ziele
    path("ziel/<int:pk>/", views.detail, {"level": "goal"}, name="goal_detail"),
    path("ziel/<int:pk>/massnahmen/", views.goal_measures, name="goal_measures"),
    path("ziel/<int:pk>/bearbeiten/", views.edit, {"level": "goal"}, name="goal_edit"),
    path("ziel/<int:pk>/loeschen/", views.delete, {"level": "goal"}, name="goal_delete"),
    path("ziel/<int:pk>/wiederherstellen/", views.restore, {"level": "goal"}, name="goal_restore"),
    path("ziel/<int:pk>/verschieben/", views.move, {"level": "goal"}, name="goal_move"),
    path(
        "ziel/<int:parent_pk>/massnahme/neu/",
        views.create,
        {"level": "measure"},
        name="measure_create",
    ),
    # Maßnahmen
    path("massnahme/<int:pk>/", views.detail, {"level": "measure"}, name="measure_detail"),
    path("massnahme/<int:pk>/bearbeiten/", views.edit, {"level": "measure"}, name="measure_edit"),
    path("massnahme/<int:pk>/loeschen/", views.delete, {"level": "measure"}, name="measure_delete"),
    path(
        "massnahme/<int:pk>/wiederherstellen/",
        views.restore,
        {"level": "measure"},
        name="measure_restore",
    ),
    path("massnahme/<int:pk>/verschieben/", views.move, {"level": "measure"}, name="measure_move"),
    path(
        "massnahme/<int:parent_pk>/meilenstein/neu/",
        views.create,
        {"level": "milestone"},
        name="milestone_create",
    ),
    # Meilensteine
    path(
        "meilenstein/<int:pk>/bearbeiten/",
        views.edit,
        {"level": "milestone"},
        name="milestone_edit",
    ),
    path(
        "meilenstein/<int:pk>/loeschen/",
        views.delete,
        {"level": "milestone"},
        name="milestone_delete",
    ),
    path("meilenstein/<int:pk>/erledigt/", views.milestone_done, name="milestone_done"),
]
