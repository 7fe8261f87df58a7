"""A challenge's fields: the call as editors write it, its outcome, and the milestone dates copied from
the key dates on every save (so listings filter and sort by status in the database)."""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.fields import RichTextField, StreamField
from wagtail_localize.fields import SynchronizedField

from challenges.blocks import CouncilReportsBlock, CriteriaBlock, FAQBlock, PartnersBlock, ResourceBlock
from site_core.text.rich_text import LIMITED_FEATURES


class ChallengeFields(models.Model):
    """Abstract: the columns of `ChallengePage` (challenges/models/challenge.py)."""

    summary = models.TextField(
        _("summary"),
        max_length=400,
        help_text=_("The problem and the ask in one or two plain sentences. Shown in listings and at the top."),
    )
    problem_statement = RichTextField(
        _("the problem"),
        features=LIMITED_FEATURES,
        help_text=_("What is not working today, for whom, and what we know about why."),
    )
    who_is_affected = RichTextField(
        _("who is affected"),
        features=LIMITED_FEATURES,
        blank=True,
        help_text=_("The residents, businesses or staff who live with the problem, with numbers where known."),
    )
    success_looks_like = RichTextField(
        _("what success looks like"),
        features=LIMITED_FEATURES,
        blank=True,
        help_text=_("Measurable outcomes the City hopes for by the end of the stint."),
    )
    division = models.ForeignKey(
        "site_core.Division",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="challenges",
        verbose_name=_("division"),
        help_text=_("The City division that owns the problem."),
    )
    topics = ParentalManyToManyField("site_core.Topic", blank=True, related_name="challenges", verbose_name=_("topics"))
    partners = StreamField(PartnersBlock(), blank=True, verbose_name=_("partner organisations"))
    eligibility = RichTextField(
        _("who can apply"),
        features=LIMITED_FEATURES,
        blank=True,
        help_text=_("Eligible applicants (e.g. incorporated startups, non-profits, researchers) and any conditions."),
    )
    evaluation_criteria = StreamField(CriteriaBlock(), blank=True, verbose_name=_("evaluation criteria"))
    award_value = models.CharField(
        _("award or contract value"),
        max_length=150,
        blank=True,
        help_text=_("As applicants should read it, e.g. 'Up to $50,000 for the 16-week stint'."),
    )
    award_amount = models.DecimalField(
        _("award amount (CAD)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The maximum amount as a number, for sorting and open data. Leave blank if not fixed."),
    )
    stint_length_weeks = models.PositiveSmallIntegerField(
        _("stint length (weeks)"),
        default=16,
        help_text=_("How long selected teams work with the City."),
    )
    procurement_path = RichTextField(
        _("after the stint"),
        features=LIMITED_FEATURES,
        blank=True,
        help_text=_(
            "How the City may procure the solution after a successful stint (e.g. non-competitive "
            "procurement up to a limit, or a follow-on competitive call)."
        ),
    )
    how_to_apply = RichTextField(
        _("how to apply"),
        features=LIMITED_FEATURES,
        blank=True,
        help_text=_("Steps, what to prepare, and where to ask questions."),
    )
    contact_email = models.EmailField(
        _("staff contact email"),
        blank=True,
        help_text=_(
            "Questions about this challenge go here, and application notifications are sent here. "
            "Defaults to the office's contact email."
        ),
    )
    retention_months = models.PositiveSmallIntegerField(
        _("keep applications for (months)"),
        default=24,
        validators=[MinValueValidator(12)],
        help_text=_(
            "Months after the decision (or the withdrawal) before applications and their files are deleted "
            "(at least 12). Check the City's records retention schedule. Applications never decided, and "
            "those still held for a check, have their own periods (docs/operations.md)."
        ),
    )
    resources = StreamField(ResourceBlock(), blank=True, verbose_name=_("resources"))
    faq = StreamField(FAQBlock(), blank=True, verbose_name=_("frequently asked questions"))

    outcome_summary = RichTextField(
        _("outcome"),
        features=LIMITED_FEATURES,
        blank=True,
        help_text=_("After the stint: what was piloted and what the City learned."),
    )
    selected_teams = models.TextField(
        _("selected teams"),
        blank=True,
        help_text=_("The teams selected for the stint, one per line."),
    )
    council_reports = StreamField(
        CouncilReportsBlock(),
        blank=True,
        verbose_name=_("City Council or committee reports"),
        help_text=_("Reports about this challenge's outcome, shown on the page and in the results hub."),
    )
    procurement_outcome = models.CharField(
        _("procurement decision"),
        max_length=20,
        blank=True,
        choices=[
            ("pending", _("Decision pending")),
            ("procured", _("The City procured the solution")),
            ("extended", _("The pilot was extended")),
            ("not-procured", _("The City did not procure the solution")),
        ],
    )

    # Computed from the key dates on every save, so listings filter and sort by status in the database.
    opens_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)
    closes_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)
    closing_soon_at = models.DateTimeField(null=True, blank=True, editable=False)
    stint_starts_at = models.DateTimeField(null=True, blank=True, editable=False)
    stint_ends_at = models.DateTimeField(null=True, blank=True, editable=False)

    # wagtail-localize leaves many-to-many fields out of a sync: declared synchronised, a translation's
    # topics follow its source's, in its own language (BasePage.localise_snippet_links).
    override_translatable_fields = [SynchronizedField("topics", overridable=False)]

    class Meta:
        abstract = True
