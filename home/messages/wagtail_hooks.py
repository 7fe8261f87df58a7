"""Reports > Messages from visitors (home/messages/admin_views.py), imported by home/wagtail_hooks.py."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from home.messages.admin_views import ANSWER_ACTION, VIEW, VIEW_ACTION, MessagesReportView, MessageView


class MessagesMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(VIEW)


@hooks.register("register_admin_urls")
def register_visitor_messages_urls():
    return [
        path("visitor-messages/", MessagesReportView.as_view(), name="visitor_messages"),
        path("visitor-messages/<int:pk>/", MessageView.as_view(), name="visitor_message"),
    ]


@hooks.register("register_reports_menu_item")
def register_visitor_messages_menu_item():
    return MessagesMenuItem(
        _("Messages from visitors"), reverse("visitor_messages"), name="visitor-messages", icon_name="mail", order=680
    )


@hooks.register("register_log_actions")
def register_visitor_message_actions(actions):
    actions.register_action(VIEW_ACTION, _("View message"), _("Read the message from a visitor"))
    actions.register_action(ANSWER_ACTION, _("Mark message"), _("Marked the message from a visitor"))
