"""The visitor's side of email alerts, at /<lang>/alerts/: subscribe, confirm, manage, unsubscribe.

- **Subscribe** never says whether an address is known: every valid form gets the same answer
  ("check your inbox"). What the form asked for is kept as the subscriber's `pending` choice and
  applied only when the emailed confirmation link is used (double opt-in), so nobody can change
  another person's alerts by typing their address. At most one confirmation email an hour goes to an
  address; a suppressed address gets none (the same answer).
- **Confirm, manage, unsubscribe** are reached by the key in an email's link (home/alerts/models.py:
  only its hash is stored). A GET never changes anything (mail scanners follow links): each page
  has a button. The one-click unsubscribe of RFC 8058 is a POST of `List-Unsubscribe=One-Click` to
  the same address, which mail clients send without a CSRF token.
- Pages at a key are `no-store`, `noindex` and send only the site's origin as referrer."""

from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from home.alerts import confirmation
from home.alerts.forms import CONSENT_TEXT, PreferencesForm, SubscribeForm
from home.alerts.lists import FOLLOW, describe
from home.alerts.models import Subscriber, SubscriberKey, Subscription
from site_core.i18n.locales import locale_id
from site_core.security.personal_pages import personal_page
from site_core.security.rate_limits import over_limit

FLOOD_GROUP = "alert-subscribe-posts"
ONE_CLICK = "List-Unsubscribe=One-Click"


def _flooding(request) -> bool:
    """Past ALERTS_POST_RATE_LIMIT posts from one client address: refused with a 429 that says nothing
    was stored. The limiter's store being down never refuses anyone."""
    return over_limit(request, FLOOD_GROUP, settings.ALERTS_POST_RATE_LIMIT)


@require_http_methods(["GET", "HEAD", "POST"])
def subscribe_view(request):
    if request.method != "POST":
        form = SubscribeForm(locale_id=locale_id(), initial={"language": translation.get_language()})
        # "Follow this challenge by email" on a challenge's page leads here with it ticked.
        wanted = request.GET.get("follow", "")
        if wanted in dict(form.fields["follow"].choices):
            form.initial["follow"] = [wanted]
        return personal_page(request, "home/alerts/subscribe.html", {"form": form})
    if _flooding(request):
        back = {"back_url": reverse("alerts:subscribe"), "back_label": _("Back to email alerts")}
        return personal_page(request, "components/too_many_forms.html", back, status=429)
    form = SubscribeForm(request.POST, locale_id=locale_id())
    if not form.is_valid():
        return personal_page(request, "home/alerts/subscribe.html", {"form": form}, status=400)
    # A filled honeypot is held for a check (Reports > Email alerts), never dropped: a person whose
    # browser filled the hidden field gets their confirmation once staff have looked.
    held = HELD_HONEYPOT if form.honeypot_filled else ""
    ask(form.cleaned_data["email"], form.choices(), str(CONSENT_TEXT), request.path, held=held)
    return redirect(reverse("alerts:sent"))


HELD_HONEYPOT = "a field people never see was filled in"


def ask(email: str, choices: dict, consent_text: str, form_path: str, now=None, held: str = "") -> Subscriber:
    """Record what the form asked for as the address's pending choice and queue its confirmation
    email (unless one went out in the last hour, or the address is suppressed, or the form is held
    for a check: `held` says why, and staff send the confirmation from the report)."""
    now = now or timezone.now()
    with transaction.atomic():
        subscriber, _created = Subscriber.objects.select_for_update().get_or_create(
            email=email, defaults={"language": choices["language"], "created_at": now}
        )
        subscriber.pending = {
            **choices,
            "consent_text": consent_text,
            "consent_form": form_path,
            "asked_at": now.isoformat(),
            **({"held": held} if held else {}),
        }
        subscriber.save(update_fields=["pending"])
        if subscriber.suppressed_at is None and not held:
            confirmation.queue_confirmation(subscriber, now)
    return subscriber


def sent_view(request):
    return personal_page(request, "home/alerts/sent.html", {})


def _subscriber_or_404(key: str) -> Subscriber:
    subscriber = SubscriberKey.subscriber_of(key)
    if subscriber is None:
        raise Http404("unknown or expired alerts link")
    return subscriber


