"""Each function of site_core/compat/ against the installed library: these tests fail when an
internal the site relies on changes (a private attribute renamed, a rule rewritten, a signature
changed), so that an upgrade breaks a test instead of the site.

Each assumption is a `check_…` function, run once as it is (it must pass) and, for several of them,
once more with the library broken the way an upgrade could break it (a canary: the check must then
fail, which proves the test can fail)."""

import inspect
import json
import pickle
import socket
import time

import pytest
import redis
from csp.constants import HEADER, NONCE, SELF
from csp.decorators import csp, csp_exempt, csp_replace, csp_update
from csp.exceptions import CSPNonceError
from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import build_policy
from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound, QueryDict
from django.middleware.locale import LocaleMiddleware
from django.utils.datastructures import MultiValueDict
from rest_framework.request import Request
from wagtail import hooks
from wagtail.api.rich_text import APIRichText
from wagtail.api.v2.filters import SearchFilter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.rich_text import features as site_features
from wagtail.rich_text.feature_registry import FeatureRegistry

from site_core.api.endpoints import PublicPagesAPIViewSet, PublicSearchFilter, api_router
from site_core.caching.query_params import ReadTracking
from site_core.compat import django as django_compat
from site_core.compat import django_csp
from site_core.compat import redis as redis_compat
from site_core.compat import rest_framework as rest_framework_compat
from site_core.compat import wagtail as wagtail_compat
from site_core.security.headers import ContentSecurityPolicyMiddleware
from site_core.services.dependencies import GuardedConnection, GuardedConnectionPool
from site_core.text import links

# --- django ----------------------------------------------------------------------------------------


def check_judge_404_against(rf):
    def plain_404(request):
        return HttpResponseNotFound()

    def judged_404(request):
        django_compat.judge_404_against(request, "news.urls")
        return HttpResponseNotFound()

    # Why the override exists: a 404 outside the language prefixes is redirected under /en/…
    response = LocaleMiddleware(plain_404)(rf.get("/preview/some-token/"))
    assert response.status_code == 302, "LocaleMiddleware no longer redirects a 404: drop judge_404_against"
    assert response["Location"] == "/en/preview/some-token/"
    # … and what it relies on: LocaleMiddleware judges the 404 against request.urlconf.
    response = LocaleMiddleware(judged_404)(rf.get("/preview/some-token/"))
    assert response.status_code == 404


def test_a_404_judged_against_a_urlconf_without_language_prefixes_stays_a_404(rf):
    check_judge_404_against(rf)


def test_canary_judge_404_against_fails_if_locale_middleware_ignores_request_urlconf(rf, monkeypatch):
    original = LocaleMiddleware.process_response

    def ignoring_request_urlconf(self, request, response):
        request.__dict__.pop("urlconf", None)
        return original(self, request, response)

    monkeypatch.setattr(LocaleMiddleware, "process_response", ignoring_request_urlconf)
    with pytest.raises(AssertionError):
        check_judge_404_against(rf)


# The page cache's recording `request.GET` (site_core/caching/query_params.py).


def check_replace_query_dict(request):
    tracked = ReadTracking(request.META["QUERY_STRING"], encoding=request.encoding)
    django_compat.replace_query_dict(request, tracked)
    assert request.GET is tracked
    assert request.GET.get("page") == "2"
    assert tracked.names_read == {"page"}


def test_replace_query_dict_replaces_get_on_wsgi_and_asgi_requests(rf, async_rf):
    assert "GET" in vars(HttpRequest())  # HttpRequest sets a plain attribute; the handlers cache one
    for request in (rf.get("/en/news/", {"page": 2, "utm_source": "x"}), async_rf.get("/en/news/?page=2&utm_source=x")):
        check_replace_query_dict(request)


def test_canary_replace_query_dict_fails_if_get_cannot_be_replaced(rf, monkeypatch):
    frozen = property(lambda self: QueryDict(self.META["QUERY_STRING"]), lambda self, value: None)
    monkeypatch.setattr(WSGIRequest, "GET", frozen)
    with pytest.raises(AssertionError):
        check_replace_query_dict(rf.get("/en/news/", {"page": 2}))


