"""Known values for every indicator of the metrics engine."""

from datetime import date

import numpy as np
import polars as pl
import pytest
import scipy.stats

from lib.metrics import (
    DEFAULT_WEIGHTS,
    DossierContext,
    age_caveat,
    attention_score_expr,
    citation_indicators,
    dossier_sentences,
    g_index,
    h_index,
    hazen_percentile,
    i10_index,
    m_quotient,
    percentiles_in_reference,
    portfolio_indicators,
    quadrants,
    spearman_ci,
    triangulation_matrix,
    weights_description,
    weights_table,
    with_attention_score,
)
from lib.metrics.triangulation import QUADRANTS
from lib.vocabulary import METRIC_NAMES

TODAY = date(2026, 11, 20)


def wide(**columns) -> pl.DataFrame:
    """A works_wide-shaped frame: every canonical metric column, null unless given."""
    n = len(next(iter(columns.values())))
    base = {"key": [f"k{i}" for i in range(n)], "year": [2015] * n}
    base.update(columns)
    frame = pl.DataFrame(base)
    return frame.with_columns(
        pl.lit(None, dtype=pl.Float64).alias(m) for m in METRIC_NAMES if m not in frame.columns
    ).with_columns(pl.col(m).cast(pl.Float64) for m in METRIC_NAMES)


def test_h_g_i10_known_values():
    citations = pl.Series([10, 8, 5, 4, 3])
    assert h_index(citations) == 4
    assert g_index(citations) == 5  # cumulative 10, 18, 23, 27, 30 >= 1, 4, 9, 16, 25
    assert i10_index(citations) == 1
    assert g_index(pl.Series([0, 0, 0])) == 0
    assert h_index(pl.Series([25, 8, 5, 3, 3])) == 3
    assert g_index(pl.Series([25, 8, 5, 3, 3])) == 5
    assert i10_index(pl.Series([10, 9, 11, None])) == 2


def test_indices_ignore_missing_and_are_null_without_data():
    assert h_index(pl.Series([10, None, 8, 5, None, 4, 3])) == 4
    assert h_index(pl.Series([None, None], dtype=pl.Float64)) is None
    assert g_index(pl.Series([], dtype=pl.Float64)) is None
    assert i10_index(pl.Series([None], dtype=pl.Float64)) is None


def test_m_quotient_counts_the_start_year():
    assert m_quotient(10, 2007, TODAY) == pytest.approx(0.5)  # 2007..2026 = 20 years
    assert m_quotient(None, 2007, TODAY) is None
    assert m_quotient(3, None, TODAY) is None


def test_hazen_percentile_with_ties():
    frame = pl.DataFrame({"v": [1.0, 2.0, 2.0, 5.0, None]})
    got = frame.select(hazen_percentile("v"))["v"].to_list()
    # mid-ranks 1, 2.5, 2.5, 4 of n = 4 -> 100 * (r - 0.5) / 4
    assert got == [12.5, 50.0, 50.0, 87.5, None]


def test_percentiles_in_reference_match_hazen_and_withhold_small_cohorts():
    works = pl.DataFrame(
        {
            "key": list("abcdef"),
            "year": [2019, 2019, 2019, 2019, 2020, None],
            "m": [1.0, 2.0, 2.0, 5.0, 3.0, 4.0],
        }
    )
    got = percentiles_in_reference(works, works, "m", min_cohort=3)
    assert got["key"].to_list() == list("abcdef")
    # The 2020 cohort holds 1 work (< min_cohort): no percentile, but its size is still said.
    assert got["m_percentile"].to_list() == [12.5, 50.0, 50.0, 87.5, None, None]
    assert got["m_cohort_n"].to_list() == [4, 4, 4, 4, 1, None]
    assert got["m_unreliable"].to_list() == [False, False, False, False, True, None]
    assert got["m_cohort"][0] == "2019 works in this cache (n = 4)"


def test_percentile_of_a_work_outside_the_reference():
    reference = pl.DataFrame(
        {"key": ["r1", "r2", "r3", "r4"], "year": [2019] * 4, "m": [1.0, 2.0, 3.0, 4.0]}
    )
    works = pl.DataFrame(
        {
            "key": ["low", "mid", "tie", "high", "none"],
            "year": [2019] * 5,
            "m": [0.0, 2.5, 3.0, 9.0, None],
        }
    )
    got = percentiles_in_reference(
        works, reference, "m", place="in this collection", noun="articles", min_cohort=1
    )
    assert got["m_percentile"].to_list() == [0.0, 50.0, 62.5, 100.0, None]
    assert got["m_cohort"][0] == "2019 articles in this collection (n = 4)"


