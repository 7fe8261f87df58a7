"""Reports > Messages from visitors, for the Communications role: every message (newest first, the
ones to answer first), one message to read and mark as answered, and the CSV export (formula-safe
cells). Reading a message and marking it go to Wagtail's audit log."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import log

from home.messages import submission
from home.messages.models import VisitorMessage
from site_core.csv_download import csv_download

VIEW_ACTION = "cio.visitor_message.view"
ANSWER_ACTION = "cio.visitor_message.answered"
VIEW = "home.view_visitormessage"
ANSWER = "home.change_visitormessage"
EXPORT = "home.export_visitormessage"
Status = VisitorMessage.Status
CSV_HEADER = [
    "reference", "form", "topic", "name", "email", "about", "page", "message", "reply format", "phone",
    "language", "sent to", "status", "received", "answered",
]  # fmt: skip
PER_PAGE = 50


def export_response(queryset):
    def rows():
        yield CSV_HEADER
        for message in queryset.iterator(chunk_size=1000):
            yield [
                message.reference,
                message.get_kind_display(),
                message.get_topic_display(),
                message.name,
                message.email,
                message.about,
                message.page_url,
                message.message,
                message.get_reply_format_display(),
                message.phone,
                message.language,
                message.routed_to,
                message.get_status_display(),
                message.created_at,
                message.answered_at,
            ]

    return csv_download(rows(), f"visitor-messages-{timezone.now():%Y-%m-%d}.csv")


class MessagesAdminMixin(WagtailAdminTemplateMixin):
    header_icon = "mail"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(VIEW):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class MessagesReportView(MessagesAdminMixin, TemplateView):
    template_name = "home/admin/visitor_messages.html"
    page_title = _("Messages from visitors")

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "csv":
            if not request.user.has_perm(EXPORT):
                raise PermissionDenied
            return export_response(VisitorMessage.objects.order_by("created_at", "pk"))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        first = Case(When(status=Status.NEW, then=Value(0)), default=Value(1), output_field=IntegerField())
        listing = VisitorMessage.objects.order_by(first, "-created_at", "-pk")
        status = self.request.GET.get("status")
        if status in Status.values:
            listing = listing.filter(status=status)
        page = Paginator(listing, PER_PAGE).get_page(self.request.GET.get("page"))
        return {
            **super().get_context_data(**kwargs),
            "page": page,
            "status": status if status in Status.values else "",
            "statuses": Status.choices,
            "can_export": self.request.user.has_perm(EXPORT),
        }


class MessageView(MessagesAdminMixin, TemplateView):
    template_name = "home/admin/visitor_message.html"
    page_title = _("Message from a visitor")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.message = get_object_or_404(VisitorMessage, pk=kwargs["pk"])

    def post(self, request, *args, **kwargs):
        """Mark the message answered (or to answer again)."""
        if not request.user.has_perm(ANSWER):
            raise PermissionDenied
        message = self.message
        if request.POST.get("release") == "1" and message.status == Status.HELD:
            submission.release(message)
            messages.success(
                request, _("%(reference)s is released: its emails are on their way.") % {"reference": message.reference}
            )
            return redirect("visitor_message", pk=message.pk)
        if request.POST.get("answered") == "1":
            message.status, message.answered_at = Status.ANSWERED, timezone.now()
            notice = _("%(reference)s is marked as answered.")
        else:
            message.status, message.answered_at = Status.NEW, None
            notice = _("%(reference)s is back among the messages to answer.")
        message.save(update_fields=["status", "answered_at"])
        log(instance=message, action=ANSWER_ACTION, user=request.user, data={"status": message.status})
        messages.success(request, notice % {"reference": message.reference})
        return redirect("visitor_message", pk=message.pk)

    def get(self, request, *args, **kwargs):
        log(instance=self.message, action=VIEW_ACTION, user=request.user)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "message": self.message,
            "can_answer": self.request.user.has_perm(ANSWER),
        }
