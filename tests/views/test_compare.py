from datetime import date

import polars as pl
import pytest

from lib.views.caveats import career_stage
from lib.views.compare import (
    GROUPS,
    Candidate,
    build_comparison,
    default_candidate,
    format_value,
    indicator_matrix,
    with_settings,
)
from lib.views.compare_panels import PERCENTILE_BINS
from tests.views.compare_data import candidate_works, three_candidates

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def comparison():
    works, candidates = three_candidates()
    return build_comparison(works, candidates, today=TODAY)


def value(comparison, candidate, name):
    row = comparison.indicators.filter(
        (pl.col("candidate") == candidate) & (pl.col("name") == name)
    )
    return row["value"][0], row["n"][0]


def test_every_candidate_gets_every_indicator_normalised_first(comparison):
    per_candidate = comparison.indicators.group_by("candidate").agg(pl.col("name"))
    names = per_candidate["name"].to_list()
    assert all(sorted(n) == sorted(names[0]) for n in names)
    groups = comparison.indicators.filter(pl.col("candidate") == "Cand A")["group"].to_list()
    order = list(GROUPS)
    assert groups == sorted(groups, key=order.index)
    assert groups[0] == "normalised"


def test_a_candidate_without_data_is_missing_not_zero(comparison):
    for name in ("citations_total", "h_index", "rcr_median", "top10_share", "attention_total"):
        got, n = value(comparison, "Cand C", name)
        assert got is None and n == 0, name
    assert value(comparison, "Cand C", "works") == (10.0, 10)
    matrix = indicator_matrix(comparison, "normalised")
    assert all(cell.startswith("—") for cell in matrix["Cand C"])


def test_career_adjusted_variants_sit_beside_the_raw_ones(comparison):
    h, _ = value(comparison, "Cand A", "h_index")
    m, _ = value(comparison, "Cand A", "m_quotient")
    years, _ = value(comparison, "Cand A", "career_years")
    total, _ = value(comparison, "Cand A", "citations_total")
    per_year, _ = value(comparison, "Cand A", "citations_per_career_year")
    assert years == TODAY.year - 2005 + 1
    assert m == pytest.approx(h / years)
    assert per_year == pytest.approx(total / years)
    career = comparison.indicators.filter(
        (pl.col("candidate") == "Cand A") & (pl.col("group") == "career")
    )["name"].to_list()
    assert career.index("m_quotient") == career.index("h_index") + 1
    assert career.index("citations_per_career_year") == career.index("citations_total") + 1
    assert value(comparison, "Cand C", "m_quotient")[0] is None


def test_candidates_keep_the_committee_order_and_nothing_is_ranked():
    works, candidates = three_candidates()
    reversed_order = build_comparison(works, candidates[::-1], today=TODAY)
    matrix = indicator_matrix(reversed_order, "career")
    assert matrix.columns == ["Indicator", "Cand C", "Dr B", "Dr A"]
    assert not any("rank" in n or "composite" in n for n in reversed_order.indicators["name"])


def test_distributions_leave_missing_values_out_and_count_them(comparison):
    works, _ = three_candidates()
    for measure in ("citation_percentile", "rcr"):
        for candidate in ("Cand A", "Cand B", "Cand C"):
            own = works.filter(pl.col("candidate") == candidate)[measure]
            plotted = comparison.distributions.filter(
                (pl.col("candidate") == candidate) & (pl.col("measure") == measure)
            )
            row = comparison.missing.filter(
                (pl.col("candidate") == candidate) & (pl.col("measure") == measure)
            ).row(0, named=True)
            assert plotted.height == own.drop_nulls().len()
            assert row["missing"] == own.null_count()
            assert row["works"] == own.len()


def test_percentile_bins_cover_the_placed_works_and_shares_sum_to_100(comparison):
    bins = comparison.bins.filter(pl.col("measure") == "citation_percentile")
    totals = bins.group_by("candidate", maintain_order=True).agg(
        pl.col("works").sum(), pl.col("placed").first(), pl.col("share").sum()
    )
    for row in totals.iter_rows(named=True):
        assert row["works"] == row["placed"]
        assert row["share"] == (pytest.approx(100) if row["placed"] else 0)
    assert bins.filter(pl.col("candidate") == "Cand C")["share"].null_count() == len(
        PERCENTILE_BINS
    )
    top10 = bins.filter((pl.col("candidate") == "Cand A") & pl.col("bin").str.contains("top"))[
        "share"
    ].sum()
    assert top10 == pytest.approx(value(comparison, "Cand A", "top10_share")[0])


