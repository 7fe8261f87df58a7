"""Where a message goes: the address `CONTACT_TOPIC_ADDRESSES` names for its topic (the contact form's
topics, and "accessibility" for accessibility feedback), else the site settings' contact email, else
SERVER_EMAIL. A pure rule with the fallback looked up once."""

from django.conf import settings
from wagtail.models import Site

from home.messages.models import VisitorMessage


def topic_key(kind: str, topic: str) -> str:
    return VisitorMessage.Kind.ACCESSIBILITY.value if kind == VisitorMessage.Kind.ACCESSIBILITY else topic


def pick_address(key: str, configured: dict[str, str], fallback: str) -> str:
    """The configured address of `key` when there is one, else `fallback`."""
    return (configured.get(key) or "").strip() or fallback


def office_inbox() -> str:
    from site_core.models import SiteSettings

    site = Site.objects.filter(is_default_site=True).first()
    contact = SiteSettings.for_site(site).contact_email if site else ""
    return contact or settings.SERVER_EMAIL


def address_for(kind: str, topic: str) -> str:
    configured = getattr(settings, "CONTACT_TOPIC_ADDRESSES", {}) or {}
    key = topic_key(kind, topic)
    return pick_address(key, configured, "") or office_inbox()