def query_string_readers():
    """The names on Django's request classes whose code reads the query string (or the full path)
    other than through `request.GET`."""

    def code(value):
        value = getattr(value, "fget", None) or getattr(value, "func", None) or value
        return inspect.getsource(value) if inspect.isfunction(value) else ""

    return {
        f"{cls.__name__}.{name}"
        for cls in (HttpRequest, WSGIRequest, ASGIRequest)
        for name, value in vars(cls).items()
        if "QUERY_STRING" in code(value) or "get_full_path" in code(value)
    }


def check_on_whole_query_read(rf):
    # Why the wrappers exist: the full path comes from META, a recording GET does not see it…
    request = rf.get("/en/news/", {"page": 2, "utm_source": "x"})
    tracked = ReadTracking(request.META["QUERY_STRING"])
    django_compat.replace_query_dict(request, tracked)
    assert request.get_full_path() == "/en/news/?page=2&utm_source=x"
    assert not tracked.read_all and not tracked.names_read
    # … and these are all the request's readers of the query string besides GET itself.
    assert query_string_readers() == {
        "HttpRequest.__repr__",  # calls self.get_full_path(): wrapped on the instance
        "HttpRequest.get_full_path",
        "HttpRequest.get_full_path_info",
        "HttpRequest._get_full_path",  # called by the two above
        "HttpRequest.build_absolute_uri",
        "WSGIRequest.GET",
        "ASGIRequest.__init__",  # fills META["QUERY_STRING"]
        "ASGIRequest.GET",
    }
    reads = []
    django_compat.on_whole_query_read(request, lambda: reads.append(True))
    plain = rf.get("/en/news/", {"page": 2, "utm_source": "x"})
    for read in (
        lambda r: r.get_full_path(),
        lambda r: r.get_full_path(force_append_slash=True),
        lambda r: r.get_full_path_info(),
        lambda r: r.build_absolute_uri(),
        repr,
    ):
        reads.clear()
        assert read(request) == read(plain)
        assert "utm_source=x" in read(plain)
        assert reads
    # A location given is joined to the path alone: not a read of the query string.
    reads.clear()
    assert request.build_absolute_uri("/en/jobs/") == "http://testserver/en/jobs/"
    assert request.build_absolute_uri("?page=3") == "http://testserver/en/news/?page=3"
    assert request.build_absolute_uri("") == "http://testserver/en/news/"
    assert not reads


def test_on_whole_query_read_sees_every_read_of_the_query_string_without_get(rf):
    check_on_whole_query_read(rf)


def test_canary_on_whole_query_read_fails_if_django_adds_a_query_string_reader(rf, monkeypatch):
    def get_full_url(self):
        return self.META["QUERY_STRING"]

    monkeypatch.setattr(HttpRequest, "get_full_url", get_full_url, raising=False)
    with pytest.raises(AssertionError):
        check_on_whole_query_read(rf)


# QueryDict's methods (its own and MultiValueDict's) that change it or read no parameter.
QUERY_DICT_NOT_READS = {
    "__init__",
    "__setitem__",
    "__delitem__",
    "__setstate__",
    "_assert_mutable",
    "appendlist",
    "clear",
    "pop",
    "popitem",
    "setdefault",
    "setlist",
    "setlistdefault",
    "update",
    "encoding",
}
# Reads ReadTracking leaves to what they call: `_getlist` serves `getlist` and iteration;
# `__getstate__` (pickling) iterates; `__repr__` (printing `request.GET`) is not tracked.
QUERY_DICT_READS_THROUGH_OTHERS = {"_getlist", "__getstate__", "__repr__"}


def check_query_dict_reads_are_tracked():
    methods = {
        name
        for cls in (QueryDict, MultiValueDict)
        for name, value in vars(cls).items()
        if callable(value) or isinstance(value, property)
    }
    reads = methods - QUERY_DICT_NOT_READS - QUERY_DICT_READS_THROUGH_OTHERS
    assert reads <= set(vars(ReadTracking)), f"not tracked: {sorted(reads - set(vars(ReadTracking)))}"
    assert list(inspect.signature(QueryDict).parameters) == ["query_string", "mutable", "encoding"]
    tracked = ReadTracking("page=2&utm_source=x")
    pickle.loads(pickle.dumps(tracked))  # noqa: S301 (the test's own object)
    assert tracked.read_all


