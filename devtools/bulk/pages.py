"""Many live pages, fast: the machinery behind `manage.py generate_bulk_content`.

Wagtail's `add_child` saves one page at a time: it locks the parent, finds the last child, validates,
inserts, updates the parent, then indexes the page for search and records its references
(docs/performance.md, "How it is fast"). `insert_pages` does the same work for a batch of pages with
bulk inserts and a few queries a page:

- each page is validated as `Page.save()` would (`full_clean`, before it has a place in the tree, so
  sibling slugs are checked once for the batch, by `_free_slugs`);
- tree paths are allocated after the parent's last child, with the parent row locked, so the
  treebeard tree stays exact (`Page.find_problems()` reports nothing); `child_path` computes them
  from treebeard's public `steplen` and `alphabet`;
- the base `wagtailcore_page` rows go in with `bulk_create`, the page type's own table with one
  `executemany` (`insert_own_rows`, the one raw SQL statement), then inline objects (ParentalKey
  children) and many-to-many links with `bulk_create`;
- pages are live without a revision, like pages imported by a script: `has_unpublished_changes` is
  off, so Wagtail's editor and the site read the page row itself (see
  `Page.get_latest_revision_as_object`); the first save in the admin creates the first revision;
- Wagtail's reference index (snippet usage) is written by its public
  `ReferenceIndex.create_or_update_for_object`, and `index_pages` adds the batch to every search
  backend whose `AUTO_UPDATE` is on, in one call per page type.

Only public APIs of Wagtail, treebeard, modelcluster and Django are used; tests/home/test_bulk_content.py
compares the paths and rows with those treebeard's `add_child` and Wagtail's save write.

Each generated page has a stable identity: `bulk_key(kind, n)` is its translation key, so a second run
finds the pages that exist and only creates the missing ones (`missing_numbers`), and a translation
shares its English page's key, as wagtail-localize translations do.
"""

import time
import uuid
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from modelcluster.models import get_all_child_m2m_relations, get_all_child_relations
from treebeard.exceptions import PathOverflow
from wagtail.models import Page, ReferenceIndex, TranslatableMixin
from wagtail.search.backends import get_search_backends

# Namespace of the translation keys of generated pages (any fixed UUID would do).
BULK_NAMESPACE = uuid.UUID("8c1b8f0e-2f43-4a8e-9d1f-6b2a5f0c7d31")
QUERY_CHUNK = 500  # ids per IN (...) query; below every database's parameter limit


def bulk_key(kind: str, number: int) -> uuid.UUID:
    """The translation key of generated page `number` (1-based) of `kind`, the same on every run."""
    return uuid.uuid5(BULK_NAMESPACE, f"{kind}:{number}")


def existing_keys(keys, locale) -> set[uuid.UUID]:
    """Which of `keys` already have a page in `locale`."""
    keys = list(keys)
    found = set()
    for start in range(0, len(keys), QUERY_CHUNK):
        chunk = keys[start : start + QUERY_CHUNK]
        found.update(
            Page.objects.filter(locale=locale, translation_key__in=chunk).values_list("translation_key", flat=True)
        )
    return found


def missing_numbers(kind: str, count: int, locale) -> list[int]:
    """Numbers 1..`count` of `kind` with no page in `locale` yet (a second run tops up, never doubles)."""
    keys = {bulk_key(kind, number): number for number in range(1, count + 1)}
    present = existing_keys(keys, locale)
    return [number for key, number in keys.items() if key not in present]


def slug_for(title: str, number: int, max_length: int = 80) -> str:
    """A readable slug from the title, made unique among generated siblings by the page's number."""
    suffix = f"-{number}"
    return slugify(title)[: max_length - len(suffix)].rstrip("-") + suffix


@dataclass
class _Prepared:
    page: Page
    children: dict  # child model -> list of unsaved child objects
    m2m: list  # (field, [related objects])


def _collect_relations(page: Page) -> _Prepared:
    """The in-memory inline objects and many-to-many values of an unsaved page (modelcluster keeps them
    on the instance until the page is saved)."""
    children = defaultdict(list)
    for relation in get_all_child_relations(type(page)):
        name = relation.get_accessor_name()
        # get_object_list() keeps every relation in memory, even empty ones (comments, ...), so reading
        # the page's references after the insert needs no query per relation.
        for order, child in enumerate(getattr(page, name).get_object_list()):
            if hasattr(child, "sort_order") and child.sort_order is None:
                child.sort_order = order
            if isinstance(child, TranslatableMixin):
                # The same key in every language, as wagtail-localize gives a translated inline object.
                child.translation_key = uuid.uuid5(page.translation_key, f"{name}:{order}")
            children[relation].append(child)
    m2m = [(field, list(getattr(page, field.name).all())) for field in get_all_child_m2m_relations(type(page))]
    return _Prepared(page, children, m2m)


