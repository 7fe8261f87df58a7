"""A publisher working in the Wagtail admin through the stack (nginx over HTTPS, production
settings), as a browser would: signs in, then posts the admin's own forms."""

import re

from django.urls import reverse

PASSWORD = "correct horse battery staple"


def csrf_token(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert found, html[:2000]
    return found.group(1)


class Publisher:
    def __init__(self, stack, username: str = "publisher"):
        self.visitor = stack.client()
        self.username = username

    def sign_in(self) -> "Publisher":
        page = self.visitor.get("/admin/login/")
        answer = self.visitor.post(
            "/admin/login/",
            {"csrfmiddlewaretoken": csrf_token(page.text), "username": self.username, "password": PASSWORD},
        )
        assert answer.status == 302 and "sessionid" in self.visitor.cookies, answer.text[:3000]
        return self

    def act(self, path: str, fields: dict | None = None):
        """GET the admin form at `path`, then POST it with its CSRF token and `fields`."""
        form = self.visitor.get(path)
        assert form.status == 200, (path, form.status)
        return self.visitor.post(path, {"csrfmiddlewaretoken": csrf_token(form.text), **(fields or {})})

    def unpublish(self, page):
        return self.act(reverse("wagtailadmin_pages:unpublish", args=[page.pk]))

    def delete(self, page):
        return self.act(reverse("wagtailadmin_pages:delete", args=[page.pk]))

    def move(self, page, destination):
        return self.act(reverse("wagtailadmin_pages:move_confirm", args=[page.pk, destination.pk]))

    def restrict(self, page, **fields):
        """Set the page's privacy: restriction_type "password" (with password) or "groups" (with groups)."""
        path = reverse("wagtailadmin_pages:set_privacy", args=[page.pk])
        form = self.visitor.get(path)
        token = re.search(r'name=\\?"csrfmiddlewaretoken\\?" value=\\?"([^"\\]+)', form.text).group(1)
        return self.visitor.post(path, {"csrfmiddlewaretoken": token, **fields})
