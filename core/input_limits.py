"""Limits every form of every app gets, installed once at start-up (PlauenDigitalConfig.ready).

- Dates and date-times lie between 1990 and 2100. Outside, the year-1 or year-9999 values that a
  hand-made request sends break later: converting 0001-01-01T00:00 to UTC overflows (a 500), and a
  session ending 9999-12-31 makes every calendar feed that contains it fail.
- Text is normalised: no control characters. A CR/LF in a one-line field (a session title sent by
  a hand-made POST) would break calendar files, mail headers and PDF layouts; multi-line fields
  (textareas) keep their line breaks as plain "\\n". Bidirectional overrides (U+202E …), which can
  disguise text, go too. Passwords are left exactly as typed.

The hooks sit on Django's form field classes (their `default_validators` and `to_python`), so a
form cannot forget them: ModelForms and plain forms, today's and tomorrow's. tests/security/
test_input_limits.py walks every form class of every app and proves it.
"""

import re
from datetime import date, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

EARLIEST_DATE = date(1990, 1, 1)
LATEST_DATE = date(2100, 12, 31)

# C0 and C1 control characters except tab and line feed, DEL, and the bidirectional controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")
_SINGLE_LINE_BREAKS = re.compile(r"[\r\n\t]+")


def date_in_range(value):
    day = value.date() if isinstance(value, datetime) else value
    if isinstance(day, date) and not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValidationError(
            _("Enter a date between %(first)s and %(last)s."),
            code="date_out_of_range",
            params={"first": "01.01.1990", "last": "31.12.2100"},
        )


def clean_text(value: str, multiline: bool = False) -> str:
    """The text without control characters; line breaks kept as "\\n" only when `multiline`."""
    value = _LINE_BREAKS.sub("\n", value)
    if not multiline:
        value = _SINGLE_LINE_BREAKS.sub(" ", value)
    return _CONTROL.sub("", value)


_original_char_to_python = forms.CharField.to_python


def _char_to_python(self, value):
    if isinstance(value, str) and not isinstance(self.widget, forms.PasswordInput):
        value = clean_text(value, multiline=isinstance(self.widget, forms.Textarea))
    return _original_char_to_python(self, value)


def install() -> None:
    if getattr(forms.CharField.to_python, "_plauen_digital", False):
        return
    _char_to_python._plauen_digital = True
    forms.CharField.to_python = _char_to_python
    for field_class in (forms.DateField, forms.DateTimeField):
        field_class.default_validators = [*field_class.default_validators, date_in_range]
