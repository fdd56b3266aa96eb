"""The Portfolio page's pure logic, on a small cache written with the store writers."""

import polars as pl
import pytest

from lib import store
from lib.metrics import CITATION_ORDER, weights_table
from lib.store import cohorts
from lib.views import portfolio as logic
from lib.views import works_table as table_view
from lib.vocabulary import MISSING
from tests import portfolio_seed as seed


@pytest.fixture
def cache(tmp_path):
    path = tmp_path / "pf.duckdb"
    with store.connect(path) as con:
        seed.seed(con)
    return path


def table_for(path, name):
    with store.connect(path) as con:
        items = store.collection_items(con, name)
        works = store.works_wide(con, store.collection_keys(con, name, include_excluded=True))
        counts = cohorts.cohort_distributions(
            con,
            ["attention_score", "citations"],
            weights=weights_table(),
            citation_order=CITATION_ORDER,
        )
    references = {m: logic.reference_distribution_of(m, f) for m, f in counts.items()}
    # The seeded cache is tiny; these tests are about the mechanics, not the minimum cohort.
    return logic.portfolio_table(works, items, references=references, min_cohort=1)


def test_table_has_links_percentiles_reference_set_and_reasons(cache):
    table = table_for(cache, seed.FETCHED)
    assert table["key"].to_list() == ["10.1234/a.1", "10.1234/b.2", "pmid:123456"]
    alpha = table.row(0, named=True)
    assert alpha["doi_url"] == "https://doi.org/10.1234/a.1"
    assert alpha["pubmed_url"] == "https://pubmed.ncbi.nlm.nih.gov/111/"
    assert alpha["citations"] == 40  # OpenAlex first, not the maximum
    assert alpha["attention_score"] == pytest.approx(3 * 8 + 12 * 0.25)
    assert alpha["citations_cohort"] == "2020 works in this cache (n = 2)"
    assert alpha["citations_percentile"] == pytest.approx(75.0)  # Hazen: (1 + 0.5) / 2
    gamma = table.row(2, named=True)
    assert gamma["doi_url"] is None
    assert gamma["attention_score"] is None  # no attention count: missing, not zero
    assert gamma["quadrant"] == logic.NOT_PLACED
    assert alpha["author_position"] == "first"


def test_missing_reasons_name_the_source_and_why(cache):
    failed = table_for(cache, seed.FAILED).row(0, named=True)
    assert "OpenAlex: the lookup failed" in failed["missing_reason"]
    unfetched = table_for(cache, seed.UNFETCHED).row(0, named=True)
    assert "Altmetric: not fetched yet" in unfetched["missing_reason"]
    assert unfetched["citations"] is None


def test_display_frame_shows_missing_as_a_dash_and_keeps_zero(cache):
    display = table_view.display_frame(table_for(cache, seed.FETCHED))
    by_key = {r["key"]: r for r in display.iter_rows(named=True)}
    assert by_key["pmid:123456"]["attention_score"] == MISSING
    assert by_key["pmid:123456"]["citations"] == "0"  # a reported zero stays 0
    assert by_key["10.1234/b.2"]["rcr"] == MISSING
    assert by_key["10.1234/a.1"]["rcr"] == "2.5"
    assert display.schema[logic.CITATIONS_PERCENTILE] == pl.Float64  # bars stay numeric


def test_filters_combine(cache):
    table = table_for(cache, seed.FETCHED)
    assert table_view.filter_table(table, table_view.TableFilter(years=(2021, 2021))).height == 1
    assert table_view.filter_table(table, table_view.TableFilter(types=["review"]))[
        "key"
    ].to_list() == ["pmid:123456"]
    assert (
        table_view.filter_table(table, table_view.TableFilter(positions=["first", "last"])).height
        == 2
    )
    assert table_view.filter_table(table, table_view.TableFilter(positions=["unknown"])).height == 1
    assert table_view.filter_table(table, table_view.TableFilter(search="  BETA ")).height == 1
    assert (
        table_view.filter_table(table, table_view.TableFilter(search="alert(1")).height == 1
    )  # literal
    placed = table_view.filter_table(table, table_view.TableFilter(quadrants=[logic.NOT_PLACED]))
    assert placed["key"].to_list() == ["pmid:123456"]
    options = table_view.filter_options(table)
    assert options["years"] == [2020, 2021]
    assert options["types"] == ["article", "review"]


