"""Reports > Email alerts, for the Communications role: how many people follow each list in each
language, the latest alerts with how many emails were sent and failed, suppressing an address (a
bounce or a complaint reported by hand), and the export of the subscribers (with their consent
records, as CASL expects them kept). A fixed number of queries however many subscribers."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from home.alerts import confirmation
from home.alerts.lists import FOLLOW, LISTS
from home.alerts.models import AlertBroadcast, Subscriber, Subscription
from site_core.csv_download import csv_download
from site_core.models import OutgoingEmail

VIEW = "home.view_subscriber"
SUPPRESS = "home.change_subscriber"
EXPORT = "home.export_subscriber"
LATEST = 20


class SuppressForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254)
    reason = forms.CharField(
        label=_("Why"), max_length=200, help_text=_("For example: bounced, or asked by phone to stop.")
    )


def reachable_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}confirmed_at__isnull": False, f"{prefix}suppressed_at__isnull": True})


class AlertsReportView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "home/admin/alerts_report.html"
    page_title = _("Email alerts")
    header_icon = "mail"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(VIEW):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "csv":
            return self.export(request)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm(SUPPRESS):
            raise PermissionDenied
        if "release" in request.POST:
            return self.release(request)
        form = SuppressForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(suppress_form=form), status=400)
        email = form.cleaned_data["email"].strip().lower()
        subscriber, _created = Subscriber.objects.get_or_create(email=email, defaults={"language": "en"})
        subscriber.suppress(form.cleaned_data["reason"])
        messages.success(request, _("Nothing more will be sent to %(email)s.") % {"email": email})
        return redirect(reverse("alerts_report"))

    def release(self, request):
        """Staff checked a held subscribe form: its confirmation email goes out (the person still has
        to confirm), or, for "drop", the held choice is forgotten."""
        subscriber = Subscriber.objects.filter(pk=request.POST.get("release"), pending__has_key="held").first()
        if subscriber is None:
            messages.error(request, _("That form is no longer held: nothing was changed."))
            return redirect(reverse("alerts_report"))
        if request.POST.get("decision") == "drop":
            subscriber.pending = {}
            subscriber.save(update_fields=["pending"])
            messages.success(request, _("The held form for %(email)s is deleted.") % {"email": subscriber.email})
        else:
            subscriber.pending = {key: value for key, value in subscriber.pending.items() if key != "held"}
            subscriber.save(update_fields=["pending"])
            queued = subscriber.suppressed_at is None and confirmation.queue_confirmation(subscriber, timezone.now())
            if queued:
                messages.success(
                    request, _("The confirmation email to %(email)s is on its way.") % {"email": subscriber.email}
                )
            else:
                messages.warning(
                    request,
                    _("%(email)s is suppressed, or was sent a confirmation within the hour: no email now.")
                    % {"email": subscriber.email},
                )
        return redirect(reverse("alerts_report"))

    def get_context_data(self, **kwargs):
        counts = (
            Subscription.objects.filter(reachable_q("subscriber__"))
            .values("list_key", "subscriber__language")
            .annotate(people=Count("subscriber", distinct=True))
        )
        by_list = {(row["list_key"], row["subscriber__language"]): row["people"] for row in counts}
        languages = sorted({language for _key, language in by_list} | {"en", "fr"})
        labels = [(key, alert_list.label) for key, alert_list in LISTS.items()] + [
            (FOLLOW, _("Followers of a challenge"))
        ]
        lists = [
            {"label": label, "counts": [by_list.get((key, language), 0) for language in languages]}
            for key, label in labels
        ]
        totals = Subscriber.objects.aggregate(
            confirmed=Count("pk", filter=reachable_q()),
            waiting=Count("pk", filter=Q(confirmed_at__isnull=True, suppressed_at__isnull=True)),
            suppressed=Count("pk", filter=Q(suppressed_at__isnull=False)),
            unsubscribed=Count("pk", filter=Q(unsubscribed_at__isnull=False)),
        )
        broadcasts = (
            AlertBroadcast.objects.select_related("page")
            .annotate(
                sent=Count("deliveries", filter=Q(deliveries__email__state=OutgoingEmail.State.SENT)),
                failed=Count("deliveries", filter=Q(deliveries__email__state=OutgoingEmail.State.FAILED)),
                weekly=Count("deliveries", filter=Q(deliveries__weekly=True)),
                waiting=Count(
                    "deliveries",
                    filter=Q(deliveries__email__state__in=[OutgoingEmail.State.QUEUED, OutgoingEmail.State.SENDING]),
                ),
            )
            .exclude(key__startswith="seen:")  # what a challenge's followers had seen before alerts: not a send
            .order_by("-created_at", "-pk")[:LATEST]
        )
        held = list(Subscriber.objects.filter(pending__has_key="held").order_by("created_at", "pk")[:LATEST])
        user = self.request.user
        return {
            "held": held,
            "held_count": Subscriber.objects.filter(pending__has_key="held").count(),
            **super().get_context_data(**kwargs),
            "languages": languages,
            "lists": lists,
            "totals": totals,
            "broadcasts": broadcasts,
            "suppress_form": kwargs.get("suppress_form") or SuppressForm(),
            "can_suppress": user.has_perm(SUPPRESS),
            "can_export": user.has_perm(EXPORT),
            "now": timezone.now(),
        }

    def export(self, request):
        """Every subscriber with their lists and consent record, as CSV (formula-safe cells)."""
        if not request.user.has_perm(EXPORT):
            raise PermissionDenied
        subscribers = Subscriber.objects.prefetch_related("subscriptions").order_by("pk")
        header = [
            "email",
            "language",
            "lists",
            "asked",
            "confirmed",
            "consent given",
            "consent given on",
            "consent wording",
            "unsubscribed",
            "suppressed",
            "why suppressed",
        ]

        def rows():
            yield header
            for subscriber in subscribers.iterator(chunk_size=1000):
                # A followed challenge by its translation key (the same in both languages).
                followed = subscriber.subscriptions.all()
                lists = " ".join(sorted(f"{s.list_key}:{s.target}" if s.target else s.list_key for s in followed))
                yield [
                    subscriber.email,
                    subscriber.language,
                    lists,
                    subscriber.created_at,
                    subscriber.confirmed_at or "",
                    subscriber.consented_at or "",
                    subscriber.consent_form,
                    subscriber.consent_text,
                    subscriber.unsubscribed_at or "",
                    subscriber.suppressed_at or "",
                    subscriber.suppressed_reason,
                ]

        return csv_download(rows(), f"subscribers-{timezone.now():%Y-%m-%d}.csv")
