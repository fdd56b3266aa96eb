"""The web sources: one pure module per API (see base.py), a registry, and what each one needs.

Keyless policy: OpenAlex without a key is still attempted (usable, with a warning) because tests,
mirrors and local servers need no key and openalex.org may still answer some keyless calls; its
refusal is then recorded per work like any other error. Altmetric without a key is not attempted
at all: every call would be refused, so its works are `skipped` with the reason instead.
"""

from __future__ import annotations

from typing import Any

from lib.settings import DEFAULT_BASE_URLS, Settings
from lib.sources import altmetric, crossref, europepmc, icite, openalex, semanticscholar, wikipedia
from lib.sources.base import ApiRequest, SourceModule, WorkIds, WorkResult
from lib.vocabulary import SOURCES

SOURCE_MODULES: dict[str, SourceModule] = {
    module.NAME: module
    for module in (openalex, icite, crossref, europepmc, semanticscholar, altmetric, wikipedia)
}

__all__ = [
    "SOURCE_MODULES",
    "ApiRequest",
    "SourceModule",
    "WorkIds",
    "WorkResult",
    "source_readiness",
]


def _reason(name: str, settings: Settings) -> tuple[bool, str]:
    """Whether a source will be asked, and the caveat to show beside it."""
    has_key = bool(settings.key_for(name))
    if name == "openalex":
        if has_key:
            return True, "OpenAlex: API key set"
        return True, "OpenAlex: no API key; required since 13 Feb 2026 — requests may be refused"
    if name == "altmetric":
        return (True, "Altmetric: API key set") if has_key else (False, "Altmetric: no API key")
    if name == "semanticscholar":
        if has_key:
            return True, "Semantic Scholar: API key set"
        return True, "Semantic Scholar: no key, shared keyless pool"
    if name == "crossref":
        if settings.mailto:
            return True, "Crossref: polite pool (contact address set)"
        return True, "Crossref: no contact address (TRIANGULATE_MAILTO); polite pool unavailable"
    if name == "icite":
        return True, "NIH iCite: keyless; only works with a PMID can be looked up"
    if name == "wikipedia":
        text = "Wikipedia: keyless; counts English Wikipedia articles linking the DOI"
        if not settings.mailto:
            # Wikimedia refuses (403) user agents without contact information (apis.md §12.1)
            text += "; set TRIANGULATE_MAILTO, Wikimedia may refuse clients without a contact"
        return True, text
    return True, f"{SOURCES[name].label}: keyless"


def source_readiness(settings: Settings) -> list[dict[str, Any]]:
    """One row per enrichment source: name, label, usable, reason, base_url, base_url_overridden."""
    rows = []
    for name in SOURCE_MODULES:
        usable, reason = _reason(name, settings)
        base_url = settings.base_urls.get(name, DEFAULT_BASE_URLS.get(name, ""))
        overridden = base_url.rstrip("/") != DEFAULT_BASE_URLS.get(name, "").rstrip("/")
        rows.append(
            {
                "name": name,
                "label": SOURCES[name].label,
                "usable": usable,
                "reason": reason + (f" (base URL overridden: {base_url})" if overridden else ""),
                "base_url": base_url,
                "base_url_overridden": overridden,
            }
        )
    return rows
