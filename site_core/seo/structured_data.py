"""schema.org data every part of the site shares: the office as an Organization, the WebSite with
its search, and a BreadcrumbList. Pure functions of plain values, so the content apps can nest the
organisation in their own data (a release's publisher, an info session's organiser) and tests can
check them without a page; `{% ld_json %}` writes them out."""

SCHEMA_CONTEXT = "https://schema.org"
SEARCH_TERM = "search_term_string"


def with_context(data: dict) -> dict:
    """`data` as a top-level JSON-LD object (nested objects do without the @context)."""
    return {"@context": SCHEMA_CONTEXT, **data}


def organization(
    *,
    name: str,
    url: str,
    parent_name: str = "",
    address: str = "",
    email: str = "",
    same_as: list[str] | None = None,
) -> dict:
    """The office. Its postal address is kept as the editors wrote it (one text, lines joined)."""
    data = {"@type": "Organization", "name": name, "url": url}
    if parent_name:
        data["parentOrganization"] = {"@type": "Organization", "name": parent_name}
    lines = [line.strip() for line in (address or "").splitlines() if line.strip()]
    if lines:
        data["address"] = ", ".join(lines)
    if email:
        data["email"] = email
    if same_as:
        data["sameAs"] = list(same_as)
    return data


def search_target(search_url: str) -> str:
    """The URL template of a SearchAction: the search page with the query as `q`."""
    return f"{search_url}?q={{{SEARCH_TERM}}}"


def website(*, name: str, url: str, language: str, publisher: dict, search_url: str | None = None) -> dict:
    """The site in one language; with `search_url`, the SearchAction that lets search engines
    send a query straight to the site's search page."""
    data = {"@type": "WebSite", "name": name, "url": url, "inLanguage": language, "publisher": publisher}
    if search_url:
        data["potentialAction"] = {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": search_target(search_url)},
            "query-input": f"required name={SEARCH_TERM}",
        }
    return data


def breadcrumb_list(items: list[dict]) -> dict | None:
    """A BreadcrumbList of {"title", "url"} items (absolute URLs), in order from the home page; None
    when there is nothing to list."""
    if not items:
        return None
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": item["title"], "item": item["url"]}
            for position, item in enumerate(items, start=1)
        ],
    }


def image_object(url: str, width: int, height: int, caption: str = "") -> dict:
    data = {"@type": "ImageObject", "url": url, "width": width, "height": height}
    if caption:
        data["caption"] = caption
    return data
