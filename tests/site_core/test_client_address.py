"""The visitor's address for per-client limits (site_core/security/client_address.py): the proxy's X-Real-IP
only from a trusted proxy, IPv6 per /64."""

import pytest
from django.test import RequestFactory

from site_core.security.client_address import client_address, counted_as


@pytest.fixture
def request_from(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.5"]

    def build(remote: str, **headers):
        return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)

    return build


def test_behind_a_trusted_proxy_the_address_it_saw_counts(request_from):
    assert client_address(request_from("10.0.0.5", HTTP_X_REAL_IP="198.51.100.4")) == "198.51.100.4"
    assert client_address(request_from("127.0.0.1", HTTP_X_REAL_IP="198.51.100.5")) == "198.51.100.5"


def test_a_client_reaching_the_app_directly_cannot_choose_its_address(request_from):
    direct = request_from("198.51.100.9", HTTP_X_REAL_IP="203.0.113.1", HTTP_X_FORWARDED_FOR="203.0.113.2")
    assert client_address(direct) == "198.51.100.9"


def test_without_the_header_the_connection_counts(request_from):
    assert client_address(request_from("127.0.0.1")) == "127.0.0.1"


@pytest.mark.parametrize(
    ("address", "counted"),
    [
        ("192.0.2.1", "192.0.2.1"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
        ("::ffff:192.0.2.7", "192.0.2.7"),
        ("1.2.3.4, 5.6.7.8", "1.2.3.4, 5.6.7.8"),  # not an address: its own counter, never an error
    ],
)
def test_addresses_as_limits_count_them(address, counted):
    assert counted_as(address) == counted