def test_sort_puts_missing_last_both_ways(cache):
    table = table_for(cache, seed.FETCHED)
    for descending in (True, False):
        ordered = table_view.sort_table(table, "attention_score", descending)
        assert ordered["attention_score"][-1] is None


def test_percentile_bins_place_every_work_once(cache):
    table = table_for(cache, seed.FETCHED)
    bins = logic.percentile_bins(table, logic.ATTENTION_PERCENTILE)
    assert bins["works"].sum() == table.height
    assert bins.filter(pl.col("bin") == "Not placed")["works"][0] == 1


def test_composition_sums_counts_and_skips_missing(cache):
    composition = logic.attention_composition(table_for(cache, seed.FETCHED))
    news = composition.filter(pl.col("metric") == "news_mentions").row(0, named=True)
    assert news["count"] == 3 and news["works"] == 2
    assert "views" not in composition["metric"].to_list()


def test_citations_by_year_keeps_reported_zero_years(cache):
    with store.connect(cache) as con:
        per_year = store.per_year_long(con, store.collection_keys(con, seed.FETCHED))
    source, series = logic.citations_by_year(per_year)
    assert source == "openalex"
    assert series["year"].to_list() == [2020, 2021, 2022]
    assert series["citations"].to_list() == [0, 15, 25]
    assert series["cumulative"].to_list() == [0, 15, 40]
    assert logic.citations_by_year(per_year.clear())[0] is None


def test_data_dates(cache):
    table = table_for(cache, seed.FETCHED)
    with store.connect(cache) as con:
        log = store.fetch_log_long(con, table["key"].to_list())
    dates = logic.data_dates(log)
    assert dates.filter(pl.col("source") == "openalex")["ok"][0] == 3
    assert logic.data_dates(log.clear()).is_empty()


def test_excluded_works_leave_the_table(cache):
    with store.connect(cache) as con:
        store.correct_item(con, seed.FETCHED, "10.1234/b.2", excluded=True)
    assert "10.1234/b.2" not in table_for(cache, seed.FETCHED)["key"].to_list()


def test_open_a_work_labels_tell_identical_titles_apart():
    """Issue 15.8: the picker showed titles only, so two 'Editorial' works looked the same."""
    table = pl.DataFrame(
        {
            "key": ["a", "b", "c"],
            "title": ["Editorial", "Editorial", None],
            "year": [2019, 2021, None],
            "journal": ["BMJ", "Lancet", None],
        }
    )
    labels = table_view.work_choice_labels(table)
    assert labels == {
        "a": "Editorial · 2019 · BMJ",
        "b": "Editorial · 2021 · Lancet",
        "c": "c · — · —",
    }
    assert len(set(labels.values())) == 3


def test_search_finds_a_work_by_doi_and_the_sorted_column_always_shows():
    """Issue 15 (what users expect): search by DOI/title/journal; filters by OA and journal."""
    table = pl.DataFrame(
        {
            "key": ["a", "b"],
            "title": ["Heart", "Lung"],
            "doi": ["10.1/abc", "10.2/xyz"],
            "pmid": [None, "123"],
            "journal": ["BMJ", "Thorax"],
            "oa_status": ["gold", None],
            "field": ["Cardiology", "Pulmonology"],
        }
    )
    assert table_view.filter_table(table, table_view.TableFilter(search="10.2/XYZ"))[
        "key"
    ].to_list() == ["b"]
    assert table_view.filter_table(table, table_view.TableFilter(search="thorax"))[
        "key"
    ].to_list() == ["b"]
    assert table_view.filter_table(table, table_view.TableFilter(oa_statuses=["gold"]))[
        "key"
    ].to_list() == ["a"]
    assert table_view.filter_table(table, table_view.TableFilter(journals=["Thorax"]))[
        "key"
    ].to_list() == ["b"]
    assert table_view.shown_columns(["year"], "citations") == ["title", "citations", "year"]
    assert table_view.shown_columns(["citations", "year"], "citations") == [
        "title",
        "citations",
        "year",
    ]
