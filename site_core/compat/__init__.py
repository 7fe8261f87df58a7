"""Every place the site relies on a library's private or undocumented internals, one module per
library (`django.py`, `django_csp.py`, `rest_framework.py`, `wagtail.py`, ...). Each function says
which internal it uses and why; tests/site_core/test_compat.py runs each one against the installed
library, so an upgrade that changes an internal fails a test instead of the site. Nothing here
imports a content app."""
