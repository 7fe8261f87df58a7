"""A challenge's editing interface: the fields on four tabs of their own (content, the call, the
application form, the outcome), then Wagtail's promote and settings tabs."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList, TabbedInterface

from site_core.models import BasePage

CONTENT_PANELS = [
    *BasePage.content_panels,
    FieldPanel("summary"),
    MultiFieldPanel(
        [FieldPanel("problem_statement"), FieldPanel("who_is_affected"), FieldPanel("success_looks_like")],
        heading=_("The problem"),
    ),
    MultiFieldPanel([FieldPanel("division"), FieldPanel("topics"), FieldPanel("partners")], heading=_("Who")),
    InlinePanel(
        "key_dates",
        heading=_("Key dates"),
        label=_("key date"),
        min_num=1,
        help_text=_("Times are Toronto time. The status (open, closing soon, …) follows from these."),
    ),
    InlinePanel(
        "announcements",
        heading=_("Announcements and amendments"),
        label=_("announcement"),
        help_text=_("Dated notices shown at the top of the page while the call is open."),
    ),
]
CALL_PANELS = [
    FieldPanel("eligibility"),
    FieldPanel("evaluation_criteria"),
    FieldRowPanel([FieldPanel("award_value"), FieldPanel("award_amount")]),
    FieldPanel("stint_length_weeks"),
    FieldPanel("procurement_path"),
    FieldPanel("how_to_apply"),
    FieldPanel("contact_email"),
    FieldPanel("resources"),
    FieldPanel("faq"),
]
FORM_PANELS = [
    InlinePanel(
        "questions",
        heading=_("Questions for applicants"),
        label=_("question"),
        help_text=_(
            "Asked after the standard questions (organisation, contact, team, summary, PDF "
            "proposal), which every form has."
        ),
    ),
    FieldPanel("retention_months"),
]
OUTCOME_PANELS = [
    FieldPanel("outcome_summary"),
    FieldPanel("selected_teams"),
    FieldPanel("procurement_outcome"),
    FieldPanel("council_reports"),
]

EDIT_HANDLER = TabbedInterface(
    [
        ObjectList(CONTENT_PANELS, heading=_("Content")),
        ObjectList(CALL_PANELS, heading=_("The call")),
        ObjectList(FORM_PANELS, heading=_("Application form")),
        ObjectList(OUTCOME_PANELS, heading=_("Outcome")),
        ObjectList(BasePage.promote_panels, heading=_("Promote")),
        ObjectList(BasePage.settings_panels, heading=_("Settings")),
    ]
)
