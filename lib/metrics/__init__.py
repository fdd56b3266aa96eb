"""The metrics engine: attention score, scores in context, citation indicators, triangulation.

Pure Polars (and numpy for the bootstrap); no SQL and no Streamlit. Import from here:
`from lib.metrics import portfolio_indicators, percentiles_in_reference, ...`. The reference
distributions for cohort percentiles on a large cache come from `lib.store.cohorts`.
"""

from lib.metrics.attention import (
    ATTENTION_INPUTS,
    ATTENTION_SCORE,
    ATTENTION_SCORE_DECIMALS,
    DEFAULT_WEIGHTS,
    AttentionWeight,
    attention_score_expr,
    is_default,
    resolve_weights,
    weights_description,
    weights_table,
    with_attention_score,
)
from lib.metrics.citations import (
    CITATION_ORDER,
    CITATION_SOURCE,
    CITATIONS,
    citation_count_expr,
    citation_indicators,
    citation_source_expr,
    too_recent_expr,
    with_citations,
)
from lib.metrics.context import (
    DEFAULT_MIN_COHORT,
    MIN_COHORT,
    ReferenceDistribution,
    hazen_percentile,
    percentiles_in_reference,
    reference_distribution,
)
from lib.metrics.indicator_sets import portfolio_indicators
from lib.metrics.indicators import Indicator, evaluate
from lib.metrics.indices import (
    career_years,
    g_index,
    g_index_expr,
    h_index,
    h_index_expr,
    i10_index,
    i10_index_expr,
    m_quotient,
)
from lib.metrics.narrative import DossierContext, dossier_sentences
from lib.metrics.triangulation import (
    QUADRANTS,
    SpearmanResult,
    StratifiedResult,
    age_caveat,
    quadrants,
    spearman_ci,
    triangulation_matrix,
    year_stratified_spearman,
)

__all__ = [
    "ATTENTION_INPUTS",
    "ATTENTION_SCORE",
    "ATTENTION_SCORE_DECIMALS",
    "CITATIONS",
    "CITATION_ORDER",
    "CITATION_SOURCE",
    "DEFAULT_MIN_COHORT",
    "DEFAULT_WEIGHTS",
    "MIN_COHORT",
    "QUADRANTS",
    "AttentionWeight",
    "DossierContext",
    "Indicator",
    "ReferenceDistribution",
    "SpearmanResult",
    "StratifiedResult",
    "age_caveat",
    "attention_score_expr",
    "career_years",
    "citation_count_expr",
    "citation_indicators",
    "citation_source_expr",
    "dossier_sentences",
    "evaluate",
    "g_index",
    "g_index_expr",
    "h_index",
    "h_index_expr",
    "hazen_percentile",
    "i10_index",
    "i10_index_expr",
    "is_default",
    "m_quotient",
    "percentiles_in_reference",
    "portfolio_indicators",
    "quadrants",
    "reference_distribution",
    "resolve_weights",
    "spearman_ci",
    "too_recent_expr",
    "triangulation_matrix",
    "weights_description",
    "weights_table",
    "with_attention_score",
    "with_citations",
    "year_stratified_spearman",
]
