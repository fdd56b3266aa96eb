"""ORCID works JSON (`/v3.0/{orcid}/works`): one row per work group, `self` external ids only.

Accepts the full response (`{"group": [...]}`) or the bare group array. External ids with
relationship `part-of` or `version-of` name another work (the journal's ISSN, a preprint), so they
are not this work's identifiers.
"""

from __future__ import annotations

import json

import polars as pl

from lib.readers.limits import UploadRejected
from lib.readers.result import ReadResult, finish, year_expr

ORCID_FIELDS = (
    "put-code",
    "title",
    "year",
    "journal",
    "type",
    "doi",
    "pmid",
    "pmc",
    "arxiv",
    "other-id",
)
_SCHEMES = {"doi": "doi", "pmid": "pmid", "pmc": "pmc", "arxiv": "arxiv"}


def _value(node: object, *path: str) -> str | None:
    for step in path:
        if not isinstance(node, dict):
            return None
        node = node.get(step)
    return None if node is None else str(node)


def _self_ids(group: dict) -> dict[str, str]:
    found: dict[str, str] = {}
    summaries = group.get("work-summary") or [{}]
    for holder in (group, *summaries):
        for ext in (holder.get("external-ids") or {}).get("external-id") or []:
            if ext.get("external-id-relationship", "self") != "self":
                continue
            scheme = _SCHEMES.get(str(ext.get("external-id-type", "")).lower(), "other-id")
            value = ext.get("external-id-value")
            if value and scheme not in found:
                found[scheme] = str(value).strip()
    return found


def _record(group: dict) -> dict[str, str | None]:
    summary = (group.get("work-summary") or [{}])[0]
    return {
        "put-code": _value(summary, "put-code"),
        "title": _value(summary, "title", "title", "value"),
        "year": _value(summary, "publication-date", "year", "value"),
        "journal": _value(summary, "journal-title", "value"),
        "type": _value(summary, "type"),
        **{f: None for f in ("doi", "pmid", "pmc", "arxiv", "other-id")},
        **_self_ids(group),
    }


def orcid_groups(text: str) -> list[dict] | None:
    """The work groups if the text is an ORCID works document, else None."""
    try:
        document = json.loads(text)
    except ValueError:
        return None
    groups = document.get("group") if isinstance(document, dict) else document
    if isinstance(groups, list) and all(
        isinstance(g, dict) and "work-summary" in g for g in groups
    ):
        return groups
    return None


def read_orcid(text: str, **kwargs: object) -> ReadResult:
    groups = orcid_groups(text)
    if groups is None:
        raise UploadRejected(
            "The JSON file is not an ORCID works list (expected a 'group' array of work summaries)."
        )
    records = pl.DataFrame(
        [_record(g) for g in groups], schema={f: pl.String for f in ORCID_FIELDS}, orient="row"
    )
    frame = records.select(
        row=pl.int_range(1, pl.len() + 1, dtype=pl.Int64),
        extra=pl.struct(*ORCID_FIELDS),
        title=pl.col("title"),
        year=year_expr("year"),
        journal=pl.col("journal"),
    )
    return finish(
        frame,
        "orcid-json",
        ["doi", "pmid", "pmc", "arxiv"],
        id_hints={"pmid": "pmid", "pmc": "pmcid"},
        **kwargs,
    )
