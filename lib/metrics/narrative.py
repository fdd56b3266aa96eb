"""Dossier sentences: short, factual, each naming its source and reference set.

They describe attention and citations, never quality: no "excellent", "impactful" or "influential",
and a percentile is always given with the cohort it was computed in and that cohort's size.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import polars as pl

from lib.metrics.citations import CITATION_SOURCE, CITATIONS
from lib.scalars import to_float

TOP_BANDS = (1, 5, 10, 25)
_COUNTED = {
    # Altmetric's API counts news outlets and blogs, not stories and posts (its field glossary)
    "news_mentions": ("news outlet", "news outlets"),
    "blog_mentions": ("blog", "blogs"),
    "policy_mentions": ("policy document", "policy documents"),
    "patent_mentions": ("patent", "patents"),
    "wikipedia_mentions": ("Wikipedia article", "Wikipedia articles"),
    "peer_review_mentions": ("peer review", "peer reviews"),
}


@dataclass(frozen=True)
class DossierContext:
    """What the sentences need besides the numbers: the data date and the percentile columns."""

    as_of: date
    attention_percentile: str = "attention_score_percentile"
    citation_percentile: str = "citations_percentile"


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _plural(count: float, one: str, many: str) -> str:
    return f"{_number(count)} {one if count == 1 else many}"


def _band_sentence(row: Mapping[str, object], measure: str, what: str) -> str | None:
    percentile = row.get(f"{measure}_percentile")
    cohort = row.get(f"{measure}_cohort")
    if cohort is None:
        return None
    if row.get(f"{measure}_unreliable"):
        return f"No {what} percentile given: its cohort, {cohort}, is too small to compare with."
    if percentile is None:
        return None
    above = 100 - to_float(percentile)
    band = next((b for b in TOP_BANDS if above <= b), None)
    if band is not None:
        return f"In the top {band}% of {what} among {cohort}."
    return f"At percentile {to_float(percentile):.0f} of {what} among {cohort}."


def _work_sentences(row: Mapping[str, object], context: DossierContext) -> list[str]:
    sentences = []
    attention_measure = context.attention_percentile.removesuffix("_percentile")
    citation_measure = context.citation_percentile.removesuffix("_percentile")
    for measure, what in ((attention_measure, "attention"), (citation_measure, "citations")):
        text = _band_sentence(row, measure, what)
        if text:
            sentences.append(text)
    if row.get(CITATIONS) is not None:
        source = row.get(CITATION_SOURCE) or "first available source"
        sentences.append(
            f"Cited {_plural(to_float(row[CITATIONS]), 'time', 'times')} ({source}, as of {context.as_of.isoformat()})."
        )
    if to_float(row.get("citation_sources_n") or 0) >= 2 and row.get("citations_min") != row.get(
        "citations_max"
    ):
        sentences.append(
            f"Citation counts differ between {row['citation_sources_n']} databases, from "
            f"{_number(to_float(row['citations_min']))} to {_number(to_float(row['citations_max']))}."
        )
    if row.get("rcr") is not None:
        provisional = (
            " (provisional: published in the last two years)" if row.get("rcr_provisional") else ""
        )
        nih = (
            f", NIH percentile {to_float(row['nih_percentile']):.0f}"
            if row.get("nih_percentile") is not None
            else ""
        )
        sentences.append(
            f"Relative Citation Ratio {to_float(row['rcr']):.2f}{provisional}{nih} (NIH iCite; 1.0 is the "
            "median for NIH-funded papers in the same co-citation field)."
        )
    if row.get("fwci") is not None:
        sentences.append(
            f"Field-weighted citation impact {to_float(row['fwci']):.2f} (OpenAlex; 1.0 is the world "
            "average for its field, year and type)."
        )
    if row.get("clinical_citations"):
        sentences.append(
            f"Cited by {_plural(to_float(row['clinical_citations']), 'clinical article', 'clinical articles')} (NIH iCite)."
        )
    mentions = [
        _plural(to_float(row[m]), one, many) for m, (one, many) in _COUNTED.items() if row.get(m)
    ]
    if mentions:
        listed = (
            mentions[0] if len(mentions) == 1 else ", ".join(mentions[:-1]) + " and " + mentions[-1]
        )
        sentences.append(f"Mentioned in {listed} (as of {context.as_of.isoformat()}).")
    return sentences


def _portfolio_sentences(indicators: pl.DataFrame, context: DossierContext) -> list[str]:
    by_name = {r["name"]: r for r in indicators.iter_rows(named=True)}
    sentences = []
    works = by_name.get("works")
    if works:
        sentences.append(
            f"{_number(works['value'])} works in this collection (as of {context.as_of.isoformat()})."
        )
    for name, template in (
        ("citations_total", "Cited {value} times in total across {n} works with a citation count."),
        ("h_index", "h-index {value}, over {n} works with a citation count."),
        (
            "rcr_median",
            "Median Relative Citation Ratio {value} over {n} works with an RCR (NIH iCite).",
        ),
        ("fwci_median", "Median field-weighted citation impact {value} over {n} works (OpenAlex)."),
    ):
        row = by_name.get(name)
        if row and row["value"] is not None:
            value = (
                _number(row["value"])
                if name != "rcr_median" and name != "fwci_median"
                else f"{row['value']:.2f}"
            )
            sentences.append(template.format(value=value, n=_number(row["n"])))
    for name, share in (("top10_share", "10%"), ("top1_share", "1%")):
        row = by_name.get(name)
        if row and row["value"] is not None and row["n"]:
            count = round(row["value"] * row["n"] / 100)
            sentences.append(
                f"{_plural(count, 'work is', 'works are')} in the top {share} of their field and year by "
                f"citations ({_number(row['n'])} works with an OpenAlex citation percentile)."
            )
    return sentences


def dossier_sentences(
    work_or_portfolio: Mapping[str, object] | pl.DataFrame, context: DossierContext
) -> list[str]:
    """Sentences for one work (a row mapping) or for a portfolio (the indicators frame)."""
    if isinstance(work_or_portfolio, pl.DataFrame):
        if "name" in work_or_portfolio.columns and "value" in work_or_portfolio.columns:
            return _portfolio_sentences(work_or_portfolio, context)
        return _work_sentences(work_or_portfolio.row(0, named=True), context)
    return _work_sentences(work_or_portfolio, context)
