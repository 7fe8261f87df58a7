"""Listing filters from a plain GET form: a known value filters, an unknown one is ignored with a
notice, and nothing a visitor types can break the page."""

from urllib.parse import urlencode

from django.utils.translation import gettext as _

MAX_FILTER_LENGTH = 100


def read_choice(request, name: str, allowed) -> tuple[str, str | None]:
    """The value of `?name=` if it is one of `allowed`, else "" with a notice explaining it was ignored."""
    value = request.GET.get(name, "").strip()[:MAX_FILTER_LENGTH]
    if not value or value in allowed:
        return value, None
    return "", _("“%(value)s” is not one of the choices for this filter, so it was ignored.") % {"value": value}


def query_string(selected: dict[str, str]) -> str:
    """The active filters as a query-string prefix for pagination links ("" or "a=b&")."""
    active = {key: value for key, value in selected.items() if value}
    return urlencode(active) + "&" if active else ""


def filter_field(name: str, label, any_label, options, selected: str) -> dict:
    """One select of a filter form (components/filter_form.html)."""
    return {"name": name, "label": label, "any_label": any_label, "options": list(options), "selected": selected}