def test_readtracking_overrides_every_read_method_of_django_querydict():
    check_query_dict_reads_are_tracked()


def test_canary_query_dict_check_fails_if_django_adds_a_read_method(monkeypatch):
    monkeypatch.setattr(MultiValueDict, "getone", lambda self, key: self[key], raising=False)
    with pytest.raises(AssertionError):
        check_query_dict_reads_are_tracked()


# --- rest_framework --------------------------------------------------------------------------------


def test_django_request_is_the_request_drf_wraps(rf):
    django_request = rf.get("/api/v2/pages/")
    request = Request(django_request)
    assert rest_framework_compat.django_request(request) is django_request
    # What is set on DRF's wrapper stays there: the middleware would not see it.
    request.urlconf = "news.urls"
    assert not hasattr(django_request, "urlconf")


def check_set_query_param(rf):
    request = Request(rf.get("/api/v2/pages/", {"search": 'a "b', "type": "news.NewsReleasePage"}))
    rest_framework_compat.set_query_param(request, "search", "a b")
    # Wagtail's SearchFilter reads request.GET (proxied by DRF), DRF's own code query_params.
    assert request.GET["search"] == "a b"
    assert request.query_params["search"] == "a b"
    assert request.query_params["type"] == "news.NewsReleasePage"


def test_set_query_param_changes_what_drf_and_wagtail_read(rf):
    check_set_query_param(rf)


def test_canary_set_query_param_fails_if_drf_reads_the_raw_query_string(rf, monkeypatch):
    monkeypatch.setattr(Request, "query_params", property(lambda self: QueryDict(self._request.META["QUERY_STRING"])))
    with pytest.raises(AssertionError):
        check_set_query_param(rf)


def test_wagtails_search_filter_reads_the_search_from_request_get():
    source = inspect.getsource(SearchFilter.filter_queryset)
    assert 'request.GET["search"]' in source


# --- django_csp ------------------------------------------------------------------------------------


def csp_middleware(response=None):
    return CSPMiddleware(lambda request: response or HttpResponse("ok"))


def check_nonce_was_used(rf, settings):
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"script-src": [SELF, NONCE]}}
    middleware = csp_middleware()
    request = rf.get("/")
    middleware.process_request(request)
    assert not django_csp.nonce_was_used(request)
    nonce = str(request.csp_nonce)
    assert django_csp.nonce_was_used(request)
    response = middleware.process_response(request, HttpResponse("ok"))
    assert f"'nonce-{nonce}'" in response[HEADER]


def test_nonce_was_used_sees_the_nonce_django_csp_puts_in_the_header(rf, settings):
    check_nonce_was_used(rf, settings)


def test_canary_nonce_was_used_fails_if_django_csp_keeps_the_nonce_elsewhere(rf, settings, monkeypatch):
    def make_nonce(self, request):
        request._csp_nonce_value = getattr(request, "_csp_nonce_value", None) or "abc123"
        return request._csp_nonce_value

    def get_policy_parts(self, request, response, report_only=False):
        return PolicyParts(nonce=getattr(request, "_csp_nonce_value", None))

    monkeypatch.setattr(CSPMiddleware, "_make_nonce", make_nonce)
    monkeypatch.setattr(CSPMiddleware, "get_policy_parts", get_policy_parts)
    with pytest.raises(AssertionError):
        check_nonce_was_used(rf, settings)


@pytest.mark.parametrize(
    "decorator",
    [
        csp_exempt(),
        csp_update({"img-src": ["https://example.org"]}),
        csp_replace({"img-src": ["https://example.org"]}),
        csp({"default-src": ["'self'"]}),
    ],
)
def test_response_sets_own_policy_sees_each_django_csp_decorator(rf, decorator):
    plain = set(vars(HttpResponse("ok")))
    response = decorator(lambda request: HttpResponse("ok"))(rf.get("/"))
    added = {name for name in set(vars(response)) - plain if not name.endswith("_ro")}
    assert added
    assert added <= set(django_csp.RESPONSE_OVERRIDES)
    assert django_csp.response_sets_own_policy(response)