def test_attention_composition_is_null_without_data_and_shares_sum_to_100(comparison):
    composition = comparison.composition
    shares = composition.group_by("candidate").agg(
        pl.col("share").sum(), pl.col("total").is_null().all().alias("none")
    )
    by_candidate = {r["candidate"]: r for r in shares.iter_rows(named=True)}
    assert by_candidate["Cand A"]["share"] == pytest.approx(100)
    assert by_candidate["Cand C"]["none"]


def test_triangulation_per_candidate(comparison):
    counts = comparison.quadrant_counts
    total_a = counts.filter(pl.col("candidate") == "Cand A")["works"].sum()
    assert total_a == 40
    assert counts.filter(pl.col("candidate") == "Cand C")["quadrant"].to_list() == [None]
    correlations = comparison.correlations
    assert correlations.height == 6
    a = correlations.filter(pl.col("candidate") == "Cand A").row(0, named=True)
    assert a["lo"] <= a["rho"] <= a["hi"] and a["n"] > 3
    c = correlations.filter(pl.col("candidate") == "Cand C")
    assert c["rho"].null_count() == 2 and c["n"].to_list() == [0, 0]


def test_coverage_counts_unfetched_works_and_drops_sources_never_asked(comparison):
    coverage = comparison.coverage
    c_openalex = coverage.filter(
        (pl.col("candidate") == "Cand C") & (pl.col("source") == "openalex")
    )
    assert c_openalex.row(0, named=True)["not_fetched"] == 10
    assert "orcid" not in coverage["source"].to_list()
    altmetric = coverage.filter(
        (pl.col("candidate") == "Cand A") & (pl.col("source") == "altmetric")
    )
    assert altmetric.row(0, named=True)["not_found"] == 20


def test_warnings_for_fields_career_stages_and_missing_data(comparison):
    text = " ".join(comparison.warnings)
    assert "different fields (Cardiology, Oncology)" in text
    assert "different career stages" in text and "h-index" in text
    assert "No career start for Cand C" in text
    assert "Cand C: no work has citation data yet" in text
    assert any("Attention is not quality" in c for c in comparison.caveats)
    assert any("journal impact factor" in c for c in comparison.caveats)


def test_no_field_or_stage_warning_for_peers():
    works = pl.concat(
        [
            candidate_works("P1", 30, seed=5, first_year=2012),
            candidate_works("P2", 30, seed=6, first_year=2013),
        ]
    )
    peers = [Candidate("P1", 2012, "Cardiology"), Candidate("P2", 2014, "Cardiology")]
    result = build_comparison(works, peers, today=TODAY)
    assert not any("different" in w for w in result.warnings)


def test_reference_sets_name_each_normalised_indicator(comparison):
    names = " ".join(comparison.reference_sets["indicator"])
    for indicator in (
        "Relative Citation Ratio",
        "FWCI",
        "Citation percentile",
        "Attention percentile",
    ):
        assert indicator in names
    attention = comparison.reference_sets.filter(pl.col("indicator") == "Attention percentile")
    assert "among the compared works only" in attention["reference set"][0]


def test_defaults_come_from_meta_then_from_the_data():
    works = candidate_works("X", 12, seed=9, first_year=2011)
    stated = default_candidate(
        "X", {"career_start": 2008, "field": "Oncology", "person": "Dr X"}, works
    )
    assert (stated.career_start, stated.field, stated.label) == (2008, "Oncology", "Dr X")
    assert stated.career_start_origin == "stated in the collection"
    derived = default_candidate("X", {}, works)
    assert derived.career_start == works["year"].min()
    assert derived.field == "Cardiology"
    assert derived.career_start_origin == "first publication in the collection"
    empty = default_candidate("E", None, works.head(0))
    assert (empty.career_start, empty.field, empty.career_start_origin) == (None, None, "not given")
    edited = with_settings(stated, 2010, "Oncology")
    assert edited.career_start_origin == "set by the committee"
    assert edited.field_origin == "stated in the collection"


def test_format_value_shows_missing_as_a_dash():
    assert format_value("h_index", None) == "—"
    assert format_value("top10_share", 12.4) == "12%"
    assert format_value("citations_total", 1234.0) == "1,234"
    assert format_value("rcr_median", 1.234) == "1.23"


def test_career_stage_buckets():
    assert career_stage(2020, TODAY).startswith("early")
    assert career_stage(2010, TODAY).startswith("mid")
    assert career_stage(1990, TODAY).startswith("senior")
    assert career_stage(None, TODAY) is None


def test_a_candidate_whose_collection_is_empty_is_carried_through():
    works, candidates = three_candidates()
    empty = Candidate("Empty", 2015, "Cardiology")
    result = build_comparison(works, [*candidates, empty], today=TODAY)
    assert value(result, "Empty", "works") == (0.0, 0)
    assert value(result, "Empty", "h_index")[0] is None
    assert "Empty: the collection has no works" in " ".join(result.warnings)
    assert "Empty" in indicator_matrix(result, "normalised").columns
