"""Which translations are missing, in sync or out of date, for the admin report and the public notice.

A translation is out of date when its source page (in the default language) was published after the
translation was last published: wagtail-localize re-publishes a translation when an editor syncs it,
so syncing (and publishing) is what brings it back in sync. Publishing the source again without
changing it also flags its translations; editors clear that by syncing, which costs one click."""

import datetime
import enum

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Page
from wagtail_localize.models import TranslationSource


class TranslationState(enum.StrEnum):
    MISSING = "missing"
    OUT_OF_DATE = "out-of-date"
    IN_SYNC = "in-sync"

    @property
    def label(self) -> str:
        return str(LABELS[self])


LABELS = {
    TranslationState.MISSING: _("Missing"),
    TranslationState.OUT_OF_DATE: _("Out of date"),
    TranslationState.IN_SYNC: _("In sync"),
}


def translation_state(
    source_published_at: datetime.datetime | None,
    target_live: bool | None,
    target_published_at: datetime.datetime | None,
) -> TranslationState:
    """The state of one translation, from its source's and its own publication times."""
    if not target_live:
        return TranslationState.MISSING
    if source_published_at and target_published_at and target_published_at < source_published_at:
        return TranslationState.OUT_OF_DATE
    return TranslationState.IN_SYNC


def source_is_newer(source: Page | None, translated: Page) -> bool:
    """True when the public should be told `translated` lags behind its live `source`."""
    if source is None or source.pk == translated.pk or not source.live:
        return False
    return translation_state(source.last_published_at, translated.live, translated.last_published_at) == (
        TranslationState.OUT_OF_DATE
    )


def target_locales() -> list[Locale]:
    return list(Locale.objects.exclude(language_code=settings.LANGUAGE_CODE).order_by("language_code"))


def annotate_translations(queryset: QuerySet, locales: list[Locale]) -> QuerySet:
    """Add, for each locale, the translation's id, live flag and publication time (three columns
    per locale, one query for the whole page of rows), plus the wagtail-localize source id."""
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
    return queryset.annotate(**annotations)


def state_filter(state: str, locales: list[Locale]) -> Q:
    """SQL for "at least one locale is missing / out of date" and "every locale is in sync"."""

    def missing(locale):
        live_twin = Page.objects.filter(translation_key=OuterRef("translation_key"), locale_id=locale.pk, live=True)
        return ~Exists(live_twin)

    def out_of_date(locale):
        stale_twin = Page.objects.filter(
            translation_key=OuterRef("translation_key"),
            locale_id=locale.pk,
            live=True,
            last_published_at__lt=OuterRef("last_published_at"),
        )
        return Exists(stale_twin)

    if state == TranslationState.MISSING:
        checks = [Q(missing(locale)) for locale in locales]
    elif state == TranslationState.OUT_OF_DATE:
        checks = [Q(out_of_date(locale)) for locale in locales]
    elif state == TranslationState.IN_SYNC:
        combined = Q()
        for locale in locales:
            combined &= ~Q(missing(locale)) & ~Q(out_of_date(locale))
        return combined
    else:
        return Q()
    combined = Q(pk__in=[])
    for check in checks:
        combined |= check
    return combined