def test_cohort_label_names_the_journal_and_thousands():
    reference = pl.DataFrame(
        {"key": [str(i) for i in range(6036)], "year": 2009, "journal": "PLOS ONE", "m": 1.0}
    )
    got = percentiles_in_reference(reference.head(1), reference, "m", by=("year", "journal"))
    assert got["m_cohort"][0] == "2009 works in PLOS ONE in this cache (n = 6,036)"


def test_attention_score_weights_and_null_when_nothing_supplied():
    frame = wide(
        news_mentions=[1, None, None, 0],
        x_posts=[3, None, 4, 0],
        wikipedia_mentions=[5, None, None, None],
        mendeley_readers=[100, 50, None, None],
        citations_openalex=[1000, 1000, 1000, 1000],
    )
    scores = with_attention_score(frame)["attention_score"].to_list()
    # 8 + 3 * 0.25 + 3 (Wikipedia once); Mendeley only: missing; 4 posts; fetched and all zero: 0
    assert scores == [11.75, None, 1.0, 0.0]


def test_attention_score_custom_weights_keep_counting_rules():
    frame = wide(news_mentions=[2], wikipedia_mentions=[4])
    score = frame.select(attention_score_expr({"news_mentions": 1, "wikipedia_mentions": 2})).item()
    assert score == 4.0
    assert "custom weights" in weights_description({"news_mentions": 1})
    assert "default weights" in weights_description(None)


def test_default_weights_follow_altmetric_and_state_provenance():
    expected = {
        "news_mentions": 8,
        "blog_mentions": 5,
        "policy_mentions": 3,
        "patent_mentions": 3,
        "wikipedia_mentions": 3,
        "peer_review_mentions": 1,
        "x_posts": 0.25,
        "facebook_mentions": 0.25,
        "reddit_mentions": 0.25,
        "video_mentions": 0.25,
        "bluesky_mentions": 0.25,
        "mendeley_readers": 0,
    }
    for metric, weight in expected.items():
        assert DEFAULT_WEIGHTS[metric].weight == weight
        assert DEFAULT_WEIGHTS[metric].provenance
    assert DEFAULT_WEIGHTS["wikipedia_mentions"].counts_once
    assert "Our choice" in DEFAULT_WEIGHTS["bluesky_mentions"].provenance
    assert weights_table().height == len(DEFAULT_WEIGHTS)
    with pytest.raises(ValueError):
        weights_table({"not_a_metric": 1})


def test_citation_indicators_agreement_rate_and_flags():
    frame = wide(
        year=[2010, 2025, 2015],
        citations_openalex=[10, None, None],
        citations_crossref=[12, 3, None],
        citations_semanticscholar=[0, None, None],
        rcr=[1.2, 0.4, None],
    )
    got = citation_indicators(frame, today=TODAY).rows_by_key("key", named=True, unique=True)
    first = got["k0"]
    assert (first["citations"], first["citation_source"]) == (10.0, "OpenAlex")
    assert (first["citation_sources_n"], first["citations_max"], first["citations_min"]) == (
        3,
        12.0,
        0.0,
    )
    assert first["citations_highest_source"] == "Crossref"
    assert first["citations_max_min_ratio"] is None  # zero minimum: undefined, not infinite
    assert first["citations_per_year"] == pytest.approx(10 / 17)
    assert first["too_recent"] is False and first["rcr_provisional"] is False
    second = got["k1"]
    assert second["citation_source"] == "Crossref" and second["citations_max_min_ratio"] is None
    assert second["too_recent"] is True and second["rcr_provisional"] is True
    third = got["k2"]
    assert third["citations"] is None and third["citations_per_year"] is None
    assert third["rcr_provisional"] is None


