"""ORCID public API: a person's works, for building a portfolio (not an enrichment source).

Each `group` of `/{orcid}/works` is one de-duplicated work. Identifiers are taken from the
group's external ids whose relationship is `self` only: a `part-of` ISSN or DOI belongs to the
journal or book, not to the work.
"""

from __future__ import annotations

import re
from typing import Any

import polars as pl

from lib.settings import Settings
from lib.sources._common import (
    ResponseError,
    bare_doi,
    decode_json,
    dig,
    digits_pmid,
    pmc_id,
    request_to,
    year_of,
)
from lib.sources.base import ApiRequest

NAME = "orcid"
_ORCID = re.compile(r"(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$", re.IGNORECASE)

SCHEMA = {
    "doi": pl.String,
    "pmid": pl.String,
    "pmcid": pl.String,
    "title": pl.String,
    "year": pl.Int32,
    "journal": pl.String,
    "type": pl.String,
}


def bare_orcid(text: str) -> str:
    """ "0000-0002-0766-7305" from any ORCID spelling; ValueError when it is not one."""
    match = _ORCID.search(str(text).strip().rstrip("/"))
    if match is None:
        raise ValueError(f"not an ORCID iD: {text!r}")
    return match.group(1).upper()


def build_works_request(orcid: str, settings: Settings) -> ApiRequest:
    """GET /{orcid}/works as JSON."""
    path = f"/{bare_orcid(orcid)}/works"
    return request_to(settings, NAME, path, headers=(("Accept", "application/json"),))


def _groups(value: Any) -> list[dict] | None:
    """The `group` list of a works response (or a bare group array)."""
    groups = value.get("group") if isinstance(value, dict) else value
    return [g for g in groups if isinstance(g, dict)] if isinstance(groups, list) else None


def _self_ids(group: dict) -> dict[str, str]:
    """First DOI / PMID / PMCID among the group's `self` external ids."""
    found: dict[str, str] = {}
    readers = {"doi": bare_doi, "pmid": digits_pmid, "pmc": pmc_id}
    for ext in dig(group, "external-ids", "external-id") or []:
        kind = str(dig(ext, "external-id-type") or "").lower()
        if dig(ext, "external-id-relationship") != "self" or kind not in readers:
            continue
        raw = dig(ext, "external-id-normalized", "value") or dig(ext, "external-id-value")
        value = readers[kind](raw)
        column = "pmcid" if kind == "pmc" else kind
        if value and column not in found:
            found[column] = value
    return found


def _row(group: dict) -> dict[str, Any]:
    summary = dig(group, "work-summary", 0) or {}
    return {
        **dict.fromkeys(SCHEMA),
        **_self_ids(group),
        "title": dig(summary, "title", "title", "value"),
        "year": year_of(dig(summary, "publication-date", "year", "value")),
        "journal": dig(summary, "journal-title", "value"),
        "type": summary.get("type"),
    }


def parse_works(body: str) -> pl.DataFrame:
    """One row per work group: doi, pmid, pmcid, title, year, journal, type (null when unknown)."""
    value, problem = decode_json(body)
    groups = _groups(value) if problem is None else None
    if groups is None:
        raise ResponseError(problem or "unexpected ORCID works response (no `group` list)")
    return pl.DataFrame([_row(g) for g in groups], schema=SCHEMA)
