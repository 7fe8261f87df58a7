"""A challenge's addresses: the call (`""`), its key dates as a calendar (`calendar.ics`), and the
application form and the applicant's pages (`apply/…`). The application views
(challenges/application_views.py) import the models through the form, hence their imports inside the
routes."""

from wagtail.contrib.routable_page.models import RoutablePageMixin, path

from challenges.calendar import calendar_response


class ChallengeRoutes(RoutablePageMixin):
    """The routes of `ChallengePage` (challenges/models/challenge.py)."""

    # Routes whose address or query is one applicant's (a private link, a receipt, what became of a
    # draft): the language switcher leads from them to the challenge itself (site_core/i18n/switcher.py).
    # A private link opened under the other language's challenge only redirects back anyway.
    personal_routes = frozenset(
        {"apply_thanks", "apply_saved", "apply_draft", "applicant_page", "applicant_edit", "applicant_withdraw"}
    )

    @path("")
    def challenge(self, request):
        return self.render(request)

    def get_cached_paths(self):
        """The fixed addresses the caching proxy may hold for this page (site_core/caching/proxy_cache.py)."""
        return ["/", "calendar.ics"]

    def csrf_failure_response(self, request, view_name: str):
        """The application form again, with what was typed, when its security token had expired
        (site_core.views.csrf_failure)."""
        if view_name != "apply":
            return None
        from challenges.application_views import apply_again

        return apply_again(self, request)

    @path("apply/")
    def apply(self, request):
        from challenges.application_views import apply

        return apply(self, request)

    @path("apply/thanks/")
    def apply_thanks(self, request):
        from challenges.application_views import thanks

        return thanks(self, request)

    @path("apply/saved/")
    def apply_saved(self, request):
        from challenges.application_views import draft_saved

        return draft_saved(self, request)

    @path("apply/link/")
    def apply_lost_link(self, request):
        from challenges.application_views import lost_link

        return lost_link(self, request)

    @path("apply/draft/<str:token>/")
    def apply_draft(self, request, token):
        from challenges.application_views import draft_page

        return draft_page(self, request, token)

    @path("apply/application/<str:token>/")
    def applicant_page(self, request, token):
        from challenges.application_views import application_page

        return application_page(self, request, token)

    @path("apply/application/<str:token>/edit/")
    def applicant_edit(self, request, token):
        from challenges.application_views import application_edit

        return application_edit(self, request, token)

    @path("apply/application/<str:token>/withdraw/")
    def applicant_withdraw(self, request, token):
        from challenges.application_views import application_withdraw

        return application_withdraw(self, request, token)

    @path("calendar.ics/")  # served at …/calendar.ics (see site_core/urls.py)
    def calendar(self, request):
        return calendar_response(self, request)
