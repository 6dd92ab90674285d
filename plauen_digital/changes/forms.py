from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from .feed import app_choices


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class ChangesFilterForm(forms.Form):
    """Filters of "Letzte Änderungen"; every field optional."""

    app = forms.ChoiceField(label=_("Area"), required=False)
    person = PersonChoiceField(
        label=_("Person"),
        queryset=get_user_model().objects.order_by("last_name", "first_name", "username"),
        required=False,
        empty_label=_("everyone"),
    )
    start = forms.DateField(label=_("From"), required=False, widget=DateInput)
    end = forms.DateField(label=_("Until"), required=False, widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["app"].choices = [("", _("all areas")), *app_choices()]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end date must not be before the start date."))
        return data

    def feed_filters(self):
        """Keyword arguments for Feed; empty when the form is invalid or unbound."""
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "app": data["app"] or None,
            "user": data["person"],
            "start": data["start"],
            "end": data["end"],
        }