def _free_slugs(parent: Page, pages: list[Page]) -> None:
    """Give a page whose slug a sibling already uses (a page an editor made) a free one."""
    wanted = {page.slug for page in pages}
    taken = set(Page.objects.child_of(parent).filter(slug__in=wanted).values_list("slug", flat=True))
    for page in pages:
        if page.slug in taken:
            base, attempt = page.slug, 2
            while (
                f"{base}-{attempt}" in taken or Page.objects.child_of(parent).filter(slug=f"{base}-{attempt}").exists()
            ):
                attempt += 1
            page.slug = f"{base}-{attempt}"
        taken.add(page.slug)


def child_path(parent_path: str, step: int) -> str:
    """The treebeard path of the `step`-th child (1-based) of the page at `parent_path`.

    Wagtail's page tree is a treebeard materialised path: each level adds `Page.steplen` characters, the
    child's position written in the base of `Page.alphabet` (base 36: 0-9 then A-Z), left-padded with
    the alphabet's first character. Both are public class attributes of treebeard's `MP_Node`;
    tests/home/test_bulk_content.py checks these paths against treebeard's own `add_child`."""
    alphabet, steplen = Page.alphabet, Page.steplen
    if step < 1:
        raise ValueError(f"tree steps start at 1, got {step}")
    digits, rest = "", step
    while rest:
        rest, digit = divmod(rest, len(alphabet))
        digits = alphabet[digit] + digits
    if len(digits) > steplen:
        raise PathOverflow(f"step {step} does not fit in {steplen} characters of {alphabet!r}")
    return parent_path + digits.rjust(steplen, alphabet[0])


def step_of(path: str) -> int:
    """The position among its siblings (1-based) of the page at treebeard `path`: the inverse of
    `child_path` for its last step."""
    step = 0
    for char in path[-Page.steplen :]:
        step = step * len(Page.alphabet) + Page.alphabet.index(char)
    return step


def insert_own_rows(model, pages: list[Page]) -> None:
    """INSERT the rows of the page type's own table (the child table of Django's multi-table
    inheritance) for `pages`, whose `wagtailcore_page` rows already exist.

    The one raw SQL statement of bulk generation: Django's `bulk_create` refuses multi-table inherited
    models, and saving each page would cost a query or two per page. Values are prepared by each field
    as `Model.save()` prepares them (`pre_save`, then `get_db_prep_save`); every column of the table
    is written, so a field added to a page type is covered without change here.
    tests/home/test_bulk_content.py checks that the row is the one Wagtail's own save writes."""
    fields = model._meta.local_concrete_fields
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    table = connection.ops.quote_name(model._meta.db_table)
    # Names come from the model and are quoted; every value is a query parameter.
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
    rows = [[field.get_db_prep_save(field.pre_save(page, True), connection) for field in fields] for page in pages]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def insert_pages(parent: Page, pages: list[Page], published_at=None) -> list[Page]:
    """Add the unsaved `pages` (all of one type, with their inline objects and many-to-many values set in
    memory) as live children of `parent`, after its existing children. Call inside a transaction."""
    if not pages:
        return pages
    model = type(pages[0])
    if any(type(page) is not model for page in pages):
        raise ValueError("insert_pages takes pages of one type per call")
    if model._meta.get_parent_list() != [Page]:
        raise ValueError("insert_pages takes page types that inherit from Page directly (through abstract models)")
    parent = Page.objects.select_for_update().get(pk=parent.pk)  # fresh path and numchild, locked
    depth = parent.depth + 1
    last_path = Page.objects.child_of(parent).order_by("-path").values_list("path", flat=True).first()
    last_step = step_of(last_path) if last_path else 0
    try:
        child_path(parent.path, last_step + len(pages))
    except PathOverflow as error:
        raise PathOverflow(f"{parent} cannot take {len(pages)} more children") from error
    content_type = ContentType.objects.get_for_model(model)
    published_at = published_at or timezone.now()
    foreign_keys = [field.name for field in model._meta.concrete_fields if field.many_to_one]
    tree_fields = ["path", "depth", "numchild", "url_path"]

    _free_slugs(parent, pages)
    prepared = []
    for step, page in enumerate(pages, start=last_step + 1):
        page.locale_id = page.locale_id or parent.locale_id
        page.content_type = content_type
        page.live = True
        page.has_unpublished_changes = False
        page.first_published_at = page.first_published_at or published_at
        page.last_published_at = page.last_published_at or page.first_published_at
        # Validated as Page.save() validates a live page, before the page has its place in the tree, as
        # Wagtail validates a page "in advance of the final save": Page.clean then checks no sibling
        # slug (no parent yet), which _free_slugs did for the whole batch in one query. Also left out:
        # the tree fields (set just below), foreign keys (the snippets and locales come from the
        # database, which checks them again) and unique keys (path, translation key: the database
        # refuses duplicates).
        page.full_clean(exclude=foreign_keys + tree_fields, validate_unique=False, validate_constraints=False)
        page.depth = depth
        page.path = child_path(parent.path, step)
        page.numchild = 0
        page.url_path = f"{parent.url_path}{page.slug}/"
        prepared.append(_collect_relations(page))

    page_fields = [field for field in Page._meta.concrete_fields if not field.primary_key]
    bases = [Page(**{field.attname: getattr(page, field.attname) for field in page_fields}) for page in pages]
    Page.objects.bulk_create(bases, batch_size=QUERY_CHUNK)
    for page, base in zip(pages, bases, strict=True):
        page.id = base.pk
        setattr(page, model._meta.parents[Page].attname, base.pk)
        page._state.adding = False
        page._state.db = base._state.db
    insert_own_rows(model, pages)

    by_model = defaultdict(list)
    through_rows = defaultdict(list)
    for item in prepared:
        for relation, children in item.children.items():
            for child in children:
                setattr(child, relation.field.attname, item.page.pk)
                if isinstance(child, TranslatableMixin) and not child.locale_id:
                    child.locale_id = item.page.locale_id
                by_model[relation.related_model].append(child)
        for field, related in item.m2m:
            through = field.remote_field.through
            source = through._meta.get_field(field.m2m_field_name()).attname
            target = through._meta.get_field(field.m2m_reverse_field_name()).attname
            through_rows[through].extend(through(**{source: item.page.pk, target: obj.pk}) for obj in related)
    for child_model, children in by_model.items():
        child_model.objects.bulk_create(children, batch_size=QUERY_CHUNK)
    for through, rows in through_rows.items():
        through.objects.bulk_create(rows, batch_size=QUERY_CHUNK)

    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))
    _index_references(model, pages)
    return pages


