"""The site's search backend: Wagtail's database backend (django-modelsearch) with each language's own
text-search configuration. `WAGTAILSEARCH_BACKENDS["default"]` names this module, with
`SEARCH_CONFIG` (the configuration of English and of anything without a language) and
`LANGUAGE_CONFIGS` (language code -> configuration, e.g. {"fr": "french"}).

On PostgreSQL a page is indexed with the configuration of its locale's language (a French page's
"transports" is stored as the French stem "transport", "nationaux" as "national"), and
`search_backend(language)` queries with that language's configuration, so French search matches
French inflections and English search keeps English stemming only. A search that does not say its
language (the API's `?search=`, the admin) matches a word's stems in every configuration.

SQLite's FTS5 index has no stemmer for French (nor English): a French search looks for each word as
the start of a word, after dropping its plural ending (site_core.text.plain.french_prefix), so
"transport" and "transports" both find "transports". What SQLite cannot do: verb forms, irregular
plurals ("oeil"/"yeux"), and a prefix can find longer words ("port" finds "portail")."""

from collections import defaultdict
from functools import cache

from django.db import connection
from modelsearch.backends import get_search_backend
from modelsearch.backends.database import SearchBackend as database_backend

from site_core.compat import wagtail as wagtail_compat
from site_core.text.plain import french_prefix


class LanguageConfigs:
    """What the site's backends add to django-modelsearch's: the configuration of each language, and
    `for_language(code)`, the same backend querying in that language."""

    language = ""  # "" until for_language(): a search in no particular language

    def __init__(self, params):
        super().__init__(params)
        self.default_config = params.get("SEARCH_CONFIG")
        self.language_configs = dict(params.get("LANGUAGE_CONFIGS") or {})

    def config_for(self, language_code: str):
        return self.language_configs.get(language_code, self.default_config)

    def all_configs(self) -> list:
        return list(dict.fromkeys([self.default_config, *self.language_configs.values()]))

    def for_language(self, language_code: str):
        backend = wagtail_compat.with_search_config(self, self.config_for(language_code))
        backend.language = language_code
        return backend


def object_languages(objs) -> dict[int, str]:
    """Locale id -> language code for the locales of `objs` (pages, translatable snippets), in one
    query; objects without a locale are absent."""
    from wagtail.models import Locale

    ids = {obj.locale_id for obj in objs if getattr(obj, "locale_id", None)}
    return dict(Locale.objects.filter(pk__in=ids).values_list("pk", "language_code")) if ids else {}


# The classes subclass django-modelsearch's PostgreSQL or SQLite backend, whichever the database is:
# each module needs its database's models, so only one can be imported.


@cache
def postgres_backend_class():
    from modelsearch.backends.database.postgres.postgres import (
        PostgresIndex,
        PostgresSearchBackend,
        PostgresSearchQueryCompiler,
    )

    class LanguageIndex(PostgresIndex):
        """Wagtail's PostgreSQL index, storing each object's words with its language's configuration."""

        def add_items(self, model, objs):
            languages = object_languages(objs)
            groups = defaultdict(list)
            for obj in objs:
                groups[self.backend.config_for(languages.get(getattr(obj, "locale_id", None), ""))].append(obj)
            for config, group in groups.items():
                PostgresIndex(wagtail_compat.with_search_config(self.backend, config)).add_items(model, group)

    class AnyLanguageQueryCompiler(PostgresSearchQueryCompiler):
        """A search in no particular language: a word matches by its stem in any configuration."""

        def get_config(self, backend):
            return backend.config if backend.language else tuple(backend.all_configs())

        def build_tsquery(self, query, config=None):
            if isinstance(config, tuple):
                return wagtail_compat.tsquery_in_any_config(super().build_tsquery, query, config)
            return super().build_tsquery(query, config=config)

    class PostgresLanguageBackend(LanguageConfigs, PostgresSearchBackend):
        index_class = LanguageIndex
        query_compiler_class = AnyLanguageQueryCompiler

        def __init__(self, params):
            super().__init__(params)
            self.config = self.default_config

    return PostgresLanguageBackend


@cache
def sqlite_backend_class():
    from modelsearch.backends.database.sqlite.sqlite import SQLiteSearchBackend, SQLiteSearchQueryCompiler
    from modelsearch.query import PlainText

    class FrenchSQLiteQueryCompiler(SQLiteSearchQueryCompiler):
        """French on SQLite: each word is looked for as the start of a word, without its plural ending."""

        def build_search_query_content(self, query, config=None):
            if isinstance(query, PlainText):
                return wagtail_compat.sqlite_prefix_query(query, french_prefix)
            return super().build_search_query_content(query, config=config)

    # The languages SQLite searches by word starts (the others match whole words, as FTS5 does).
    compilers = {"fr": FrenchSQLiteQueryCompiler}

    class SQLiteLanguageBackend(LanguageConfigs, SQLiteSearchBackend):
        def for_language(self, language_code: str):
            backend = super().for_language(language_code)
            backend.config = None  # FTS5 has no configurations; modelsearch passes None
            backend.query_compiler_class = compilers.get(language_code, SQLiteSearchQueryCompiler)
            return backend

    return SQLiteLanguageBackend


def SearchBackend(params):  # the name Wagtail's backend loader looks for
    """The backend for the database in use, as django-modelsearch's `SearchBackend` picks it."""
    if connection.vendor == "postgresql":
        return postgres_backend_class()(params)
    backend = database_backend(params)
    if type(backend).__name__ == "SQLiteSearchBackend":  # FTS5 is there (else the plain fallback)
        return sqlite_backend_class()(params)
    return backend  # MySQL or the plain fallback: one configuration for every language


def search_backend(language_code: str):
    """The default search backend, searching in `language_code` (a backend without languages as it is)."""
    backend = get_search_backend()
    return backend.for_language(language_code) if hasattr(backend, "for_language") else backend
