from django.urls import path

from . import views

app_name = "finance"


def _crud(prefix, kind, list_view, list_name, detail=True):
    patterns = [
        path(f"{prefix}/", list_view, name=list_name),
        path(f"{prefix}/neu/", views.create, {"kind": kind}, name=f"{kind}_create"),
        path(f"{prefix}/<int:pk>/bearbeiten/", views.edit, {"kind": kind}, name=f"{kind}_edit"),
        path(f"{prefix}/<int:pk>/loeschen/", views.delete, {"kind": kind}, name=f"{kind}_delete"),
    ]
    if detail:
        patterns.append(
            path(f"{prefix}/<int:pk>/", getattr(views, f"{kind}_detail"), name=f"{kind}_detail")
        )
    return patterns


urlpatterns = [
    path("", views.index, name="index"),
    path("plan.csv", views.plan_csv, name="plan_csv"),
    path("plan.xlsx", views.plan_xlsx, name="plan_xlsx"),
    path("zeitraum/", views.period_edit, name="period_edit"),
    path("kostenpositionen/export.csv", views.items_csv, name="items_csv"),
    path("kostenpositionen/export.xlsx", views.items_xlsx, name="items_xlsx"),
    *_crud("kostenpositionen", "item", views.items, "items"),
    *_crud("foerderprogramme", "source", views.sources, "sources"),
    *_crud("haushalt", "budget", views.budget, "budget", detail=False),
]