def _index_references(model, pages: list[Page]) -> None:
    """Wagtail's reference index rows (what "Usage" shows for a snippet) for new pages, written by
    Wagtail's public `ReferenceIndex.create_or_update_for_object`, one page at a time (two queries a
    page: the page's inline objects are still in memory, so reading them costs none)."""
    if not ReferenceIndex.is_indexed(model):
        return
    for page in pages:
        ReferenceIndex.create_or_update_for_object(page)


def index_pages(pages: list[Page]) -> bool:
    """Add `pages` to every search backend that updates on save; False when none does (the settings
    turned it off, as the tests do: run `manage.py update_index` later if search matters)."""
    backends = list(get_search_backends(with_auto_update=True))
    if not pages or not backends:
        return False
    by_model = defaultdict(list)
    for page in pages:
        by_model[type(page)].append(page)
    for backend in backends:
        for model, objects in by_model.items():
            backend.add_bulk(model, objects)
    return True


@transaction.atomic
def insert_and_index(parent: Page, pages: list[Page], published_at=None) -> list[Page]:
    """`insert_pages` then `index_pages`, in one transaction."""
    insert_pages(parent, pages, published_at)
    index_pages(pages)
    return pages


def translated_numbers(count: int, share: float) -> list[int]:
    """Which of pages 1..`count` have a translation: `share` of them, evenly spread (every tenth for
    0.1), the same on every run."""
    exact = Fraction(str(share))  # 0.1 exactly, not the nearest float
    return [number for number in range(1, count + 1) if int(number * exact) > int((number - 1) * exact)]


def aligned(objects: list, locale) -> list:
    """`objects` (snippets or pages) in `locale`, position by position: each one's translation where it
    exists, otherwise the object itself, as wagtail-localize links a translation to untranslated
    snippets until they are translated."""
    if not objects:
        return []
    model = type(objects[0])
    keys = [obj.translation_key for obj in objects]
    translations = {}
    for start in range(0, len(keys), QUERY_CHUNK):
        for obj in model.objects.filter(locale=locale, translation_key__in=keys[start : start + QUERY_CHUNK]):
            translations[obj.translation_key] = obj
    return [translations.get(obj.translation_key, obj) for obj in objects]


@dataclass
class TopUp:
    """What a `top_up` call found and made."""

    label: str
    wanted: int
    existing: int = 0
    created: int = 0
    translated: int = 0
    seconds: float = 0.0


def top_up(kind, label, count, parent, build, *, translation_parent=None, share=0.0, batch_size=500, progress=None):
    """Make pages 1..`count` of `kind` exist under `parent`, creating only the missing ones, in batches of
    `batch_size` (one transaction each, so an interrupted run keeps what it made and the next run
    resumes). `build(number, locale)` returns the unsaved page; with a `translation_parent` (the
    parent's translation), `share` of the pages also get a translation built in its locale.
    `progress(report)` is called after each batch."""
    started = time.monotonic()
    report = TopUp(label, count)
    missing = missing_numbers(kind, count, parent.locale)
    report.existing = count - len(missing)
    work = [(parent, missing, "created")]
    if translation_parent is not None and share > 0:
        wanted = {bulk_key(kind, number): number for number in translated_numbers(count, share)}
        done = existing_keys(wanted, translation_parent.locale)
        work.append((translation_parent, [number for key, number in wanted.items() if key not in done], "translated"))
    for target, numbers, counter in work:
        for start in range(0, len(numbers), batch_size):
            pages = []
            for number in numbers[start : start + batch_size]:
                page = build(number, target.locale)
                page.translation_key = bulk_key(kind, number)
                page.locale = target.locale
                pages.append(page)
            insert_and_index(target, pages)
            setattr(report, counter, getattr(report, counter) + len(pages))
            report.seconds = time.monotonic() - started
            if progress:
                progress(report)
    report.seconds = time.monotonic() - started
    return report
