"""Cohort distributions from DuckDB agree with the same distributions computed in Polars."""

from datetime import datetime

import polars as pl
import pytest

from lib.metrics import (
    CITATION_ORDER,
    ReferenceDistribution,
    percentiles_in_reference,
    weights_table,
    with_attention_score,
    with_citations,
)
from lib.store import (
    connect,
    replace_observations,
    save_collection,
    upsert_works,
    works_wide,
)
from lib.store.cohorts import cohort_distributions, compute_cohort_distributions

T1 = datetime(2026, 1, 1)
T2 = datetime(2026, 6, 1)


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "cohorts.duckdb"
    keys = [f"10.1/{i}" for i in range(12)]
    works = pl.DataFrame(
        {
            "key": keys,
            "doi": keys,
            "year": [2019] * 6 + [2020] * 5 + [None],
            "journal": ["A", "A", "B", "B", "B", "A", "A", "A", "B", "B", "B", "A"],
        }
    )
    rows = []
    for i, key in enumerate(keys):
        if i % 4 != 3:
            rows.append((key, "openalex", "citations_openalex", float(i * 3 % 7), T1))
        if i % 3 == 0:
            rows.append((key, "crossref", "citations_crossref", float(i), T1))
        if i % 2 == 0:
            rows.append((key, "altmetric", "x_posts", float(i), T1))
            rows.append((key, "altmetric", "mendeley_readers", 10.0, T1))
        if i in (1, 5):
            rows.append((key, "altmetric", "news_mentions", 1.0, T1))
            rows.append((key, "altmetric", "wikipedia_mentions", 4.0, T1))
        if i == 7:
            rows.append((key, "altmetric", "mendeley_readers", 3.0, T1))  # captures only: no score
    # The same metric from two sources: the later observation wins.
    rows.append((keys[0], "wikipedia", "wikipedia_mentions", 2.0, T2))
    observations = pl.DataFrame(
        rows, schema=["key", "source", "metric", "value", "as_of"], orient="row"
    )
    with connect(path) as con:
        upsert_works(con, works)
        replace_observations(con, observations)
        save_collection(
            con,
            "mine",
            pl.DataFrame({"input": keys[:8], "key": keys[:8], "status": "valid"}),
        )
    return path, keys


def polars_counts(frame: pl.DataFrame, measure: str, by: tuple[str, ...]) -> pl.DataFrame:
    return (
        frame.filter(pl.all_horizontal(pl.col(c).is_not_null() for c in by))
        .select(*by, pl.col(measure).alias("value"))
        .drop_nulls()
        .group_by(*by, "value")
        .agg(n=pl.len().cast(pl.Int64))
        .sort(*by, "value")
    )


@pytest.mark.parametrize("by", [("year",), ("year", "journal")])
def test_duckdb_counts_equal_polars_counts(db, by):
    path, keys = db
    with connect(path) as con:
        frame = with_citations(with_attention_score(works_wide(con, keys)))
        got = compute_cohort_distributions(
            con,
            ["attention_score", "citations", "x_posts"],
            by=by,
            weights=weights_table(),
            citation_order=CITATION_ORDER,
        )
    for measure in ("attention_score", "citations", "x_posts"):
        ours = got.filter(pl.col("measure") == measure).drop("measure").sort(*by, "value")
        expected = polars_counts(frame, measure, by)
        assert (
            ours.select(*by, "value", "n").cast({c: expected[c].dtype for c in by}).equals(expected)
        ), measure


def test_cached_counts_are_reused_and_refreshed_when_the_cache_changes(db):
    path, keys = db
    args = dict(weights=weights_table(), citation_order=CITATION_ORDER)
    with connect(path) as con:
        first = cohort_distributions(con, ["citations"], **args)["citations"]
        stored = con.sql("SELECT count(*) FROM cohort_distribution").fetchall()[0][0]
        assert stored == first.height
        again = cohort_distributions(con, ["citations"], **args)["citations"]
        assert again.equals(first)
        replace_observations(
            con,
            pl.DataFrame(
                {
                    "key": [keys[3]],
                    "source": ["openalex"],
                    "metric": ["citations_openalex"],
                    "value": [99.0],
                    "as_of": [T2],
                }
            ),
        )
        changed = cohort_distributions(con, ["citations"], **args)["citations"]
        assert changed.filter(pl.col("value") == 99.0)["n"].to_list() == [1]
        assert (
            con.sql("SELECT count(DISTINCT fingerprint) FROM cohort_distribution").fetchall()[0][0]
            == 1
        )


def test_collection_reference_and_percentiles_from_stored_counts(db):
    path, keys = db
    with connect(path) as con:
        counts = cohort_distributions(
            con, ["citations"], collection="mine", citation_order=CITATION_ORDER
        )["citations"]
        frame = with_citations(works_wide(con, keys))
    assert counts["n"].sum() == frame.head(8).filter(pl.col("citations").is_not_null()).height
    reference = ReferenceDistribution("citations", ("year",), counts, place="in this collection")
    from_db = percentiles_in_reference(frame, reference)
    from_frame = percentiles_in_reference(
        frame, frame.head(8), "citations", place="in this collection"
    )
    assert from_db.equals(from_frame)


def test_weights_change_the_attention_spec(db):
    path, _ = db
    with connect(path) as con:
        default = cohort_distributions(con, ["attention_score"], weights=weights_table())
        heavier = cohort_distributions(
            con, ["attention_score"], weights=weights_table({"x_posts": 1.0})
        )

    def total(counts: pl.DataFrame) -> float:
        return counts.select((pl.col("value") * pl.col("n")).sum()).item()

    assert total(default["attention_score"]) < total(heavier["attention_score"])