@require_http_methods(["GET", "HEAD", "POST"])
def confirm_view(request, key: str):
    subscriber = _subscriber_or_404(key)
    if not subscriber.pending:
        return redirect(reverse("alerts:manage", kwargs={"key": key}))
    if request.method == "POST":
        apply_pending(subscriber)
        return redirect(reverse("alerts:manage", kwargs={"key": key}) + "?confirmed=1")
    return personal_page(
        request,
        "home/alerts/confirm.html",
        {"subscriber": subscriber, "pending": describe(subscriber.pending, locale_id()), "key": key},
        keyed=True,
    )


def apply_pending(subscriber: Subscriber, now=None) -> None:
    """The confirmation: the pending choice becomes the subscriptions, with its consent on record."""
    now = now or timezone.now()
    pending = subscriber.pending
    with transaction.atomic():
        replace_subscriptions(subscriber, pending.get("lists") or {}, pending.get("follow") or [])
        subscriber.language = pending.get("language") or subscriber.language
        subscriber.frequency = pending.get("frequency") or subscriber.frequency
        subscriber.confirmed_at = subscriber.confirmed_at or now
        subscriber.consent_text = pending.get("consent_text", "")
        subscriber.consent_form = pending.get("consent_form", "")
        subscriber.consented_at = now
        subscriber.unsubscribed_at = None
        subscriber.pending = {}
        subscriber.save()


def replace_subscriptions(subscriber: Subscriber, lists: dict[str, dict], follow: list[str] = ()) -> None:
    subscriber.subscriptions.all().delete()
    Subscription.objects.bulk_create(
        [Subscription(subscriber=subscriber, list_key=key, filters=filters) for key, filters in lists.items()]
        + [Subscription(subscriber=subscriber, list_key=FOLLOW, target=target) for target in follow]
    )


@require_http_methods(["GET", "HEAD", "POST"])
def manage_view(request, key: str):
    subscriber = _subscriber_or_404(key)
    subscriptions = list(subscriber.subscriptions.all())
    followed = tuple(subscription.target for subscription in subscriptions if subscription.target)
    saved = False
    if request.method == "POST":
        form = PreferencesForm(request.POST, locale_id=locale_id(), followed=followed)
        if form.is_valid():
            choices = form.choices()
            with transaction.atomic():
                replace_subscriptions(subscriber, choices["lists"], choices["follow"])
                subscriber.language = choices["language"]
                subscriber.frequency = choices["frequency"]
                subscriber.unsubscribed_at = None
                subscriber.save(update_fields=["language", "frequency", "unsubscribed_at"])
            saved = True
        status = 200 if form.is_valid() else 400
    else:
        form = PreferencesForm(
            locale_id=locale_id(), followed=followed, initial=PreferencesForm.initial_from(subscriptions, subscriber)
        )
        status = 200
    context = {
        "form": form,
        "key": key,
        "saved": saved,
        "confirmed": request.GET.get("confirmed") == "1",
        "subscribed": bool(subscriptions) or saved,
        "confirmed_subscriber": subscriber.confirmed_at is not None,
    }
    return personal_page(request, "home/alerts/manage.html", context, status=status, keyed=True)


@csrf_exempt  # RFC 8058: mail clients post the one-click unsubscribe without a CSRF token
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe_view(request, key: str):
    subscriber = SubscriberKey.subscriber_of(key)
    one_click = request.method == "POST" and request.POST.get("List-Unsubscribe") == "One-Click"
    if subscriber is None:
        if one_click:
            return HttpResponse(status=404)
        raise Http404("unknown or expired alerts link")
    if request.method == "POST":
        unsubscribe(subscriber)
        if one_click:
            return HttpResponse(_("You are unsubscribed from every alert."), content_type="text/plain; charset=utf-8")
        return personal_page(request, "home/alerts/unsubscribed.html", {"key": key}, keyed=True)
    return personal_page(request, "home/alerts/unsubscribe.html", {"key": key}, keyed=True)


def unsubscribe(subscriber: Subscriber, now=None) -> None:
    """Every subscription ends at once; the record of consent and its withdrawal stays (CASL)."""
    with transaction.atomic():
        subscriber.subscriptions.all().delete()
        subscriber.unsubscribed_at = now or timezone.now()
        subscriber.pending = {}
        subscriber.save(update_fields=["unsubscribed_at", "pending"])
