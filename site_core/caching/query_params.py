"""The query strings of cached pages (site_core/caching/page_cache.py).

An entry is keyed on the parameters its page actually reads. While a page renders, `request.GET`
records which parameters the view, its templates and tags asked for (ReadTracking); the entry is stored
under the URL with only those parameters, and the names are remembered for the path. A request
carrying parameters no view reads (`?utm_source=...`, `?fbclid=...`, a random one) is then answered
from the same entry as the plain URL, instead of a render and a new entry each. Code that reads the
whole query string (iterating `request.GET`, `get_full_path()`) keeps every parameter in the key, so
the reduction can only ever merge requests that get the same page.
"""

from urllib.parse import parse_qsl, urlencode

from django.http import QueryDict

from site_core.compat import django as django_compat

MAX_QUERY_LENGTH = 200
MAX_QUERY_PARAMETERS = 6
# A longer query is not stored as it is, but may still be answered from the entry of the parameters
# its page reads; past this length it is not even looked at.
MAX_REDUCIBLE_QUERY_LENGTH = 2000


def normalised_query(query_string: str) -> str | None:
    """The query string with its parameters in name order (values keep their order within a name),
    or None when it is too long or has too many parameters to be worth a cache entry."""
    if not query_string:
        return ""
    if len(query_string) > MAX_QUERY_LENGTH:
        return None
    pairs = parse_qsl(query_string, keep_blank_values=True)
    if len(pairs) > MAX_QUERY_PARAMETERS:
        return None
    return urlencode(sorted(pairs, key=lambda pair: pair[0]))


def reduced_query(query_string: str, names) -> str | None:
    """The query string with only the parameters in `names`, normalised; None when what is left is
    still too long or has too many parameters for an entry of its own."""
    if len(query_string) > MAX_REDUCIBLE_QUERY_LENGTH:
        return None
    pairs = [pair for pair in parse_qsl(query_string, keep_blank_values=True) if pair[0] in names]
    return normalised_query(urlencode(pairs))


class ReadTracking(QueryDict):
    """`request.GET` that remembers which parameters were read: by name (`get`, `[]`, `in`,
    `getlist`), or all of them (iterating, `urlencode`, `copy`, `len`, truthiness...)."""

    def __init__(self, query_string=None, mutable=False, encoding=None):
        self.names_read: set[str] = set()
        self.read_all = False
        super().__init__(query_string, mutable=mutable, encoding=encoding)
        self.names_read.clear()  # filling itself (QueryDict's own reads) is not the page reading

    def __getitem__(self, key):
        self.names_read.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self.names_read.add(key)
        return super().__contains__(key)

    def get(self, key, default=None):
        self.names_read.add(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        self.names_read.add(key)
        return super().getlist(key, default)

    def mark_all_read(self) -> None:
        """Count the whole query string as read (it was read without `GET`)."""
        self.read_all = True

    def _everything(self, method, *args, **kwargs):
        self.read_all = True
        return getattr(super(), method)(*args, **kwargs)

    def __iter__(self):
        return self._everything("__iter__")

    def __len__(self):
        return self._everything("__len__")

    def keys(self):
        return self._everything("keys")

    def items(self):
        return self._everything("items")

    def values(self):
        return self._everything("values")

    def lists(self):
        return self._everything("lists")

    def dict(self):
        return self._everything("dict")

    def urlencode(self, safe=None):
        return self._everything("urlencode", safe)

    def copy(self):
        self.read_all = True
        return QueryDict(super().urlencode(), mutable=True, encoding=self.encoding)

    def __copy__(self):
        return self.copy()

    def __deepcopy__(self, memo):
        return self.copy()


def track_reads(request) -> ReadTracking:
    """Give the request a recording `GET`, and count reading the whole query string another way
    (the full path, an absolute URI of the request itself) as reading every parameter. How this
    reaches into Django's request is site_core/compat/django.py's."""
    tracked = ReadTracking(request.META.get("QUERY_STRING", ""), encoding=request.encoding)
    django_compat.replace_query_dict(request, tracked)
    django_compat.on_whole_query_read(request, tracked.mark_all_read)
    return tracked
