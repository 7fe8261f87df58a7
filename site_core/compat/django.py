"""Django internals the site relies on (Django 5.2)."""


def judge_404_against(request, urlconf: str) -> None:
    """Have the middleware judge this request's 404 against `urlconf`, a URLconf without language
    prefixes, so that the 404 stays a 404.

    Relies on `LocaleMiddleware.process_response` (and `CommonMiddleware`'s APPEND_SLASH check)
    reading `request.urlconf` when they decide to redirect a 404: for a path outside the language
    prefixes, LocaleMiddleware redirects to the same path under /en/ whenever that path resolves
    against the request's URLconf, and Wagtail's catch-all pattern resolves every path. A view that
    sets `request.urlconf` after URL resolution only changes what those response-phase checks see.
    """
    request.urlconf = urlconf


def replace_query_dict(request, query) -> None:
    """Make `query` the request's `GET` for everything that reads it after this call.

    Relies on `request.GET` being a plain attribute that can be replaced: `HttpRequest.__init__`
    sets it, and `WSGIRequest`/`ASGIRequest` make it a `cached_property`, which an attribute of the
    instance overrides. Django's own setter of `request.encoding` deletes it (the next read builds a
    new QueryDict from `META["QUERY_STRING"]`), so it must not be set afterwards."""
    request.GET = query


def on_whole_query_read(request, read_all) -> None:
    """Call `read_all()` whenever this request's whole query string is read without `request.GET`:
    `get_full_path()`, `get_full_path_info()`, and `build_absolute_uri()` of the request itself
    (a `location` given is joined to the path alone, never to the request's query string).

    Relies on those methods being the ones that read the query string straight from
    `request.META["QUERY_STRING"]` (`HttpRequest._get_full_path`), so that a recording `GET` does not
    see them, and on `HttpRequest` having no `__slots__`: the wrappers are attributes of the
    instance, found before the class's methods by every caller (`build_absolute_uri()` itself calls
    `self.get_full_path()`; it is wrapped too in case it stops doing so)."""
    for method in ("get_full_path", "get_full_path_info"):
        original = getattr(request, method)

        def whole(*args, _original=original, **kwargs):
            read_all()
            return _original(*args, **kwargs)

        setattr(request, method, whole)
    original_absolute = request.build_absolute_uri

    def absolute(location=None):
        if location is None:
            read_all()
        return original_absolute(location)

    request.build_absolute_uri = absolute


def commit_callback_pending(connection, callback) -> bool:
    """Whether `callback`, given to `transaction.on_commit`, will still run when the transaction
    commits: a rollback of the transaction, or of the savepoint it was registered in, drops it.

    Relies on `BaseDatabaseWrapper.run_on_commit`, the list of `(savepoint ids, callback, robust)`
    that `on_commit` appends to and that rollbacks prune (Django 5.2; the same shape since 4.2, which
    added `robust`). tests/site_core/test_compat.py checks it."""
    return any(func is callback for _sids, func, _robust in connection.run_on_commit)
