"""Hundreds of live pages in a few queries, for the tests that count a page's queries with 10 and with 500
items: Wagtail's `add_child` costs 30-100 ms a page, which made each of those tests take up to a minute
on PostgreSQL. The pages go in through `devtools.bulk.pages.insert_pages`, as `manage.py generate_bulk_content`
adds them, so the site sees them as it sees generated content."""

from django.db import transaction

from devtools.bulk.pages import index_pages, insert_pages
from site_core.caching.generation import bump_generation


def add_live_pages(parent, pages: list) -> list:
    """Add the unsaved `pages` (from a factory's `build`, with their snippets, images, inline objects and
    many-to-many values set in memory) as live children of `parent`, in the order given. As saving each
    one would: they are in the reference index and in every search backend that indexes on save, and the
    shared caches of derived values are stale (insert_pages sends no signal, so this bumps the page
    cache's generation as generate_bulk_content does)."""
    with transaction.atomic():
        start = 0
        while start < len(pages):  # insert_pages takes one page type per call: runs of the same type
            end = start + 1
            while end < len(pages) and type(pages[end]) is type(pages[start]):
                end += 1
            insert_pages(parent, pages[start:end])
            start = end
        index_pages(pages)
    bump_generation()
    return pages
