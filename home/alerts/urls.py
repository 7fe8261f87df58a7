"""/<lang>/alerts/…: subscribe, and the pages an alert email's links lead to (home/alerts/views.py)."""

from django.urls import path

from home.alerts import views

app_name = "alerts"

urlpatterns = [
    path("", views.subscribe_view, name="subscribe"),
    path("sent/", views.sent_view, name="sent"),
    path("confirm/<str:key>/", views.confirm_view, name="confirm"),
    path("manage/<str:key>/", views.manage_view, name="manage"),
    path("unsubscribe/<str:key>/", views.unsubscribe_view, name="unsubscribe"),
]