def test_response_overrides_are_what_django_csp_reads_back(rf):
    response = HttpResponse("ok")
    response._csp_config = {"default-src": ["'none'"]}
    response._csp_update = {"img-src": ["https://a.example"]}
    response._csp_replace = {"script-src": ["https://b.example"]}
    parts = csp_middleware().get_policy_parts(rf.get("/"), response)
    assert (parts.config, parts.update, parts.replace) == (
        response._csp_config,
        response._csp_update,
        response._csp_replace,
    )
    response._csp_exempt = True
    assert HEADER not in csp_middleware().process_response(rf.get("/"), response)
    assert not django_csp.response_sets_own_policy(HttpResponse("ok"))


def check_policy_header(rf):
    middleware = csp_middleware()
    request = rf.get("/")
    middleware.process_request(request)
    response = middleware.process_response(request, HttpResponse("ok"))
    assert response[HEADER] == django_csp.policy_header(middleware.get_policy_parts(request, HttpResponse("ok")))


def test_policy_header_is_the_header_django_csp_writes(rf):
    check_policy_header(rf)


def test_canary_policy_header_fails_if_django_csp_builds_its_header_differently(rf, monkeypatch):
    monkeypatch.setattr("csp.middleware.build_policy", lambda **kwargs: build_policy(**kwargs) + "; sandbox")
    with pytest.raises(AssertionError):
        check_policy_header(rf)


def test_directives_config_builds_the_policy_django_csp_builds_from_the_settings():
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    built = django_csp.policy_header(PolicyParts(config=django_csp.directives_config(directives)))
    assert built == build_policy()
    assert "no-such" not in django_csp.policy_header(
        PolicyParts(config=django_csp.directives_config({"no-such": ["x"]}))
    )


def test_forbid_nonce_after_header_does_what_django_csp_does(rf):
    middleware = csp_middleware()
    ours, theirs = rf.get("/"), rf.get("/")
    middleware.process_request(theirs)
    middleware.process_response(theirs, HttpResponse("ok"))
    django_csp.forbid_nonce_after_header(middleware, ours)
    for request in (ours, theirs):
        assert type(request.csp_nonce) is type(theirs.csp_nonce)
        assert not request.csp_nonce
        with pytest.raises(CSPNonceError):
            str(request.csp_nonce)


def test_get_policy_parts_keeps_the_signature_the_site_overrides():
    names = list(inspect.signature(CSPMiddleware.get_policy_parts).parameters)
    assert names == ["self", "request", "response", "report_only"]
    ours = list(inspect.signature(ContentSecurityPolicyMiddleware.get_policy_parts).parameters)
    assert ours == names
    assert set(PolicyParts.__dataclass_fields__) == {"config", "update", "replace", "nonce"}


# --- wagtail: rich-text links ----------------------------------------------------------------------


