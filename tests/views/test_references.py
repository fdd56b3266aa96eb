"""Issue 15.6: the default reference set mixed fictional and real works ("percentile 77 among 2004
works in this cache (n = 11)" for a real paper among demo ones). Real works are placed among real
works only; demo works among demo works."""

from datetime import datetime

import polars as pl

from lib import demo, store
from lib.metrics import ATTENTION_SCORE, CITATIONS, percentiles_in_reference, with_citations
from lib.views.references import cache_references, is_demo_set


def test_real_works_are_never_placed_among_demo_works(tmp_path):
    with store.connect(tmp_path / "mixed.duckdb") as con:
        demo.build_demo(con)
        demo_keys = store.collection_keys(con, "Dr. Ada Example (fictional)")
        demo_works = store.works_wide(con, demo_keys)
        store.upsert_works(con, pl.DataFrame({"key": ["10.1234/real.1"], "year": [2015]}))
        store.replace_observations(
            con,
            pl.DataFrame(
                {
                    "key": ["10.1234/real.1"],
                    "source": ["openalex"],
                    "metric": ["citations_openalex"],
                    "value": [5.0],
                    "as_of": [datetime(2026, 12, 1)],
                }
            ),
        )
        real = cache_references(con, None, demo=False)
        fictional = cache_references(con, None, demo=True)
    assert is_demo_set(demo_works) and not is_demo_set(pl.DataFrame({"is_demo": [True, False]}))
    demo_total = int(fictional[CITATIONS].counts["n"].sum())
    assert demo_total > 100
    # Only the one real work, never the thousands of demo works; it has no attention data.
    assert int(real[CITATIONS].counts["n"].sum()) == 1
    assert int(real[ATTENTION_SCORE].counts["n"].sum()) == 0
    placed = percentiles_in_reference(
        with_citations(demo_works.head(3)), fictional[CITATIONS], CITATIONS
    )
    assert placed[f"{CITATIONS}_cohort"].drop_nulls().str.contains("fictional works").all()


def test_portfolio_and_compare_put_every_work_in_the_same_quadrant(tmp_path):
    """Issue 15.1: Portfolio and Compare counted 4/42 and 6/40 for the same person's quadrant."""
    from datetime import date

    from lib.views import portfolio as logic
    from lib.views.compare import build_comparison, default_candidate
    from lib.views.compare_data import load_candidates

    name = "Dr. Ada Example (fictional)"
    with store.connect(tmp_path / "demo.duckdb") as con:
        demo.build_demo(con)
        keys = store.collection_keys(con, name, include_excluded=True)
        works = store.works_wide(con, keys)
        items = store.collection_items(con, name)
        references = cache_references(con, None, demo=is_demo_set(works))
        loaded = load_candidates(con, [name, "Dr. Clara Sample (fictional)"])
    table = logic.portfolio_table(works, items, references=references)
    frame = loaded["works"]
    candidates = [
        default_candidate(n, loaded["metas"].get(n), frame.filter(pl.col("candidate") == n))
        for n in (name, "Dr. Clara Sample (fictional)")
    ]
    comparison = build_comparison(
        frame,
        candidates,
        today=date(2026, 12, 2),
        attention_reference=loaded["reference"],
        citation_reference=loaded["citation_reference"],
    )
    on_portfolio = (
        table.filter(pl.col("quadrant") != logic.NOT_PLACED)
        .group_by("quadrant")
        .len()
        .sort("quadrant")
        .rows()
    )
    on_compare = (
        comparison.quadrant_counts.filter(
            (pl.col("candidate") == name) & pl.col("quadrant").is_not_null()
        )
        .select("quadrant", pl.col("works").cast(pl.UInt32))
        .sort("quadrant")
        .rows()
    )
    assert on_portfolio == on_compare
    assert sum(n for _, n in on_portfolio) > 20