def test_portfolio_indicators_known_values_and_missing_left_out():
    frame = wide(
        year=[2010, 2012, 2015, 2018, 2020, 2024],
        citations_openalex=[10, 8, 5, 4, 3, None],
        rcr=[2.0, 1.0, 0.5, None, None, None],
        citation_percentile=[99.5, 91.0, 40.0, None, None, None],
        fwci=[3.0, 1.0, None, None, None, None],
        news_mentions=[1, None, None, None, None, None],
        x_posts=[4, 2, None, None, None, None],
    ).with_columns(oa_status=pl.Series(["gold", "closed", None, "green", None, None]))
    got = portfolio_indicators(frame, career_start=2007, today=TODAY)
    value = dict(zip(got["name"], got["value"], strict=True))
    n = dict(zip(got["name"], got["n"], strict=True))
    assert value["works"] == 6
    assert (value["h_index"], value["g_index"], value["i10_index"]) == (4, 5, 1)
    assert n["h_index"] == 5
    assert value["citations_total"] == 30 and value["citations_median"] == 5
    assert value["m_quotient"] == pytest.approx(4 / 20)
    assert value["rcr_median"] == 1.0 and value["rcr_weighted"] == 3.5 and n["rcr_median"] == 3
    assert value["top10_share"] == pytest.approx(200 / 3) and value["top1_share"] == pytest.approx(
        100 / 3
    )
    assert value["fwci_median"] == 2.0
    assert value["oa_share"] == pytest.approx(200 / 3) and n["oa_share"] == 3
    assert value["attention_total"] == 8 + 1 + 0.5 and n["attention_total"] == 2
    assert "left out, not counted as 0" in got.filter(pl.col("name") == "h_index")["note"][0]
    assert "career start 2007" in got.filter(pl.col("name") == "m_quotient")["note"][0]


def test_portfolio_indicators_all_missing_are_null_not_zero():
    got = portfolio_indicators(wide(year=[2020, 2021]), career_start=None, today=TODAY)
    values = dict(zip(got["name"], got["value"], strict=True))
    for name in (
        "citations_total",
        "h_index",
        "g_index",
        "i10_index",
        "m_quotient",
        "rcr_median",
        "rcr_weighted",
        "top10_share",
        "fwci_median",
        "attention_total",
        "attention_median",
    ):
        assert values[name] is None, name


def test_excluded_works_are_left_out():
    frame = wide(citations_openalex=[10, 10, 10]).with_columns(
        excluded=pl.Series([False, True, None])
    )
    got = portfolio_indicators(frame, career_start=None, today=TODAY)
    assert got.filter(pl.col("name") == "works")["value"][0] == 2


def test_spearman_matches_scipy_with_ties_and_ignores_missing():
    rng = np.random.default_rng(3)
    x = rng.poisson(2, 300).astype(float)
    y = x + rng.poisson(2, 300)
    expected = scipy.stats.spearmanr(x, y).statistic
    with_gaps_x = np.append(x, [np.nan, 1.0])
    with_gaps_y = np.append(y, [5.0, np.nan])
    result = spearman_ci(with_gaps_x, with_gaps_y, n_boot=500, seed=1)
    assert result.n == 300
    assert result.rho == pytest.approx(expected, abs=1e-12)
    assert result.lo < result.rho < result.hi
    assert spearman_ci([1.0, 2.0], [2.0, 1.0]).rho is None
    assert spearman_ci([1.0, 1.0, 1.0, 1.0], [1.0, 2.0, 3.0, 4.0]).rho is None


def test_bootstrap_interval_matches_scipy_bootstrap_roughly():
    rng = np.random.default_rng(5)
    x = rng.normal(size=200)
    y = x + rng.normal(size=200)
    ours = spearman_ci(x, y, n_boot=2000, seed=2)
    theirs = scipy.stats.bootstrap(
        (x, y),
        lambda a, b: scipy.stats.spearmanr(a, b).statistic,
        paired=True,
        vectorized=False,
        n_resamples=2000,
        method="percentile",
        random_state=2,
    ).confidence_interval
    assert ours.lo == pytest.approx(theirs.low, abs=0.03)
    assert ours.hi == pytest.approx(theirs.high, abs=0.03)


def test_triangulation_matrix_pairs():
    frame = pl.DataFrame(
        {"a": [1.0, 2, 3, 4, 5], "b": [2.0, 4, 6, 8, None], "c": [5.0, 4, 3, 2, 1]}
    )
    got = triangulation_matrix(frame, ["a", "b", "c"], n_boot=50)
    assert got.select("x", "y").rows() == [("a", "b"), ("a", "c"), ("b", "c")]
    assert got["n"].to_list() == [4, 5, 4]
    assert got["rho"].to_list() == pytest.approx([1.0, -1.0, -1.0])