def comparable(value):
    """A conversion rule with its handler objects as (class, attributes), so two rules compare."""
    if isinstance(value, dict):
        return {key: comparable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [comparable(item) for item in value]
    if hasattr(value, "__dict__") and not inspect.isroutine(value) and not isinstance(value, type):
        return (type(value), comparable(vars(value)))
    return value


def wagtails_own_rule(feature: str):
    """The contentstate rule Wagtail's own hooks register for `feature`, without the site's."""
    registry = FeatureRegistry()
    for register in hooks.get_hooks("register_rich_text_features"):
        if register.__module__.startswith("wagtail."):
            register(registry)
    registry.has_scanned_for_features = True
    return registry.get_converter_rule("contentstate", feature)


def check_link_rules_are_wagtails():
    from wagtail.admin.rich_text.converters.contentstate import link_entity
    from wagtail.documents.rich_text.contentstate import document_link_entity

    assert comparable(wagtail_compat.contentstate_link_rule(link_entity)) == comparable(wagtails_own_rule("link"))
    assert comparable(wagtail_compat.contentstate_document_link_rule(document_link_entity)) == comparable(
        wagtails_own_rule("document-link")
    )


def test_the_link_rules_are_wagtails_own_but_for_the_decorator():
    check_link_rules_are_wagtails()


def test_canary_the_link_rules_check_fails_if_wagtail_changes_its_rule(monkeypatch):
    import wagtail.admin.wagtail_hooks

    original = wagtail.admin.wagtail_hooks.PageLinkElementHandler

    class NewPageLinkElementHandler(original):
        pass

    monkeypatch.setattr(wagtail.admin.wagtail_hooks, "PageLinkElementHandler", NewPageLinkElementHandler)
    with pytest.raises(AssertionError):
        check_link_rules_are_wagtails()


def test_the_site_rules_replace_wagtails_in_the_registry():
    assert site_features.get_converter_rule("contentstate", "link") is links.LINK_RULE
    assert site_features.get_converter_rule("contentstate", "document-link") is links.DOCUMENT_LINK_RULE


def contentstate(entity_type: str, data: dict) -> str:
    return json.dumps(
        {
            "blocks": [
                {
                    "key": "a",
                    "type": "unstyled",
                    "text": "a link",
                    "depth": 0,
                    "inlineStyleRanges": [],
                    "entityRanges": [{"offset": 0, "length": 6, "key": 0}],
                    "data": {},
                }
            ],
            "entityMap": {"0": {"type": entity_type, "mutability": "MUTABLE", "data": data}},
        }
    )


@pytest.mark.parametrize(
    ("entity_type", "data", "expected"),
    [
        ("LINK", {"id": "7", "url": "/x/", "linkType": "page"}, '<p data-block-key="a"><a linktype="page" id="7">'),
        ("LINK", {"id": "7x", "url": "/x/", "linkType": "page"}, '<p data-block-key="a">a link</p>'),
        ("LINK", {"url": "https://example.org/"}, '<p data-block-key="a"><a href="https://example.org/">'),
        ("DOCUMENT", {"id": 3}, '<p data-block-key="a"><a linktype="document" id="3">'),
        ("DOCUMENT", {"id": "3;x"}, '<p data-block-key="a">a link</p>'),
    ],
)
def test_wagtail_gives_the_decorators_the_props_they_read(entity_type, data, expected):
    from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter

    html = ContentstateConverter(["link", "document-link"]).to_database_format(contentstate(entity_type, data))
    assert html.startswith(expected)


# --- wagtail: API ----------------------------------------------------------------------------------


def check_api_rich_text_format(rf):
    request = rf.get("/api/v2/pages/", {"rich_text_format": "markdown"})
    request.wagtailapi_router = api_router
    view = PagesAPIViewSet()
    view.request = request
    assert wagtail_compat.api_rich_text_format(view.get_serializer_context()) == "markdown"


def test_api_rich_text_format_is_the_one_wagtails_view_resolved(rf, db):
    check_api_rich_text_format(rf)
    assert wagtail_compat.api_rich_text_format({}) == APIRichText.resolve_format(None)


def test_canary_api_rich_text_format_fails_if_wagtail_renames_its_context_key(rf, db, monkeypatch):
    original = PagesAPIViewSet.get_serializer_context

    def renamed(self):
        context = original(self)
        context["rich_text_format"] = context.pop("_wagtail_rich_text_format")
        return context

    monkeypatch.setattr(PagesAPIViewSet, "get_serializer_context", renamed)
    with pytest.raises(AssertionError):
        check_api_rich_text_format(rf)


def test_api_filter_backends_replaces_wagtails_search_filter_in_place():
    assert PagesAPIViewSet.filter_backends[-1] is SearchFilter  # Wagtail's: the search comes last
    assert PublicPagesAPIViewSet.filter_backends == [*PagesAPIViewSet.filter_backends[:-1], PublicSearchFilter]
    with pytest.raises(LookupError):
        wagtail_compat.api_filter_backends([PagesAPIViewSet.filter_backends[0]], {SearchFilter: PublicSearchFilter})


@pytest.mark.parametrize(
    "name",
    [
        "get_base_queryset",
        "resolve_rich_text_format",
        "check_query_parameters",
        "listing_view",
        "find_object",
        "finalize_response",
    ],
)
def test_the_api_methods_the_site_overrides_keep_wagtails_signature(name):
    def parameters(cls):
        return list(inspect.signature(getattr(cls, name)).parameters)

    assert name in vars(PublicPagesAPIViewSet)
    assert parameters(PublicPagesAPIViewSet) == parameters(PagesAPIViewSet)


def test_wagtails_listing_view_still_does_what_the_sites_copy_does():
    """PublicPagesAPIViewSet.listing_view is Wagtail's, with the filter errors as 400s and the
    relations loaded in bulk: a change to Wagtail's must be carried over."""
    steps = [
        "self.get_queryset()",
        "self.check_query_parameters(queryset)",
        "self.filter_queryset(queryset)",
        "self.paginate_queryset(queryset)",
        "self.get_serializer(queryset, many=True)",
        "self.get_paginated_response(serializer.data)",
    ]
    lines = [line.strip() for line in inspect.getsource(PagesAPIViewSet.listing_view).splitlines()[1:]]
    assert [next(step for step in steps if step in line) for line in lines] == steps


# --- redis ------------------------------------------------------------------------------------------
# Against a local socket that accepts connections and never answers: the handshake is skipped
# (`redis_connect_func` only readies the reply parser), so no Redis server is needed.


@pytest.fixture
def silent_server():
    server = socket.create_server(("127.0.0.1", 0))
    yield server.getsockname()
    server.close()


def no_handshake(connection):
    connection._parser.on_connect(connection)


def silent_connection(address, **kwargs):
    host, port = address
    return redis.connection.Connection(host=host, port=port, redis_connect_func=no_handshake, **kwargs)


def check_is_connected(connection):
    assert not redis_compat.is_connected(connection)
    connection.connect()
    try:
        assert redis_compat.is_connected(connection)
    finally:
        connection.disconnect()
    assert not redis_compat.is_connected(connection)


def test_is_connected_follows_redis_pys_socket(silent_server):
    check_is_connected(silent_connection(silent_server))


def test_canary_is_connected_fails_if_redis_py_keeps_its_socket_elsewhere(silent_server, monkeypatch):
    def connect_check_health(self, check_health=True, retry_socket_connect=True):
        self._socket = getattr(self, "_socket", None) or self._connect()

    monkeypatch.setattr(redis.connection.AbstractConnection, "connect_check_health", connect_check_health)
    connection = silent_connection(silent_server)
    with pytest.raises(AssertionError):
        check_is_connected(connection)
    connection._socket.close()


def check_connect_timeout(address):
    timeouts = []

    class RecordingSocket(socket.socket):
        def settimeout(self, value):
            timeouts.append(value)
            super().settimeout(value)

    connection = silent_connection(address, socket_connect_timeout=7.0, socket_timeout=9.0)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(redis.connection.socket, "socket", RecordingSocket)
        with redis_compat.connect_timeout(connection, 0.25):
            connection.connect()
    connection.disconnect()
    assert connection.socket_connect_timeout == 7.0
    # The timeout set before `sock.connect`, then the socket's own for the answers.
    assert timeouts[:2] == [0.25, 9.0]


def test_connect_timeout_is_the_one_redis_py_connects_with(silent_server):
    check_connect_timeout(silent_server)


def test_canary_connect_timeout_fails_if_redis_py_fixes_the_timeout_at_construction(silent_server, monkeypatch):
    fixed = property(lambda self: self._socket_connect_timeout, lambda self, value: None)
    monkeypatch.setattr(redis.connection.AbstractConnection, "socket_connect_timeout", fixed)
    with pytest.raises(AssertionError):
        check_connect_timeout(silent_server)


def check_read_timeout(address):
    parameters = inspect.signature(redis.connection.Connection.read_response).parameters
    assert parameters["timeout"].kind is inspect.Parameter.KEYWORD_ONLY
    assert redis_compat.read_timeout_is_default({})
    assert redis_compat.read_timeout_is_default({"timeout": parameters["timeout"].default})
    assert not redis_compat.read_timeout_is_default({"timeout": None})
    assert not redis_compat.read_timeout_is_default({"timeout": 0.05})
    # A timeout given is the wait, whatever the socket's own timeout.
    connection = silent_connection(address, socket_timeout=60.0)
    connection.connect()
    started = time.monotonic()
    with pytest.raises(redis.TimeoutError):
        connection.read_response(timeout=0.05)
    assert time.monotonic() - started < 30
    connection.disconnect()
    # No timeout given: the socket's own.
    connection = silent_connection(address, socket_timeout=0.05)
    connection.connect()
    with pytest.raises(redis.TimeoutError):
        connection.read_response()
    connection.disconnect()


def test_read_timeout_is_default_matches_redis_pys_read_response(silent_server):
    check_read_timeout(silent_server)


def test_canary_read_timeout_fails_if_redis_py_changes_the_default(silent_server, monkeypatch):
    original = redis.connection.Connection.read_response

    def read_response(self, disable_decoding=False, *, timeout=None, disconnect_on_error=True, push_request=False):
        return original(self, disable_decoding, timeout=timeout, disconnect_on_error=disconnect_on_error)

    monkeypatch.setattr(redis.connection.Connection, "read_response", read_response)
    with pytest.raises(AssertionError):
        check_read_timeout(silent_server)


def test_the_pool_connects_each_connection_it_hands_out_through_connect(silent_server):
    """GuardedConnection guards `connect`: it must be what the pool calls, and the pool's default
    connection class must be the one GuardedConnectionPool replaces."""
    connected = []

    class Recording(redis.connection.Connection):
        def connect(self):
            connected.append(self)
            super().connect()

    host, port = silent_server
    pool = redis.ConnectionPool(host=host, port=port, connection_class=Recording, redis_connect_func=no_handshake)
    connection = pool.get_connection()
    assert connected == [connection]
    pool.disconnect()
    default = inspect.signature(redis.ConnectionPool.__init__).parameters["connection_class"].default
    assert default is redis.connection.Connection
    assert GuardedConnectionPool(host=host, port=port).connection_class is GuardedConnection


def test_redis_connection_keeps_the_internals_the_guarded_connection_reads():
    connection = redis.connection.Connection()
    assert connection._sock is None
    parameters = inspect.signature(redis.connection.Connection.read_response).parameters
    assert parameters["timeout"].default is redis.connection.SENTINEL
    assert list(inspect.signature(redis.connection.Connection.send_packed_command).parameters) == [
        "self",
        "command",
        "check_health",
    ]


# --- Wagtail's database search backend (django-modelsearch; site_core/search_backend.py) ------------


def check_search_config_reaches_index_and_query():
    """A backend copied by with_search_config indexes (ObjectIndexer) and queries (get_config) with
    the copy's configuration, and leaves the original's alone."""
    from modelsearch.backends.database.postgres.postgres import (
        ObjectIndexer,
        PostgresSearchBackend,
        PostgresSearchQueryCompiler,
    )
    from wagtail.models import Page

    backend = PostgresSearchBackend({"SEARCH_CONFIG": "english"})
    french = wagtail_compat.with_search_config(backend, "french")
    assert ObjectIndexer(Page(title="Transports"), french).config == "french"
    assert PostgresSearchQueryCompiler(Page.objects.all(), "transport").get_config(french) == "french"
    assert ObjectIndexer(Page(title="Transit"), backend).config == "english"


def test_with_search_config_sets_what_the_index_and_the_queries_read(db):
    check_search_config_reaches_index_and_query()


def test_canary_search_config_check_fails_if_the_indexer_reads_the_config_elsewhere(db, monkeypatch):
    from modelsearch.backends.database.postgres import postgres

    original = postgres.ObjectIndexer.__init__

    def reads_params(self, obj, backend):
        original(self, obj, backend)
        self.config = "english"  # e.g. from the backend's settings rather than its attribute

    monkeypatch.setattr(postgres.ObjectIndexer, "__init__", reads_params)
    with pytest.raises(AssertionError):
        check_search_config_reaches_index_and_query()


def check_tsquery_in_any_config():
    from django.contrib.postgres.search import CombinedSearchQuery
    from modelsearch.backends.database.postgres.postgres import PostgresSearchQueryCompiler
    from modelsearch.query import PlainText
    from wagtail.models import Page

    compiler = PostgresSearchQueryCompiler(Page.objects.all(), "transport")
    joined = wagtail_compat.tsquery_in_any_config(compiler.build_tsquery, PlainText("transport"), ("english", "french"))
    assert isinstance(joined, CombinedSearchQuery) and joined.connector == "||"
    assert [str(part.config.config.value) for part in (joined.lhs, joined.rhs)] == ["english", "french"]


def test_tsquery_in_any_config_joins_one_tsquery_per_configuration():
    check_tsquery_in_any_config()


def test_canary_tsquery_check_fails_if_the_compiler_ignores_the_config(monkeypatch):
    from modelsearch.backends.database.postgres.postgres import PostgresSearchQueryCompiler

    original = PostgresSearchQueryCompiler.build_tsquery
    monkeypatch.setattr(
        PostgresSearchQueryCompiler, "build_tsquery", lambda self, query, config=None: original(self, query)
    )
    with pytest.raises(AttributeError):
        check_tsquery_in_any_config()


def test_sqlite_prefix_query_makes_each_word_a_prefix_in_fts5_syntax():
    from django.db import connection
    from modelsearch.query import PlainText
    from wagtail.models import Page

    if connection.vendor != "sqlite":
        pytest.skip("the SQLite backend's query classes need its FTS5 model")
    compiler = Page.objects.all().query.get_compiler(connection=connection)
    stem = {"transports": "transport", "de": ""}.get
    for operator, expected in [("and", '"transport"* AND "de"'), ("or", '"transport"* OR "de"')]:
        expression = wagtail_compat.sqlite_prefix_query(PlainText("transports de", operator=operator), stem)
        assert compiler.compile(expression.value) == ("%s", [expected])


# --- wagtail: routing (site_core/routing.py) --------------------------------------------------------


def check_remembered_site_and_route(rf, site_tree):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from wagtail.models import Page, Site
    from wagtail.url_routing import RouteResult

    request = rf.get("/en/news/")
    route = RouteResult(site_tree.news_index)
    wagtail_compat.remember_site_for_request(request, site_tree.site)
    wagtail_compat.remember_route_for_request(request, route)
    with CaptureQueriesContext(connection) as queries:
        assert Site.find_for_request(request) is site_tree.site
        assert Page.route_for_request(request, "news/") is route
        assert Page.find_for_request(request, "news/") is site_tree.news_index
    assert len(queries) == 0
    missing = rf.get("/en/nowhere/")
    wagtail_compat.remember_route_for_request(missing, None)
    assert Page.route_for_request(missing, "nowhere/") is None


def test_wagtail_reads_back_the_site_and_the_route_remembered_on_the_request(rf, site_tree):
    check_remembered_site_and_route(rf, site_tree)


def test_canary_remembered_route_check_fails_if_wagtail_routes_again(rf, site_tree, monkeypatch):
    from wagtail.models import Page

    original = Page.route_for_request

    def forgetful(request, path):
        if hasattr(request, "_wagtail_route_for_request"):
            delattr(request, "_wagtail_route_for_request")
        return original(request, path)

    monkeypatch.setattr(Page, "route_for_request", staticmethod(forgetful))
    with pytest.raises(AssertionError):
        check_remembered_site_and_route(rf, site_tree)


@pytest.mark.django_db
def test_commit_callback_pending_follows_what_django_will_run_at_commit():
    from django.db import connection, transaction

    from site_core.compat.django import commit_callback_pending

    def kept():
        pass

    def dropped():
        pass

    with transaction.atomic():
        transaction.on_commit(kept)
        try:
            with transaction.atomic():
                transaction.on_commit(dropped)
                assert commit_callback_pending(connection, dropped)
                raise RuntimeError("roll the savepoint back")
        except RuntimeError:
            pass
        assert commit_callback_pending(connection, kept)
        assert not commit_callback_pending(connection, dropped)
