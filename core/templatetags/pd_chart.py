"""The chart filter: `{{ bar.x|svgnum }}` writes a number SVG, CSS and data attributes can read."""

from django import template

from core.svg import svg_number

register = template.Library()


@register.filter
def svgnum(value, decimals=2):
    """A plain-dot number ("66.93"), whatever the active locale; see core/svg.py."""
    return svg_number(value, int(decimals))
