"""django-csp internals the site's CSP middleware (site_core/security/headers.py) relies on
(django-csp 4.0). Its middleware reuses a header already built for the same policy, which needs to
know what django-csp itself would have done for a response: these functions say it."""

from dataclasses import asdict

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject, PolicyParts
from csp.utils import build_policy, default_config

__all__ = [
    "HEADER",
    "RESPONSE_OVERRIDES",
    "PolicyParts",
    "directives_config",
    "forbid_nonce_after_header",
    "nonce_was_used",
    "policy_header",
    "response_sets_own_policy",
]

# The private attributes django-csp's view decorators (`csp`, `csp_update`, `csp_replace`,
# `csp_exempt`) set on a response to change its (enforced) policy; `CSPMiddleware.get_policy_parts`
# and `process_response` read them back.
RESPONSE_OVERRIDES = ("_csp_config", "_csp_update", "_csp_replace", "_csp_exempt")


def nonce_was_used(request) -> bool:
    """Whether something asked for `request.csp_nonce` during this request: django-csp keeps the
    nonce it made in the private `request._csp_nonce` (`CSPMiddleware._make_nonce`) and reads it
    back there for the header."""
    return getattr(request, "_csp_nonce", None) is not None


def response_sets_own_policy(response) -> bool:
    """Whether a view changed its response's policy with one of django-csp's decorators (see
    RESPONSE_OVERRIDES)."""
    return any(hasattr(response, name) for name in RESPONSE_OVERRIDES)


def policy_header(parts: PolicyParts) -> str:
    """The header value django-csp writes for these parts: `CSPMiddleware.process_response` passes
    the fields of `get_policy_parts`' dataclass to `csp.utils.build_policy` as keywords."""
    return build_policy(**asdict(parts))


def directives_config(directives: dict) -> dict:
    """A policy's directives as django-csp's `config` (`csp.utils.default_config`: django-csp's
    defaults for what `directives` leaves out, unknown names dropped), as django-csp builds the
    settings' policy itself."""
    return default_config(directives)


def forbid_nonce_after_header(middleware, request) -> None:
    """What `CSPMiddleware.process_response` does once the header is written and no nonce was used:
    `request.csp_nonce` becomes a lazy object that raises `CSPNonceError` when read (its private
    `_csp_nonce_post_response`), so a nonce asked for too late is an error, not a script the
    browser silently refuses."""
    request.csp_nonce = CheckableLazyObject(middleware._csp_nonce_post_response)
