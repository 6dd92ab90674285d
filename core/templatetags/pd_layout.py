"""Layout tags shared by every page (a builtin library, see settings.TEMPLATES)."""

import re

from django import template
from django.utils.html import format_html, strip_tags
from django.utils.translation import gettext

register = template.Library()

CAPTION = re.compile(r"<caption\b[^>]*>(.*?)</caption>", re.S)


class ScrollRegionNode(template.Node):
    def __init__(self, nodelist, label):
        self.nodelist = nodelist
        self.label = label

    def render(self, context):
        inner = self.nodelist.render(context)
        label = self.label.resolve(context) if self.label else None
        if not label:
            match = CAPTION.search(inner)
            label = " ".join(strip_tags(match.group(1)).split()) if match else gettext("Table")
        return format_html(
            '<p class="table-scroll-hint" hidden>{}</p>'
            '<div class="table-scroll" tabindex="0" role="region" aria-label="{}">{}</div>',
            gettext("Table scrolls sideways"),
            label,
            inner,  # NodeList.render gives a SafeString: kept as it is, not escaped twice
        )


@register.tag
def scrollregion(parser, token):
    """`{% scrollregion [label] %}<table>…</table>{% endscrollregion %}`: the table scrolls in its
    own focusable region, named after the table's caption (or the label), so the page never
    becomes wider than the window; app.js shows the hint while the table overflows."""
    bits = token.split_contents()
    if len(bits) > 2:
        raise template.TemplateSyntaxError("scrollregion takes at most one argument, a label")
    label = parser.compile_filter(bits[1]) if len(bits) == 2 else None
    nodelist = parser.parse(("endscrollregion",))
    parser.delete_first_token()
    return ScrollRegionNode(nodelist, label)
