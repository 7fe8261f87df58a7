"""Which translations are missing, partly translated, out of date or in sync, for the admin report
and the public notice (one rule for both).

- **Missing**: no live page in that language (a draft translation is not yet readable).
- **Partly translated (N of M segments)**: the live translation was published while some of the
  segments wagtail-localize extracted from its source had no translation (it shows those in English).
  A segment counts as translated only if its translation existed when the page was last published:
  translating more without publishing changes nothing the public reads.
- **Out of date**: every segment was translated, but the source (in the default language) was
  published after the translation. wagtail-localize re-publishes a translation when an editor syncs
  it, so syncing (and publishing) brings it back in sync. Publishing the source again without
  changing it also flags its translations; editors clear that by syncing, which costs one click.
- **In sync**: every segment translated, and the source not published since.

A translation made by hand (without wagtail-localize, or whose synced translation was stopped) has no
segments to count: only the publication times apply."""

import datetime
import enum
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Page
from wagtail_localize.models import StringSegment, StringTranslation, TranslationSource

from site_core.caching.content_cache import remember


class TranslationState(enum.StrEnum):
    MISSING = "missing"
    PARTLY_TRANSLATED = "partly-translated"
    OUT_OF_DATE = "out-of-date"
    IN_SYNC = "in-sync"

    @property
    def label(self) -> str:
        return str(LABELS[self])


LABELS = {
    TranslationState.MISSING: _("Missing"),
    TranslationState.PARTLY_TRANSLATED: _("Partly translated"),
    TranslationState.OUT_OF_DATE: _("Out of date"),
    TranslationState.IN_SYNC: _("In sync"),
}


@dataclass(frozen=True)
class Progress:
    """Segments of a translation: how many its source has, how many were translated when it was
    last published."""

    total: int
    translated: int

    @property
    def complete(self) -> bool:
        return self.translated >= self.total

    def describe(self) -> str:
        """ "Partly translated (12 of 20 segments)"."""
        return gettext("Partly translated (%(translated)s of %(total)s segments)") % {
            "translated": self.translated,
            "total": self.total,
        }


def translation_state(
    source_published_at: datetime.datetime | None,
    target_live: bool | None,
    target_published_at: datetime.datetime | None,
    progress: Progress | None = None,
) -> TranslationState:
    """The state of one translation, from its source's and its own publication times and, for a
    translation made with wagtail-localize, its segments."""
    if not target_live:
        return TranslationState.MISSING
    if progress is not None and not progress.complete:
        return TranslationState.PARTLY_TRANSLATED
    if source_published_at and target_published_at and target_published_at < source_published_at:
        return TranslationState.OUT_OF_DATE
    return TranslationState.IN_SYNC


def _segments(translation_key, locale_id) -> QuerySet:
    """The string segments of the default-language source of `translation_key` that a synced
    (wagtail-localize) translation into `locale_id` has to translate. Arguments may be values or
    OuterRef expressions."""
    return StringSegment.objects.filter(
        source__object_id=translation_key,
        source__locale__language_code=settings.LANGUAGE_CODE,
        source__translations__target_locale_id=locale_id,
        source__translations__enabled=True,
    )


def _translated_by(locale_id, published_at) -> Exists:
    """For a segment row: a valid translation into `locale_id` existed at `published_at`."""
    return Exists(
        StringTranslation.objects.filter(
            translation_of_id=OuterRef("string_id"),
            context_id=OuterRef("context_id"),
            locale_id=locale_id,
            has_error=False,
            created_at__lte=published_at,
        )
    )


def _count(queryset: QuerySet) -> Coalesce:
    """COUNT(*) of `queryset` as a correlated subquery (0 when empty)."""
    counted = queryset.order_by().annotate(one=Value(1)).values("one").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def page_progress(page: Page) -> Progress | None:
    """The progress of a live translated `page`, or None when it was not made with a synced
    wagtail-localize translation. One query, kept in the shared cache until content changes
    (site_core/caching/content_cache.py): the public notice on every translated page reads it, and it
    is as current as the cached page that shows it, which the same generation token keeps."""
    if page.last_published_at is None:
        return None  # (a default-language page has no synced translation into its own language: None)
    (progress,) = remember(
        "translation-progress",
        (page.pk, page.locale_id, page.last_published_at.isoformat()),
        lambda: (_counted_progress(page),),
    )
    return progress


