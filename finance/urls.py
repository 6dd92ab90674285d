from django.urls import path

from . import views

app_name = "finance"

urlpatterns = [
    path("", views.index, name="index"),
    path("plan.csv", views.plan_csv, name="plan_csv"),
    path("plan.xlsx", views.plan_xlsx, name="plan_xlsx"),
    path("zeitraum/", views.period_edit, name="period_edit"),
    path("kostenpositionen/export.csv", views.items_csv, name="items_csv"),
    path("kostenpositionen/export.xlsx", views.items_xlsx, name="items_xlsx"),
    path("kostenpositionen/", views.items, name="items"),
    path("kostenpositionen/neu/", views.item_create, name="item_create"),
    path("kostenpositionen/<int:pk>/bearbeiten/", views.item_edit, name="item_edit"),
    path("kostenpositionen/<int:pk>/loeschen/", views.item_delete, name="item_delete"),
    path("kostenpositionen/<int:pk>/", views.item_detail, name="item_detail"),
    path("foerderprogramme/", views.sources, name="sources"),
    path("foerderprogramme/neu/", views.source_create, name="source_create"),
    path("foerderprogramme/<int:pk>/bearbeiten/", views.source_edit, name="source_edit"),
    path("foerderprogramme/<int:pk>/loeschen/", views.source_delete, name="source_delete"),
    path("foerderprogramme/<int:pk>/", views.source_detail, name="source_detail"),
    path("haushalt/", views.budget, name="budget"),
    path("haushalt/neu/", views.budget_create, name="budget_create"),
    path("haushalt/<int:pk>/bearbeiten/", views.budget_edit, name="budget_edit"),
    path("haushalt/<int:pk>/loeschen/", views.budget_delete, name="budget_delete"),
]
