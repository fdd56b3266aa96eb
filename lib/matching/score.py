"""The probability that a candidate is the referenced work, and the ranking of candidates.

A logistic model over a few agreement features. Its coefficients and the auto-accept threshold are
data (`model.json`), fitted by `bench/fit_matching.py` on the labelled set built from real records,
so a refit changes no code. The threshold is the lowest at which automatic matches on that set were
at least 99 % correct; a match below it, or one with a rival above it, waits for a person.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rapidfuzz import fuzz

from lib.matching.candidates import (
    NOT_ARTICLE_TYPES,
    Candidate,
    FieldComparison,
    compare_fields,
    fold,
    is_notice,
    journal_agrees,
    same_surname,
)
from lib.matching.parse import ParsedReference

MODEL_PATH = Path(__file__).with_name("model.json")
FEATURES = (
    "title",
    "title_exact",
    "year_same",
    "year_near",
    "year_far",
    "author_same",
    "author_differs",
    "journal_same",
    "journal_differs",
    "volume_same",
    "volume_differs",
    "page_same",
    "page_differs",
    "notice",
    "not_article",
    "ecitmatch_same",
)
TOP = 3


@dataclass(frozen=True)
class MatchModel:
    intercept: float
    weights: Mapping[str, float]
    threshold: float
    note: str = ""

    def probability(self, values: Mapping[str, float]) -> float:
        z = self.intercept + sum(self.weights.get(name, 0.0) * v for name, v in values.items())
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))


@dataclass(frozen=True)
class ScoredCandidate:
    candidate: Candidate
    probability: float
    title_similarity: float
    fields: list[FieldComparison] = field(default_factory=list)


@cache
def load_model(path: Path = MODEL_PATH) -> MatchModel:
    data = json.loads(path.read_text(encoding="utf-8"))
    return MatchModel(
        intercept=float(data["intercept"]),
        weights={k: float(v) for k, v in data["weights"].items()},
        threshold=float(data["threshold"]),
        note=str(data.get("note", "")),
    )


def title_similarity(a: str | None, b: str | None) -> float:
    """0-1; token order and punctuation ignored, so "Aspirin and stroke" ~ "Stroke and aspirin"."""
    fa, fb = fold(a), fold(b)
    if not fa or not fb:
        return 0.0
    return float(fuzz.token_sort_ratio(fa, fb)) / 100.0


def _pair(ref: object, cand: object, agree: bool) -> tuple[float, float]:
    """(same, differs) indicators; both 0 when either side lacks the field."""
    if ref in (None, "") or cand in (None, ""):
        return 0.0, 0.0
    return (1.0, 0.0) if agree else (0.0, 1.0)


def features(ref: ParsedReference, cand: Candidate) -> dict[str, float]:
    sim = title_similarity(ref.title, cand.title)
    values = {"title": sim, "title_exact": float(fold(ref.title) == fold(cand.title) != "")}
    gap = abs(ref.year - cand.year) if ref.year and cand.year else None
    values["year_same"] = float(gap == 0)
    values["year_near"] = float(gap == 1)
    values["year_far"] = float(gap is not None and gap > 1)
    values["author_same"], values["author_differs"] = _pair(
        ref.first_author, cand.first_author, same_surname(ref.first_author, cand.first_author)
    )
    values["journal_same"], values["journal_differs"] = _pair(
        ref.journal, cand.journal, journal_agrees(ref.journal or "", cand.journal or "")
    )
    values["volume_same"], values["volume_differs"] = _pair(
        ref.volume, cand.volume, fold(ref.volume) == fold(cand.volume)
    )
    values["page_same"], values["page_differs"] = _pair(
        ref.first_page, cand.first_page, fold(ref.first_page) == fold(cand.first_page)
    )
    values["notice"] = float(is_notice(cand.title) and not is_notice(ref.title))
    values["not_article"] = float((cand.type or "") in NOT_ARTICLE_TYPES)
    values["ecitmatch_same"] = float(cand.confirmed_by_ecitmatch)
    return values


def merge(candidates: Iterable[Candidate]) -> list[Candidate]:
    """One candidate per work: the same DOI (or PMID) from several lookups is joined."""
    merged: dict[str, Candidate] = {}
    for cand in candidates:
        key = cand.key
        if key is None:
            continue
        if key not in merged:
            merged[key] = cand
            continue
        known = merged[key]
        sources = "+".join(dict.fromkeys((*known.source.split("+"), cand.source)))
        merged[key] = Candidate(
            **{
                name: getattr(known, name) or getattr(cand, name)
                for name in Candidate.__dataclass_fields__
                if name not in ("source", "confirmed_by_ecitmatch")
            },
            source=sources,
            confirmed_by_ecitmatch=known.confirmed_by_ecitmatch or cand.confirmed_by_ecitmatch,
        )
    return list(merged.values())


def rank_candidates(
    ref: ParsedReference, candidates: Iterable[Candidate], model: MatchModel | None = None
) -> list[ScoredCandidate]:
    """Distinct candidates, most probable first, each with its field comparison."""
    model = model or load_model()
    scored = []
    for cand in merge(candidates):
        values = features(ref, cand)
        sim = values["title"]
        scored.append(
            ScoredCandidate(cand, model.probability(values), sim, compare_fields(ref, cand, sim))
        )
    return sorted(scored, key=lambda s: (-s.probability, s.candidate.key or ""))


def automatic(
    ranked: list[ScoredCandidate], model: MatchModel | None = None
) -> ScoredCandidate | None:
    """The candidate to accept without asking, or None: above the threshold and unrivalled."""
    model = model or load_model()
    if not ranked or ranked[0].probability < model.threshold:
        return None
    if len(ranked) > 1 and ranked[1].probability >= model.threshold:
        return None  # two works both look right: a person decides
    return ranked[0]
