from django.urls import path

from .views import budget, items, plan, sources

app_name = "finance"

urlpatterns = [
    path("", plan.index, name="index"),
    path("plan.csv", plan.plan_csv, name="plan_csv"),
    path("plan.xlsx", plan.plan_xlsx, name="plan_xlsx"),
    path("zeitraum/", plan.period_edit, name="period_edit"),
    path("kostenpositionen/export.csv", items.items_csv, name="items_csv"),
    path("kostenpositionen/export.xlsx", items.items_xlsx, name="items_xlsx"),
    path("kostenpositionen/", items.items, name="items"),
    path("kostenpositionen/neu/", items.item_create, name="item_create"),
    path("kostenpositionen/<int:pk>/bearbeiten/", items.item_edit, name="item_edit"),
    path("kostenpositionen/<int:pk>/loeschen/", items.item_delete, name="item_delete"),
    path("kostenpositionen/<int:pk>/", items.item_detail, name="item_detail"),
    path("foerderprogramme/", sources.sources, name="sources"),
    path("foerderprogramme/neu/", sources.source_create, name="source_create"),
    path("foerderprogramme/<int:pk>/bearbeiten/", sources.source_edit, name="source_edit"),
    path("foerderprogramme/<int:pk>/loeschen/", sources.source_delete, name="source_delete"),
    path("foerderprogramme/<int:pk>/", sources.source_detail, name="source_detail"),
    path("haushalt/", budget.budget, name="budget"),
    path("haushalt/neu/", budget.budget_create, name="budget_create"),
    path("haushalt/<int:pk>/bearbeiten/", budget.budget_edit, name="budget_edit"),
    path("haushalt/<int:pk>/loeschen/", budget.budget_delete, name="budget_delete"),
]
