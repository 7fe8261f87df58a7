"""/<lang>/events/…: an event's registration form and its answer, and the cancel link of the emails
(home/events/views.py)."""

from django.urls import path

from home.events import views

app_name = "events"

urlpatterns = [
    path("<uuid:key>/register/", views.register_view, name="register"),
    path("<uuid:key>/registered/", views.registered_view, name="registered"),
    path("cancel/<str:key>/", views.cancel_view, name="cancel"),
]
