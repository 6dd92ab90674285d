"""The one form rendering of the project: KERN-UX markup for every widget (settings.FORM_RENDERER).

`{{ form }}` renders templates/forms/kern/form.html (non-field errors, hidden fields, every field)
and `{{ form.x.as_field_group }}` templates/forms/kern/field.html (label or legend, hint, widget,
error). The templates includes/form_fields.html and includes/field.html are thin wrappers over
these. `KernBoundField` gives every widget its KERN class (and the error variant) and the
field's kind, which the field template draws:

- text, number, date, e-mail, file inputs and textareas: `.kern-form-input` with the input;
- selects: inside `.kern-form-input__select-wrapper`, which draws their box and arrow;
- a single checkbox: `.kern-form-check` (box, then label);
- radio and checkbox groups: `<fieldset class="kern-fieldset">` with a `<legend>`.

The hint has the id `<auto_id>_helptext` and the error `<auto_id>_error`: the ids Django's
`BoundField.aria_describedby` puts on the widget (or on the group's fieldset), so
`aria-describedby` always resolves. Errors carry `role="alert"` and the widget
`aria-invalid="true"`, so they are announced when an htmx swap brings them in.
"""

from django import forms
from django.forms.renderers import TemplatesSetting

CHOICE_GROUP = "choices"
DEFAULT_GROUP_TEMPLATES = {
    forms.RadioSelect.template_name,
    forms.CheckboxSelectMultiple.template_name,
}


def kern_kind(widget) -> str:
    """How the field template draws a widget."""
    if widget.is_hidden:
        return "hidden"
    if isinstance(widget, forms.RadioSelect):  # CheckboxSelectMultiple is a RadioSelect too
        return CHOICE_GROUP
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if getattr(widget, "draws_own_wrapper", False):  # e.g. widgets.SearchableSelect
        return "own-wrapper"
    if isinstance(widget, forms.SelectMultiple):
        return "select-multiple"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    return "input"


def kern_class(widget, invalid: bool) -> str:
    """The KERN class of the control itself (with its error variant)."""
    kind = kern_kind(widget)
    if kind == "hidden":
        return ""
    if kind == CHOICE_GROUP:
        base = "kern-form-check__" + ("radio" if widget.input_type == "radio" else "checkbox")
    elif kind == "checkbox":
        base = "kern-form-check__checkbox"
    elif kind in ("select", "select-multiple"):
        base = "kern-form-input__select"
    else:
        base = "kern-form-input__input"
    return f"{base} {base}--error" if invalid else base


class KernBoundField(forms.BoundField):
    """A BoundField that puts the KERN classes on its widget (every form, via the renderer)."""

    @property
    def kern_kind(self):
        return kern_kind(self.field.widget)

    @property
    def kern_default_options(self):
        """A radio or checkbox group drawn option by option here (a widget with a template of
        its own draws itself inside the fieldset)."""
        return self.field.widget.template_name in DEFAULT_GROUP_TEMPLATES

    @property
    def marks_optional(self):
        """ "– optional" beside the label, only in forms where other fields are required (a
        filter form of optional fields only says nothing with it)."""
        if self.field.required:
            return False
        return any(field.required for field in self.form.fields.values())

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        classes = kern_class(widget, bool(self.errors)).split()
        for extra in (widget.attrs.get("class", ""), attrs.get("class", "")):
            classes += [c for c in extra.split() if c not in classes]
        if classes:
            attrs["class"] = " ".join(classes)
        return attrs


class KernFormRenderer(TemplatesSetting):
    """Templates from the project's template settings (so templates/forms/kern/ is found)."""

    form_template_name = "forms/kern/form.html"
    field_template_name = "forms/kern/field.html"
    bound_field_class = KernBoundField