def _counted_progress(page: Page) -> Progress | None:
    counts = _segments(page.translation_key, page.locale_id).aggregate(
        total=Count("pk"),
        translated=Count("pk", filter=Q(_translated_by(page.locale_id, page.last_published_at))),
    )
    return Progress(counts["total"], counts["translated"]) if counts["total"] else None


def lag(source: Page | None, translated: Page) -> tuple[TranslationState, Progress | None] | None:
    """Why the public should be told `translated` lags behind its live `source` (partly translated,
    or out of date), or None when it does not (or is the source itself)."""
    if source is None or source.pk == translated.pk or not source.live:
        return None
    progress = page_progress(translated)
    state = translation_state(source.last_published_at, translated.live, translated.last_published_at, progress)
    if state in (TranslationState.PARTLY_TRANSLATED, TranslationState.OUT_OF_DATE):
        return state, progress
    return None


def target_locales() -> list[Locale]:
    return list(Locale.objects.exclude(language_code=settings.LANGUAGE_CODE).order_by("language_code"))


def annotate_translations(queryset: QuerySet, locales: list[Locale]) -> QuerySet:
    """Add, for each locale, the translation's id, live flag and publication time, and the segments
    to translate and translated at that publication (five columns per locale, one query for the
    whole page of rows), plus the wagtail-localize source id."""
    default = Locale.get_default()
    annotations = {
        "localize_source_id": Subquery(
            TranslationSource.objects.filter(object_id=OuterRef("translation_key"), locale_id=default.pk).values("pk")[
                :1
            ]
        )
    }
    for locale in locales:
        twin = Page.objects.filter(translation_key=OuterRef("translation_key"), locale_id=locale.pk)
        annotations[f"tr_{locale.pk}_id"] = Subquery(twin.values("pk")[:1])
        annotations[f"tr_{locale.pk}_live"] = Subquery(twin.values("live")[:1])
        annotations[f"tr_{locale.pk}_published"] = Subquery(twin.values("last_published_at")[:1])
    queryset = queryset.annotate(**annotations)
    counts = {}
    for locale in locales:
        segments = _segments(OuterRef("translation_key"), locale.pk)
        counts[f"tr_{locale.pk}_segments"] = _count(segments)
        published = OuterRef(OuterRef(f"tr_{locale.pk}_published"))
        counts[f"tr_{locale.pk}_translated"] = _count(segments.filter(_translated_by(locale.pk, published)))
    return queryset.annotate(**counts)


def annotated_progress(row, locale: Locale) -> Progress | None:
    """The Progress read from a row of annotate_translations()."""
    total = getattr(row, f"tr_{locale.pk}_segments")
    return Progress(total, getattr(row, f"tr_{locale.pk}_translated")) if total else None


def state_filter(state: str, locales: list[Locale]) -> Q:
    """SQL for "at least one locale is missing / partly translated / out of date" and "every locale
    is in sync"."""

    def live_twin(locale) -> QuerySet:
        return Page.objects.filter(translation_key=OuterRef("translation_key"), locale_id=locale.pk, live=True)

    def missing(locale) -> Q:
        return ~Q(Exists(live_twin(locale)))

    def partly(locale) -> Q:
        # a live twin published while one of its segments had no translation
        untranslated = _segments(OuterRef("translation_key"), locale.pk).filter(
            ~_translated_by(locale.pk, OuterRef(OuterRef("last_published_at")))
        )
        return Q(Exists(live_twin(locale).filter(Exists(untranslated))))

    def stale(locale) -> Q:
        return Q(Exists(live_twin(locale).filter(last_published_at__lt=OuterRef("last_published_at"))))

    def out_of_date(locale) -> Q:
        return stale(locale) & ~partly(locale)

    checks = {
        TranslationState.MISSING: missing,
        TranslationState.PARTLY_TRANSLATED: partly,
        TranslationState.OUT_OF_DATE: out_of_date,
    }
    if state == TranslationState.IN_SYNC:
        combined = Q()
        for locale in locales:
            combined &= ~missing(locale) & ~partly(locale) & ~stale(locale)
        return combined
    if state not in checks:
        return Q()
    combined = Q(pk__in=[])
    for locale in locales:
        combined |= checks[TranslationState(state)](locale)
    return combined
