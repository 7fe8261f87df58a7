"""A part of a page kept as HTML in the shared cache until content changes: the template form of
`content_cache.remember` (site_core/caching/content_cache.py), under the same generation token.

    {% load fragments %}
    {% remember "newsroom" request.path filter_query releases.number %}…{% endremember %}

The name and the values after it (numbers and strings: `page.pk`, not `page`) identify the part; the
active language is added to them. Everything the part shows must follow from them and from published
content: what the view read and validated (a route, the selected filters, the page number), never
the raw query string, the visitor, a form's CSRF token or a count that changes without a publish
(seats left). A part that shows the state of a deadline (a challenge's status, a posting still open)
adds `clock=60`: it is then kept 60 seconds at most, so a passed deadline shows at most a minute
later than the page cache alone would allow (`PAGE_CACHE_TIMEOUT`; docs/performance.md, "Rendering
time").

A preview (of a draft, a revision, a translation being edited) renders every part afresh and keeps
none: the public never sees a draft, the editor never the published part.

What the part reads should be read inside it (a queryset, a lazy list), so that a part found in the
cache costs no query. With the cache unreachable the part is rendered each time.
"""

from django import template
from django.utils import translation
from django.utils.safestring import mark_safe

from site_core.caching import content_cache

register = template.Library()


class RememberNode(template.Node):
    def __init__(self, nodelist, name, parts, clock):
        self.nodelist, self.name, self.parts, self.clock = nodelist, name, parts, clock

    def render(self, context):
        if getattr(context.get("request"), "is_preview", False):  # a draft: neither read nor kept
            return self.nodelist.render(context)
        parts = [translation.get_language(), *(part.resolve(context) for part in self.parts)]
        seconds = int(self.clock.resolve(context)) if self.clock is not None else None
        html = content_cache.remember(
            f"fragment:{self.name}", tuple(map(str, parts)), lambda: self.nodelist.render(context), timeout=seconds
        )
        return mark_safe(html)  # noqa: S308 -- the template's own output, escaped when it was rendered


@register.tag
def remember(parser, token):
    bits = token.split_contents()
    if len(bits) < 2 or not (bits[1][0] == bits[1][-1] and bits[1][0] in "\"'"):
        raise template.TemplateSyntaxError(f"{bits[0]} takes a quoted name, then the values that identify the part")
    name, clock, parts = bits[1][1:-1], None, []
    for bit in bits[2:]:
        if bit.startswith("clock="):
            clock = parser.compile_filter(bit.removeprefix("clock="))
        else:
            parts.append(parser.compile_filter(bit))
    nodelist = parser.parse(("endremember",))
    parser.delete_first_token()
    return RememberNode(nodelist, name, parts, clock)
