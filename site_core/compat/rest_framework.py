"""Django REST framework internals the site relies on (DRF 3.18)."""


def django_request(request):
    """The Django `HttpRequest` a DRF `Request` wraps, kept in DRF's private `request._request`:
    what the site sets for the middleware (e.g. `urlconf`) must be set on it, since attributes set
    on DRF's `Request` stay on the wrapper."""
    return request._request


def set_query_param(request, name: str, value: str) -> None:
    """Change one parameter of a DRF request's query string for the code that reads it next.

    DRF's `Request.query_params` and the attributes it proxies (`request.GET`) both read the
    wrapped Django request's `GET` (`request._request.GET`); DRF offers no way to change it, so
    that QueryDict is replaced with a copy holding `name=value`."""
    wrapped = django_request(request)
    query = wrapped.GET.copy()
    query[name] = value
    wrapped.GET = query
