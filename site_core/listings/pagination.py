"""Pagination that never fails on a bad `?page=`: non-numbers give page 1, numbers past the end
give the last page."""

from django.core.paginator import Page, Paginator

from site_core.caching.content_cache import remember


def paginate(request, items, per_page: int = 12, cache_count: bool = False) -> Page:
    """The requested page of `items`. With `cache_count`, the number of items (a COUNT over the
    whole listing: the slowest part of a deep listing) comes from the shared cache until content
    changes; only for querysets whose SQL does not depend on the time of the request (a "last 30
    days" filter would store a new count at every request)."""
    paginator = Paginator(items, per_page)
    if cache_count:
        sql, params = items.order_by().query.sql_with_params()  # the COUNT's own query: no ordering
        paginator.count = remember("listing-count", (items.db, sql, params), items.count)
    raw = request.GET.get("page", "1")
    try:
        number = int(raw)
    except (TypeError, ValueError):
        number = 1
    number = min(max(number, 1), paginator.num_pages)
    page = paginator.page(number)
    page.elided_range = list(paginator.get_elided_page_range(number, on_each_side=2, on_ends=1))
    return page
