from django.urls import path

from .views import deadlines, detail, items, overview, timeline, transfer

app_name = "strategy"
urlpatterns = [
    path("", overview.index, name="index"),
    path("fristen/", deadlines.deadlines, name="deadlines"),
    path("fristen/kalender.ics", deadlines.deadlines_ics, name="deadlines_ics"),
    path("fristen/abo/", deadlines.deadline_feed_settings, name="deadline_feed_settings"),
    path("fristen/abo/<slug:token>.ics", deadlines.deadline_feed, name="deadline_feed"),
    path("zeitplan/", timeline.timeline, name="timeline"),
    path("export.csv", transfer.export_csv, name="export_csv"),
    path("export.xlsx", transfer.export_xlsx, name="export_xlsx"),
    path("import/", transfer.import_view, name="import"),
    # Handlungsfelder
    path("handlungsfeld/neu/", items.create, {"level": "field"}, name="field_create"),
    path("handlungsfeld/<int:pk>/", detail.detail, {"level": "field"}, name="field_detail"),
    path("handlungsfeld/<int:pk>/bearbeiten/", items.edit, {"level": "field"}, name="field_edit"),
    path("handlungsfeld/<int:pk>/loeschen/", items.delete, {"level": "field"}, name="field_delete"),
    path(
        "handlungsfeld/<int:pk>/wiederherstellen/",
        items.restore,
        {"level": "field"},
        name="field_restore",
    ),
    path("handlungsfeld/<int:pk>/verschieben/", items.move, {"level": "field"}, name="field_move"),
    path(
        "handlungsfeld/<int:parent_pk>/ziel/neu/",
        items.create,
        {"level": "goal"},
        name="goal_create",
    ),
    # Ziele
    path("ziel/<int:pk>/", detail.detail, {"level": "goal"}, name="goal_detail"),
    path("ziel/<int:pk>/massnahmen/", overview.goal_measures, name="goal_measures"),
    path("ziel/<int:pk>/bearbeiten/", items.edit, {"level": "goal"}, name="goal_edit"),
    path("ziel/<int:pk>/loeschen/", items.delete, {"level": "goal"}, name="goal_delete"),
    path("ziel/<int:pk>/wiederherstellen/", items.restore, {"level": "goal"}, name="goal_restore"),
    path("ziel/<int:pk>/verschieben/", items.move, {"level": "goal"}, name="goal_move"),
    path(
        "ziel/<int:parent_pk>/massnahme/neu/",
        items.create,
        {"level": "measure"},
        name="measure_create",
    ),
    # Maßnahmen
    path("massnahme/<int:pk>/", detail.detail, {"level": "measure"}, name="measure_detail"),
    path("massnahme/<int:pk>/bearbeiten/", items.edit, {"level": "measure"}, name="measure_edit"),
    path("massnahme/<int:pk>/loeschen/", items.delete, {"level": "measure"}, name="measure_delete"),
    path(
        "massnahme/<int:pk>/wiederherstellen/",
        items.restore,
        {"level": "measure"},
        name="measure_restore",
    ),
    path("massnahme/<int:pk>/verschieben/", items.move, {"level": "measure"}, name="measure_move"),
    path(
        "massnahme/<int:parent_pk>/meilenstein/neu/",
        items.create,
        {"level": "milestone"},
        name="milestone_create",
    ),
    # Meilensteine
    path(
        "meilenstein/<int:pk>/bearbeiten/",
        items.edit,
        {"level": "milestone"},
        name="milestone_edit",
    ),
    path(
        "meilenstein/<int:pk>/loeschen/",
        items.delete,
        {"level": "milestone"},
        name="milestone_delete",
    ),
    path("meilenstein/<int:pk>/erledigt/", items.milestone_done, name="milestone_done"),
]
