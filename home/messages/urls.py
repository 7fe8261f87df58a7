"""/<lang>/contact/form/ and /<lang>/accessibility/feedback/, with their thanks pages
(home/messages/views.py)."""

from django.urls import path

from home.messages import views

app_name = "contact"

urlpatterns = [
    path("contact/form/", views.contact_view, name="form"),
    path("contact/form/thanks/", views.contact_thanks_view, name="thanks"),
    path("accessibility/feedback/", views.feedback_view, name="feedback"),
    path("accessibility/feedback/thanks/", views.feedback_thanks_view, name="feedback_thanks"),
]