def test_quadrants_labels_and_missing():
    frame = pl.DataFrame(
        {"att": [80.0, 80.0, 10.0, 10.0, None, 50.0], "cit": [90.0, 20.0, 70.0, 5.0, 60.0, 50.0]}
    )
    got = quadrants(frame, "att", "cit")["quadrant"].to_list()
    assert got == [
        "attention ≥ median, citations ≥ median",
        "attention ≥ median, citations < median",
        "attention < median, citations ≥ median",
        "attention < median, citations < median",
        None,
        "attention ≥ median, citations ≥ median",
    ]
    strict = quadrants(frame, "att", "cit", attention_threshold=90, citation_threshold=80)[
        "quadrant"
    ]
    assert strict[0] == "attention < median, citations ≥ median"


def test_quadrant_labels_claim_nothing_about_being_cited_or_not():
    """Issue 15.1: "not yet cited" was given to works with citations; labels name the split only."""
    for label in QUADRANTS.values():
        assert "median" in label
        for claim in ("not yet cited", "quietly", "neither", "discussed"):
            assert claim not in label


def test_age_caveat_only_when_years_span_widely():
    assert age_caveat(pl.DataFrame({"year": [2020, 2021, 2022]})) is None
    text = age_caveat(pl.DataFrame({"year": [2003, 2010, None]}))
    assert "2003–2010" in text and "8 years" in text


def test_dossier_sentences_for_a_work_are_factual_and_name_their_reference():
    row = {
        "citations": 123.0,
        "citation_source": "OpenAlex",
        "citation_sources_n": 2,
        "citations_min": 110.0,
        "citations_max": 123.0,
        "rcr": 2.345,
        "rcr_provisional": False,
        "nih_percentile": 85.2,
        "fwci": 1.8,
        "news_mentions": 3.0,
        "wikipedia_mentions": 1.0,
        "attention_score_percentile": 96.2,
        "attention_score_unreliable": False,
        "attention_score_cohort": "2009 articles in this cache (n = 6,036)",
        "citations_percentile": 40.0,
        "citations_unreliable": False,
        "citations_cohort": "2009 articles in this cache (n = 6,036)",
    }
    sentences = dossier_sentences(row, DossierContext(as_of=date(2026, 11, 20)))
    assert "In the top 5% of attention among 2009 articles in this cache (n = 6,036)." in sentences
    assert "Cited 123 times (OpenAlex, as of 2026-11-20)." in sentences
    assert (
        "At percentile 40 of citations among 2009 articles in this cache (n = 6,036)." in sentences
    )
    assert any("3 news outlets and 1 Wikipedia article" in s for s in sentences)
    text = " ".join(sentences).lower()
    for claim in ("quality", "excellent", "impactful", "influential", "important", "best"):
        assert claim not in text


def test_dossier_sentences_say_when_a_cohort_is_too_small():
    row = {
        "attention_score_percentile": 99.0,
        "attention_score_unreliable": True,
        "attention_score_cohort": "2025 works in this cache (n = 12)",
    }
    sentences = dossier_sentences(row, DossierContext(as_of=TODAY))
    assert sentences == [
        "No attention percentile given: its cohort, 2025 works in this cache (n = 12), is too small to compare with."
    ]


def test_dossier_sentences_for_a_portfolio():
    frame = wide(citations_openalex=[10, 8, 5, 4, 3], citation_percentile=[95.0, 50, 50, 50, 99.5])
    indicators = portfolio_indicators(frame, career_start=2010, today=TODAY)
    sentences = dossier_sentences(indicators, DossierContext(as_of=TODAY))
    assert "h-index 4, over 5 works with a citation count." in sentences
    assert any(s.startswith("2 works are in the top 10%") for s in sentences)


def test_one_minimum_cohort_withholds_the_percentile_and_the_sentence_agrees():
    """Issue 15.8: the narrative refused n = 16 while the Article page showed a percentile for n = 11."""
    from lib.metrics.context import MIN_COHORT

    reference = pl.DataFrame(
        {
            "key": [f"r{i}" for i in range(11)],
            "year": [2020] * 11,
            "m": [float(i) for i in range(11)],
        }
    )
    got = percentiles_in_reference(reference.head(1), reference, "m")
    assert MIN_COHORT > 11
    assert got["m_percentile"].to_list() == [None]
    assert got["m_unreliable"].to_list() == [True]
    row = {
        "attention_score_percentile": got["m_percentile"][0],
        "attention_score_unreliable": True,
        "attention_score_cohort": got["m_cohort"][0],
    }
    sentences = dossier_sentences(row, DossierContext(as_of=TODAY))
    assert sentences[0].startswith("No attention percentile given")
