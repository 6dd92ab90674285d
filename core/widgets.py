"""Form widgets for long choice lists: a search box over a select, and a grouped checkbox list.

Both render their own template (templates/django/forms/widgets/) through the project's template
engine, so they look the same whichever form renderer is configured. The search is a small
filter in static/js/app.js (no inline script: the CSP forbids it); without JavaScript the full
list is there and works.
"""

from django import forms
from django.template.loader import render_to_string


class SearchableSelect(forms.Select):
    """A select with a search box above it that hides the options not matching what is typed.

    The select shows `size` rows at once, so the matches are visible without opening it."""

    template_with_search = "django/forms/widgets/searchable_select.html"
    draws_own_wrapper = True  # the search box sits outside the KERN select wrapper

    def __init__(self, attrs=None, choices=(), size=8):
        super().__init__({"size": size, **(attrs or {})}, choices)

    def render(self, name, value, attrs=None, renderer=None):
        select = super().render(name, value, attrs, renderer)
        widget_id = (attrs or {}).get("id") or self.attrs.get("id") or f"id_{name}"
        # render_to_string gives a SafeString (autoescaped; `select` is one already).
        return render_to_string(self.template_with_search, {"id": widget_id, "select": select})


class GroupedCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Checkboxes grouped under headings, with a search box that filters them.

    `group_by(obj) -> str` names the group of each choice; it needs a model choice field (the
    choices carry their instance), whose queryset should be ordered by group."""

    template_name = "django/forms/widgets/grouped_checkboxes.html"

    def __init__(self, attrs=None, choices=(), group_by=None):
        super().__init__(attrs, choices)
        self.group_by = group_by

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy.group_by = self.group_by
        return copy

    def optgroups(self, name, value, attrs=None):
        if self.group_by is None:
            return super().optgroups(name, value, attrs)
        groups = {}
        index = 0
        for option_value, option_label in self.choices:
            if option_value is None or option_value == "":
                continue
            instance = getattr(option_value, "instance", None)
            group = self.group_by(instance) if instance is not None else ""
            selected = str(option_value) in value
            subgroup = groups.setdefault(group, [])
            subgroup.append(
                self.create_option(name, option_value, option_label, selected, index, attrs=attrs)
            )
            index += 1
        return [(group, options, i) for i, (group, options) in enumerate(groups.items())]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["selected_count"] = len(
            [v for v in context["widget"]["value"] if v not in ("", None)]
        )
        return context

    def _render(self, template_name, context, renderer=None):
        return render_to_string(template_name, context)  # a SafeString, autoescaped
