"""The demo site, built by `manage.py load_demo_content` (idempotent: it completes what is missing).

- `site.py`: locales, the shared snippets, site settings, office details and generated images;
- `challenges.py`, `news.py` (newsroom and partner cities), `jobs.py`: each section's demo pages;
- `applicants.py`: applications in every review state and a saved draft (no email queued);
- `panels.py`: a review panel of three reviewers with their conflict declarations; `reviews.py`: the
  call that panel reviews (closed, under review), its score sheets and shortlist, and the release of
  the decided call's decisions;
- `alerts.py`: email alert subscribers (confirmed in both languages, one waiting for confirmation, one
  suppressed, one unsubscribed), made through the real subscribe flow, with no email queued;
- `home.py`: the home page and the composition of the rest, in order.

Each module's French is in the `<module>_fr.po` beside it (msgid: an English segment as wagtail-localize
exports it). Development and test settings only: nothing the site runs in production imports this.
"""
