"""Demo content in French: translations created through wagtail-localize (as an editor would, so they
stay linked to their English source) from gettext catalogues of the demo's French."""

import logging
from pathlib import Path

import polib
from wagtail.models import Locale, Page
from wagtail_localize.models import Translation, TranslationSource

logger = logging.getLogger(__name__)


def translate_with_localize(instance, locale: Locale, strings: dict[str, str], publish: bool = True):
    """Translate `instance` into `locale` with `strings` (English segment -> translation).

    Returns the translated instance. Segments missing from `strings` fall back to the source text and
    are logged, so a gap in demo translations is visible rather than silent.
    """
    source, created = TranslationSource.get_or_create_from_instance(instance)
    if not created:
        source.update_from_db()
    translation, _ = Translation.objects.get_or_create(source=source, target_locale=locale, defaults={"enabled": True})
    po = translation.export_po()
    for entry in po:
        if entry.msgid in strings:
            entry.msgstr = strings[entry.msgid]
        elif not entry.msgstr:
            logger.warning("No %s translation for %r (%s)", locale.language_code, entry.msgid, entry.msgctxt)
    translation.import_po(po)
    if not isinstance(instance, Page):
        translation.save_target()
        return instance.get_translation(locale)
    # wagtail-localize publishes a page translation on transaction commit, from an in-memory copy
    # whose tree fields (numchild) go stale if children are added before the commit. Publishing
    # the freshly loaded revision now avoids that.
    translation.save_target(publish=False)
    page = instance.get_translation(locale).specific
    if publish:
        page.get_latest_revision().publish()
        page.refresh_from_db()
    return page


def demo_catalogue(path: Path | str) -> dict[str, str]:
    """English segment -> translation, read from a gettext catalogue of demo-content translations.

    Entries that are untranslated, fuzzy or obsolete are left out, so `translate_with_localize` logs
    them as missing instead of publishing a guess."""
    return {
        entry.msgid: entry.msgstr
        for entry in polib.pofile(str(path))
        if entry.msgstr and not entry.fuzzy and not entry.obsolete
    }
