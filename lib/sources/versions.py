"""Preprint <-> published links from the sources' own metadata (pure).

Each function takes one record as the source returned it and gives the links it asserts, as
`{"published": key, "preprint": key, "relation": ..., "evidence": ...}` with canonical work keys
(lib.ids), so the store can keep them as rows and the preprint can be fetched as its own work.

- Crossref `relation`: `has-preprint` on the journal article, `is-preprint-of` on the preprint
  (deposited by publishers and preprint servers; `id-type` doi).
- OpenAlex: a location of the work whose `version` is `submittedVersion` and whose landing page
  is a DOI other than the work's own (e.g. a medRxiv or Research Square copy).
- Europe PMC: a preprint record's `commentCorrectionList` entry of type "Preprint of" (the journal
  version, by PMID). Europe PMC makes these by title and first-author match, so the evidence says
  so. Only `resultType=core` answers carry the list; lite answers simply give no link.
"""

from __future__ import annotations

from typing import Any

from lib.ids import parse_identifier
from lib.ids.parse import Identifier

Link = dict[str, str]


def _key(text: object, scheme: str | None = None) -> str | None:
    if not isinstance(text, str) or not text.strip():
        return None
    parsed = parse_identifier(text, expect=scheme)  # type: ignore[arg-type]
    return parsed.key if isinstance(parsed, Identifier) else None


def _link(published: str | None, preprint: str | None, relation: str, evidence: str) -> Link | None:
    if not published or not preprint or published == preprint:
        return None
    return {
        "published": published,
        "preprint": preprint,
        "relation": relation,
        "evidence": evidence,
    }


def crossref_versions(own_key: str, item: dict[str, Any]) -> list[Link]:
    """Links a Crossref work record asserts in its `relation` object."""
    relation = item.get("relation")
    if not isinstance(relation, dict):
        return []
    links: list[Link | None] = []
    for name, as_published in (("has-preprint", True), ("is-preprint-of", False)):
        entries = relation.get(name)
        for entry in entries if isinstance(entries, list) else []:
            if not isinstance(entry, dict) or str(entry.get("id-type", "doi")).lower() != "doi":
                continue
            other = _key(entry.get("id"), "doi")
            evidence = f"Crossref relation {name} (asserted by {entry.get('asserted-by') or '?'})"
            pair = (own_key, other) if as_published else (other, own_key)
            links.append(_link(pair[0], pair[1], name, evidence))
    return [link for link in links if link]


def openalex_versions(own_key: str, work: dict[str, Any]) -> list[Link]:
    """Submitted-version locations of an OpenAlex work that carry another DOI."""
    locations = work.get("locations")
    links: list[Link | None] = []
    for location in locations if isinstance(locations, list) else []:
        if not isinstance(location, dict) or location.get("version") != "submittedVersion":
            continue
        other = _key(location.get("landing_page_url"), "doi")
        source = location.get("source") if isinstance(location.get("source"), dict) else {}
        name = (source or {}).get("display_name") or "a repository"
        links.append(
            _link(own_key, other, "has-preprint", f"OpenAlex location: submitted version at {name}")
        )
    return [link for link in links if link]


def europepmc_versions(own_key: str, record: dict[str, Any]) -> list[Link]:
    """A Europe PMC preprint record's "Preprint of" link to its journal version (by PMID)."""
    corrections = (record.get("commentCorrectionList") or {}).get("commentCorrection")
    links: list[Link | None] = []
    for entry in corrections if isinstance(corrections, list) else []:
        if not isinstance(entry, dict) or str(entry.get("type", "")).lower() != "preprint of":
            continue
        if str(entry.get("source", "")).upper() != "MED":
            continue
        published = _key(f"PMID:{entry.get('id')}", "pmid")
        links.append(
            _link(
                published,
                own_key,
                "is-preprint-of",
                "Europe PMC 'Preprint of' (Europe PMC links by title and first author)",
            )
        )
    return [link for link in links if link]
