"""Admin for the reference data without an own page: schools and indicator definitions.

Everything else (members, sessions, standards, values) is edited on the working group's pages.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Indicator, School


@admin.register(School)
class SchoolAdmin(SimpleHistoryAdmin):
    list_display = ("name", "school_type", "pupils", "classes", "classrooms", "district")
    list_filter = ("school_type",)
    search_fields = ("name",)


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ("position", "name", "code", "unit", "direction", "value_type")
    list_display_links = ("name",)
    ordering = ("position", "name")
