"""Pagination that never fails on a bad `?page=`: non-numbers give page 1, numbers past the end
give the last page."""

from django.core.paginator import Page, Paginator


def paginate(request, items, per_page: int = 12) -> Page:
    paginator = Paginator(items, per_page)
    raw = request.GET.get("page", "1")
    try:
        number = int(raw)
    except (TypeError, ValueError):
        number = 1
    number = min(max(number, 1), paginator.num_pages)
    page = paginator.page(number)
    page.elided_range = list(paginator.get_elided_page_range(number, on_each_side=2, on_ends=1))
    return page
