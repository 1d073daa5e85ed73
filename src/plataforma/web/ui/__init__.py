"""The web UI: server-rendered pages (Jinja2 + HTMX) under ``/ui``, Spanish first.

Pages call the same domain services as the API (records, search, audit), so the policy and
the audit trail are identical whichever door a user comes through. Every asset is served
from ``static/`` (vendored with its licence); nothing is fetched from the internet.
"""

from plataforma.web.ui.install import install_ui

__all__ = ["install_ui"]
