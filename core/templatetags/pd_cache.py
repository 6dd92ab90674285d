"""`{% cachedpart stamp "name" vary… %}…{% endcachedpart %}`: a template fragment cached like
`core.caching.cached` (the stamp names its registry part, so the registry test sees
what the fragment reads)."""

from django import template

from core.caching import cached

register = template.Library()


class CachedPartNode(template.Node):
    def __init__(self, nodelist, stamp, name, vary):
        self.nodelist, self.stamp, self.name, self.vary = nodelist, stamp, name, vary

    def render(self, context):
        stamp = self.stamp.resolve(context)
        vary = [v.resolve(context) for v in self.vary]
        return cached(
            self.name.resolve(context), stamp, lambda: self.nodelist.render(context), *vary
        )


@register.tag
def cachedpart(parser, token):
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError("cachedpart needs a stamp and a name")
    nodelist = parser.parse(("endcachedpart",))
    parser.delete_first_token()
    stamp, name, *vary = (parser.compile_filter(bit) for bit in bits[1:])
    return CachedPartNode(nodelist, stamp, name, vary)
