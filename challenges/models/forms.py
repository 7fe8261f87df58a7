"""The admin form of a challenge page: checks its key dates and its notice of collection."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from challenges.models.dates import MILESTONE_KINDS, KeyDateKind
from site_core.admin_forms import LocalisedPageForm


class ChallengePageForm(LocalisedPageForm):
    """Checks the key dates as a whole (one deadline, milestones at most once and in order), and
    refuses to publish a challenge whose application form would lack its notice of collection."""

    def privacy_notice_complete(self) -> bool:
        from site_core.models import OfficeDetails

        locale = self.instance.locale if self.instance.locale_id else (self.parent_page and self.parent_page.locale)
        return locale is not None and OfficeDetails.for_locale(locale).notice_complete

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("key_dates")
        if formset is None or not hasattr(formset, "cleaned_data"):
            return cleaned
        seen: dict[str, datetime.datetime] = {}
        for form_data in formset.cleaned_data:
            if not form_data or form_data.get("DELETE"):
                continue
            kind, starts_at, ends_at = form_data.get("kind"), form_data.get("starts_at"), form_data.get("ends_at")
            if kind in MILESTONE_KINDS:
                if kind in seen:
                    raise ValidationError(
                        _("“%(kind)s” appears twice in the key dates; keep one.") % {"kind": KeyDateKind(kind).label}
                    )
                seen[kind] = starts_at
            if starts_at and ends_at and ends_at < starts_at:
                raise ValidationError(_("A key date ends before it starts: check its end time."))
        if "action-publish" in self.data and not self.privacy_notice_complete():
            raise ValidationError(
                _(
                    "This challenge's application form has no complete notice of collection. Fill in the privacy "
                    "officer's title, business address and phone, and the legal authority, in Shared content > "
                    "Office details (in this page's language), then publish."
                )
            )
        if KeyDateKind.CLOSES not in seen:
            raise ValidationError(_("Add the application deadline to the key dates."))
        ordered = [
            seen.get(kind)
            for kind in (KeyDateKind.OPENS, KeyDateKind.CLOSES, KeyDateKind.STINT_START, KeyDateKind.STINT_END)
        ]
        known = [moment for moment in ordered if moment is not None]
        if known != sorted(known):
            raise ValidationError(
                _(
                    "Key dates are out of order: applications open, then the deadline, "
                    "then the stint starts, then it ends."
                )
            )
        return cleaned
