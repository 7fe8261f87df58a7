"""The visitor's side: the contact form (/<lang>/contact/form/) and the accessibility feedback form
(/<lang>/accessibility/feedback/), each with its thanks page. Spam defended as event registration is
(home/events/views.py): the flood guard's 429 is the only refusal, a filled honeypot is stored and held
for a check, never dropped. Bad input is a 400 with the error summary, nothing stored. The thanks page
reads the reference from a signed receipt in its address: no personal data in a URL."""

from django.conf import settings
from django.core import signing
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from home.messages import submission
from home.messages.forms import AccessibilityFeedbackForm, ContactForm
from home.messages.models import VisitorMessage
from site_core.models import OfficeDetails
from site_core.security.personal_pages import personal_page
from site_core.security.rate_limits import over_limit

FLOOD_GROUP = "visitor-message-posts"
RECEIPT_SALT = "home.messages.receipt"
RECEIPT_MAX_AGE = 7 * 24 * 3600
HELD_HONEYPOT = "a field people never see was filled in"

FORMS = {
    VisitorMessage.Kind.CONTACT: (ContactForm, "home/messages/contact.html", "contact:form", "contact:thanks"),
    VisitorMessage.Kind.ACCESSIBILITY: (
        AccessibilityFeedbackForm,
        "home/messages/accessibility.html",
        "contact:feedback",
        "contact:feedback_thanks",
    ),
}


def _message_form(request, kind: str):
    form_class, template, here, thanks = FORMS[kind]
    office = OfficeDetails.for_language(translation.get_language())
    if request.method != "POST":
        return personal_page(request, template, {"form": form_class(), "office": office})
    if over_limit(request, FLOOD_GROUP, settings.ALERTS_POST_RATE_LIMIT):
        back = {"back_url": reverse(here), "back_label": _("Back to the form")}
        return personal_page(request, "components/too_many_forms.html", back, status=429)
    form = form_class(request.POST)
    if not form.is_valid():
        return personal_page(request, template, {"form": form, "office": office}, status=400)
    held = HELD_HONEYPOT if form.honeypot_filled else ""
    message = submission.store(kind, form.message_fields(), translation.get_language(), held=held)
    receipt = signing.dumps({"r": message.reference, "k": kind}, salt=RECEIPT_SALT)
    return redirect(f"{reverse(thanks)}?receipt={receipt}")


def _thanks(request, kind: str):
    try:
        receipt = signing.loads(request.GET.get("receipt", ""), salt=RECEIPT_SALT, max_age=RECEIPT_MAX_AGE)
    except signing.BadSignature:
        raise Http404("no such receipt") from None
    if receipt.get("k") != kind:
        raise Http404("a receipt of the other form")
    context = {"reference": receipt.get("r", ""), "accessibility": kind == VisitorMessage.Kind.ACCESSIBILITY}
    return personal_page(request, "home/messages/thanks.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def contact_view(request):
    return _message_form(request, VisitorMessage.Kind.CONTACT)


@require_http_methods(["GET", "HEAD", "POST"])
def feedback_view(request):
    return _message_form(request, VisitorMessage.Kind.ACCESSIBILITY)


def contact_thanks_view(request):
    return _thanks(request, VisitorMessage.Kind.CONTACT)


def feedback_thanks_view(request):
    return _thanks(request, VisitorMessage.Kind.ACCESSIBILITY)
