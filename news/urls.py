"""Public routes of the news app that live outside the page tree (and outside the language
prefixes): the embargo preview links. site_core/urls.py includes them before Wagtail's catch-all."""

from django.urls import re_path

from news import views

urlpatterns = [
    re_path(r"^preview/(?P<token>[A-Za-z0-9_-]{1,64})/$", views.embargo_preview, name="embargo_preview"),
]
