"""Matching references without identifiers to works: split, parse, score, decide (pure).

No store, no HTTP: `lib/ingest/matching.py` looks candidates up through `lib/sources` and stores
what this package decides.
"""

from lib.matching.candidates import Candidate, FieldComparison, compare_fields
from lib.matching.lines import ReferenceLine, SplitResult, split_references
from lib.matching.parse import ParsedReference, parse_reference
from lib.matching.score import MatchModel, features, load_model, rank_candidates

__all__ = [
    "Candidate",
    "FieldComparison",
    "MatchModel",
    "ParsedReference",
    "ReferenceLine",
    "SplitResult",
    "compare_fields",
    "features",
    "load_model",
    "parse_reference",
    "rank_candidates",
    "split_references",
]
