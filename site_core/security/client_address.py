"""Who is asking: the visitor's address, for the per-client limits (applications, passwords).

Behind the shipped proxy every request comes from nginx's address. nginx puts the address it saw in
X-Real-IP, replacing whatever the client sent there (deploy/nginx/cio-proxy.conf), so that header is
believed only when the request comes from a proxy listed in TRUSTED_PROXIES; from anywhere else
(a client reaching the app directly) a client-sent X-Real-IP is ignored. IPv6 visitors are counted
per /64 network, the block one subscriber usually holds, so rotating addresses within it gains
nothing.
"""

import ipaddress

from django.conf import settings

IPV6_PREFIX = 64


def client_address(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    if remote in getattr(settings, "TRUSTED_PROXIES", ()):
        forwarded = request.META.get(settings.CLIENT_ADDRESS_HEADER, "").strip()
        if forwarded:
            remote = forwarded
    return counted_as(remote)


def counted_as(address: str) -> str:
    """The address as limits count it: IPv4 as is, IPv6 as its /64; anything else unchanged (a
    malformed value from a misconfigured proxy still gets a counter of its own)."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address[:100]
    if parsed.version == 4:
        return str(parsed)
    if parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    return f"{ipaddress.ip_network(f'{parsed}/{IPV6_PREFIX}', strict=False).network_address}/{IPV6_PREFIX}"


def ratelimit_key(group, request) -> str:
    """django-ratelimit's `key` callable."""
    return client_address(request)
