"""ORCID works JSON (`/v3.0/{orcid}/works`, fetched or uploaded): one row per work group.

The one rule for both paths: a group's identifiers are its external ids (at group level, and in its
work summaries) whose relationship is `self`, or unstated; `part-of` names the journal or book (an
ISSN, a book DOI) and `version-of` another version (a preprint), so neither is this work's. Values
are normalised through `lib.ids` like every other identifier; the first of each scheme wins.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from lib.ids.parse import Identifier, Scheme, parse_identifier

WORK_SCHEMA: dict[str, type[pl.DataType]] = {
    "put_code": pl.String,
    "doi": pl.String,
    "pmid": pl.String,
    "pmcid": pl.String,
    "arxiv": pl.String,
    "other_id": pl.String,
    "title": pl.String,
    "year": pl.Int32,
    "journal": pl.String,
    "type": pl.String,
}
_SCHEMES: dict[str, Scheme] = {"doi": "doi", "pmid": "pmid", "pmc": "pmcid", "arxiv": "arxiv"}


def _at(node: Any, *path: str) -> Any:
    for step in path:
        if not isinstance(node, dict):
            return None
        node = node.get(step)
    return node


def _text(node: Any, *path: str) -> str | None:
    value = _at(node, *path)
    return None if value is None else str(value)


def _year(text: str | None) -> int | None:
    head = (text or "").strip()[:4]
    return int(head) if head.isdigit() and 1000 <= int(head) <= 2999 else None


def work_groups(document: Any) -> list[dict[str, Any]] | None:
    """The work groups of a works response (or a bare group array), else None."""
    groups = document.get("group") if isinstance(document, dict) else document
    if isinstance(groups, list) and all(
        isinstance(g, dict) and "work-summary" in g for g in groups
    ):
        return groups
    return None


def _normalised(scheme: Scheme | None, raw: str) -> str | None:
    if scheme is None:  # another scheme (a handle, an ISBN...): kept as written
        return raw.strip() or None
    parsed = parse_identifier(raw, expect=scheme)
    return parsed.value if isinstance(parsed, Identifier) else None


def _self_ids(group: dict[str, Any]) -> dict[str, str]:
    found: dict[str, str] = {}
    summaries = [s for s in group.get("work-summary") or [] if isinstance(s, dict)]
    for holder in (group, *summaries):
        for ext in _at(holder, "external-ids", "external-id") or []:
            if not isinstance(ext, dict) or ext.get("external-id-relationship", "self") != "self":
                continue
            scheme = _SCHEMES.get(str(ext.get("external-id-type", "")).lower())
            column = scheme or "other_id"
            raw = _text(ext, "external-id-normalized", "value") or _text(ext, "external-id-value")
            value = _normalised(scheme, raw) if raw else None
            if value and column not in found:
                found[column] = value
    return found


def _row(group: dict[str, Any]) -> dict[str, Any]:
    summary = (group.get("work-summary") or [{}])[0]
    return {
        **dict.fromkeys(WORK_SCHEMA),
        "put_code": _text(summary, "put-code"),
        "title": _text(summary, "title", "title", "value"),
        "year": _year(_text(summary, "publication-date", "year", "value")),
        "journal": _text(summary, "journal-title", "value"),
        "type": _text(summary, "type"),
        **_self_ids(group),
    }


def works_frame(groups: list[dict[str, Any]]) -> pl.DataFrame:
    """One row per work group, columns as `WORK_SCHEMA` (null when ORCID does not say)."""
    return pl.DataFrame([_row(g) for g in groups], schema=WORK_SCHEMA, orient="row")
