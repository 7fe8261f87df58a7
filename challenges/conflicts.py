"""A reviewer declares their conflicts of interest for one challenge, per applicant organisation,
before they may read its applications (challenges/panels.py). The declaration covers the applications
received until then; each declaration is in Wagtail's audit log."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import log

from challenges.models import Application, ChallengePage, Conflict, ConflictDeclaration
from challenges.panels import reviews_challenge

DECLARE_ACTION = "cio.conflicts.declare"


def organisations(challenge) -> list[dict]:
    """The applicant organisations of a challenge (all its languages), by name whatever its case (as
    its first application spelled it): name, their application ids. One query."""
    rows = (
        Application.objects.filter(challenge__translation_key=challenge.translation_key)
        .order_by("pk")
        .values_list("pk", "organisation_name")
    )
    grouped: dict[str, dict] = {}
    for pk, name in rows:
        entry = grouped.setdefault(name.casefold(), {"name": name, "ids": []})
        entry["ids"].append(pk)
    return sorted(grouped.values(), key=lambda entry: entry["name"].casefold())


class DeclareConflictsView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "challenges/admin/declare_conflicts.html"
    page_title = _("Conflicts of interest")
    header_icon = "warning"

    def dispatch(self, request, *args, **kwargs):
        if not reviews_challenge(request.user, self.challenge):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def challenge(self):
        return get_object_or_404(ChallengePage, pk=self.kwargs["challenge_id"])

    def get_page_subtitle(self):
        return self.challenge.title

    def declaration(self):
        return ConflictDeclaration.objects.filter(
            user=self.request.user, challenge__translation_key=self.challenge.translation_key
        ).first()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        declaration = self.declaration()
        declared = set(
            Conflict.objects.filter(user=self.request.user, declaration=declaration).values_list(
                "application_id", flat=True
            )
        )
        entries = organisations(self.challenge)
        for entry in entries:
            entry["conflict"] = bool(declared.intersection(entry["ids"]))
            entry["count"] = len(entry["ids"])
        return {
            **context,
            "challenge": self.challenge,
            "organisations": entries,
            "declaration": declaration,
            "error": kwargs.get("error"),
        }

    def post(self, request, *args, **kwargs):
        if not request.POST.get("confirm"):
            context = self.get_context_data(
                error=_("Tick the box to confirm your declaration: it is what lets you read the applications.")
            )
            return self.render_to_response(context, status=400)
        chosen = {name.casefold() for name in request.POST.getlist("conflict")}
        entries = organisations(self.challenge)
        conflicted = [entry for entry in entries if entry["name"].casefold() in chosen]
        now = timezone.now()
        with transaction.atomic():
            declaration = self.declaration()
            if declaration is None:
                declaration = ConflictDeclaration(user=request.user, challenge=self.challenge)
            declaration.declared_at = now
            declaration.covers_until = now
            declaration.save()
            declaration.conflicts.all().delete()
            Conflict.objects.bulk_create(
                [
                    Conflict(declaration=declaration, application_id=pk, user=request.user)
                    for entry in conflicted
                    for pk in entry["ids"]
                ]
            )
            log(
                instance=declaration,
                action=DECLARE_ACTION,
                user=request.user,
                title=f"{self.challenge.title}",
                data={"organisations": len(entries), "conflicts": [entry["name"] for entry in conflicted]},
            )
        if conflicted:
            messages.success(
                request,
                _("Declaration saved. The applications of %(count)s organisation(s) are hidden from you.")
                % {"count": len(conflicted)},
            )
        else:
            messages.success(request, _("Declaration saved: no conflict of interest."))
        return redirect(reverse("applications:index") + f"?challenge={self.challenge.pk}")
