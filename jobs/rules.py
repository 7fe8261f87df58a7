"""Rules of a job posting: open or closed, and its schema.org JobPosting data."""

import datetime

EMPLOYMENT_TYPES = {  # ours -> schema.org employmentType
    "full-time": "FULL_TIME",
    "part-time": "PART_TIME",
    "contract": "CONTRACTOR",
    "temporary": "TEMPORARY",
}
SALARY_UNITS = {"hour": "HOUR", "year": "YEAR"}


def is_open(closes_at: datetime.datetime, now: datetime.datetime) -> bool:
    """A posting takes applications until its closing time; at that instant it has closed."""
    return now < closes_at


def job_posting_data(posting, url: str, organisation: dict) -> dict:
    """schema.org JobPosting for search engines (Google's required and recommended properties),
    without @context: `JobPostingPage.get_structured_data` gives it to `{% page_structured_data %}`,
    which writes every page's JSON-LD the same way. `organisation` is the hiring organisation's
    name and sameAs."""
    address = {
        "@type": "PostalAddress",
        "streetAddress": posting.street_address,
        "addressLocality": posting.locality,
        "addressRegion": posting.region,
        "postalCode": posting.postal_code,
        "addressCountry": posting.country,
    }
    data = {
        "@type": "JobPosting",
        "title": posting.title,
        "description": posting.description_html(),
        "identifier": {"@type": "PropertyValue", "name": organisation["name"], "value": posting.job_id},
        "datePosted": posting.posting_date.isoformat(),
        "validThrough": posting.closes_at.isoformat(),
        "employmentType": EMPLOYMENT_TYPES[posting.employment_type],
        "hiringOrganization": {"@type": "Organization", **organisation},
        "jobLocation": {"@type": "Place", "address": address},
        "totalJobOpenings": posting.positions,
        "directApply": False,
        "url": url,
    }
    if posting.salary_min is not None:
        value = {"@type": "QuantitativeValue", "unitText": SALARY_UNITS[posting.salary_period]}
        if posting.salary_max is not None and posting.salary_max != posting.salary_min:
            value.update(minValue=float(posting.salary_min), maxValue=float(posting.salary_max))
        else:
            value["value"] = float(posting.salary_min)
        data["baseSalary"] = {"@type": "MonetaryAmount", "currency": "CAD", "value": value}
    if posting.work_arrangement == "remote":
        data["jobLocationType"] = "TELECOMMUTE"
        data["applicantLocationRequirements"] = {"@type": "State", "name": "Ontario"}
    return data
