"""The schema.org Dataset that describes the challenges' open data on its page, for search engines'
dataset search. A pure function; the page writes it with {% ld_json %}."""

import datetime

from challenges.open_data.dictionary import COLUMN_NAMES, toronto_iso


def dataset_data(
    *,
    name: str,
    description: str,
    url: str,
    language: str,
    licence_url: str,
    publisher: str,
    modified: datetime.datetime | None,
    csv_url: str,
    json_url: str,
) -> dict:
    """schema.org Dataset describing the download, for search engines' dataset search."""
    data = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": name,
        "description": description,
        "url": url,
        "inLanguage": language,
        "license": licence_url,
        "isAccessibleForFree": True,
        "creator": {"@type": "GovernmentOrganization", "name": publisher},
        "variableMeasured": COLUMN_NAMES,
        "distribution": [
            {"@type": "DataDownload", "encodingFormat": "text/csv", "contentUrl": csv_url},
            {"@type": "DataDownload", "encodingFormat": "application/json", "contentUrl": json_url},
        ],
    }
    if modified:
        data["dateModified"] = toronto_iso(modified)
    return data
