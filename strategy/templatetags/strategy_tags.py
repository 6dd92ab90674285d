"""Progress bar and traffic light of the strategy pages, as tags.

Tables show one of each per row; a tag costs a fraction of an `{% include %}` of a template.
Every strategy page uses them, so the markup has one source.
"""

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.translation import gettext

from core.svg import svg_number
from strategy.models import Measure

register = template.Library()

# Status never by colour alone: every light has a symbol of its own.
SYMBOLS = {"green": "●", "yellow": "▲", "red": "■"}
LIGHT_LABELS = dict(Measure.TrafficLight.choices)


@register.simple_tag
def progress(value):
    """A progress value as text with a bar beside it (None: not measurable)."""
    if value is None:
        return format_html(
            '<span class="progress progress--none">{}</span>', gettext("no measure yet")
        )
    return format_html(
        '<span class="progress"><span class="progress__bar" aria-hidden="true">'
        '<span class="progress__fill" style="width: {}%"></span></span> '
        '<span class="progress__text">{}&nbsp;%</span></span>',
        svg_number(value, 1),
        floatformat(value, "-1"),
    )


@register.simple_tag
def light(value, label=None):
    """A traffic light as symbol and text; the label defaults to the colour's name."""
    prefix = "" if value == Measure.TrafficLight.NOT_RATED else gettext("Traffic light") + " "
    return format_html(
        '<span class="light light--{}"><span class="light__symbol" aria-hidden="true">{}</span> '
        "{}{}</span>",
        value,
        SYMBOLS.get(value, "○"),
        prefix,
        label if label is not None else LIGHT_LABELS.get(value, value),
    )
