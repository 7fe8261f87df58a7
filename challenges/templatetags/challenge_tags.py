from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def deadline_text(challenge) -> str:
    """The deadline line ("Closes in 5 days · Deadline: …") as text, e.g. for a card's meta line."""
    html = render_to_string("challenges/includes/deadline.html", {"challenge": challenge})
    return mark_safe(html.strip())  # noqa: S308 - rendered by a template with autoescaping on
