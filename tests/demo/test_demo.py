"""The demo generator: deterministic, fictional, every category present, gaps modelled honestly."""

import json
import re
import time
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from lib.demo import (
    SCALE_COLLECTIONS,
    UPLOAD_NAME,
    build_demo,
    build_scale,
    demo_frames,
    is_demo_database,
)
from lib.demo.model import MARGINALS, simulate_counts
from lib.demo.sources import PROVISIONAL
from lib.demo.works import PROFILES, orcid_check_digit
from lib.store import (
    collection_items,
    collection_keys,
    connect,
    list_collections,
    per_year_long,
    works_wide,
)
from lib.vocabulary import CATEGORIES, METRICS, SUPPLIED_BY
from tests.sql import query

DOI = re.compile(r"^10\.5555/demo\.\d{4}\.\d{5}$")


@pytest.fixture(scope="module")
def data():
    return demo_frames()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    with connect(path) as con:
        build_demo(con)
    return path


def test_same_seed_same_frames_other_seed_differs(data):
    again = demo_frames()
    for name in ("works", "observations", "fetch_log", "per_year"):
        assert_frame_equal(getattr(data, name), getattr(again, name))
    for mine, theirs in zip(data.collections, again.collections, strict=True):
        assert_frame_equal(mine.items, theirs.items)
    other = demo_frames(seed=1)
    assert not other.observations.equals(data.observations)


def test_every_metric_is_canonical_and_every_category_present(data):
    metrics = set(data.observations["metric"].unique())
    assert metrics <= set(METRICS)
    assert {METRICS[m].category for m in metrics} == set(CATEGORIES)
    for source in ("openalex", "icite", "crossref", "europepmc", "semanticscholar", "altmetric"):
        names = set(data.observations.filter(pl.col("source") == source)["metric"].unique())
        assert names and names <= set(SUPPLIED_BY[source]), source


def test_works_are_clearly_fictional(data):
    works = data.works
    assert works["key"].is_unique().all()
    assert works["doi"].str.contains(DOI.pattern).all()
    assert (works["key"] == works["doi"]).all()
    assert works["title"].str.ends_with(" [fictional]").all()
    assert works["is_demo"].all()
    pmids = works["pmid"].drop_nulls()
    assert pmids.str.contains(r"^9\d{7}$").all()
    assert 0 < pmids.len() < works.height
    assert works["year"].max() <= 2026 and works["pub_date"].dt.year().eq(works["year"]).all()


def test_portfolios_and_upload(data):
    portfolios = [c for c in data.collections if c.kind == "portfolio"]
    assert [c.name for c in portfolios] == [p.person for p in PROFILES]
    for collection in portfolios:
        assert "(fictional)" in collection.name
        assert 25 <= collection.items.height <= 200
        assert collection.meta["fictional"] is True
        orcid = collection.meta["orcid"].replace("-", "")
        assert orcid_check_digit(orcid[:15]) == orcid[15]
        positions = set(collection.items["author_position"].unique())
        assert positions <= {"first", "last", "middle", "corresponding"}
    (upload,) = [c for c in data.collections if c.kind == "upload"]
    items = upload.items
    assert upload.name == UPLOAD_NAME and 1900 <= items.height <= 2100
    assert items["position"].to_list() == list(range(1, items.height + 1))
    invalid = items.filter(pl.col("status") == "invalid")
    assert invalid.height > 0 and invalid["reason"].is_not_null().all()
    assert invalid["key"].is_null().all()
    duplicates = items.filter(pl.col("status") == "duplicate")
    firsts = duplicates.join(items, left_on="duplicate_of", right_on="position", suffix="_first")
    assert duplicates.height > 0 and firsts.height == duplicates.height
    assert (firsts["key"] == firsts["key_first"]).all()
    assert (firsts["status_first"] == "valid").all()
    extra = json.loads(items.filter(pl.col("status") == "valid")["extra"][0])
    assert {"Source title", "Cited by", "Document Type"} <= set(extra)


def test_missingness_rules(data):
    log, obs = data.fetch_log, data.observations
    no_altmetric = log.filter(pl.col("source") == "altmetric", pl.col("status") == "not_found")
    assert no_altmetric.height > 0
    assert obs.filter(pl.col("source") == "altmetric").join(no_altmetric, on="key").is_empty()
    no_pmid = data.works.filter(pl.col("pmid").is_null()).select("key")
    icite = log.filter(pl.col("source") == "icite").join(no_pmid, on="key")
    assert icite.height == no_pmid.height and (icite["status"] == "skipped").all()
    assert obs.filter(pl.col("source") == "icite").join(no_pmid, on="key").is_empty()
    errors = log.filter(pl.col("status") == "error")
    assert set(errors["source"]) == {"semanticscholar"}
    assert set(errors["http_status"]) == {429, 503} and errors["message"].is_not_null().all()
    assert obs.filter(pl.col("source") == "semanticscholar").join(errors, on="key").is_empty()
    assert obs["value"].is_not_null().all()
    recent = data.works.filter(pl.col("year") >= 2025, pl.col("pmid").is_not_null())
    flagged = log.filter(pl.col("source") == "icite", pl.col("message") == PROVISIONAL)
    assert set(flagged["key"]) == set(recent["key"])


def test_yearly_series(data):
    series, obs = data.per_year, data.observations
    assert set(series["metric"]) == {"citations", "attention"}
    assert (series.filter(pl.col("source") != "icite")["value"] > 0).all()
    icite_totals = (
        series.filter(pl.col("source") == "icite").group_by("key").agg(pl.col("value").sum())
    )
    counts = obs.filter(pl.col("metric") == "citations_icite").select("key", "value")
    joined = icite_totals.join(counts, on="key", suffix="_total")
    assert joined.height == counts.height
    assert (joined["value"] == joined["value_total"]).all()
    assert (series.filter(pl.col("source") == "icite")["value"] == 0).any()


def test_build_demo_writes_everything(db: Path, data):
    with connect(db) as con:
        assert is_demo_database(con)
        collections = list_collections(con)
        assert collections.height == 7
        assert set(collections["kind"]) == {"portfolio", "upload"}
        assert collections["is_demo"].all()
        keys = collection_keys(con, PROFILES[0].person)
        wide = works_wide(con, keys)
        items = collection_items(con, UPLOAD_NAME)
        series = per_year_long(con, keys)
        n_obs = query(con, "SELECT count(*) AS n FROM observation")["n"][0]
    assert n_obs == data.observations.height
    assert wide.height == PROFILES[0].works and series.height > 0
    missing = wide.filter(pl.col("altmetric_status") == "not_found")
    assert missing.height > 0
    attention = missing.select(
        pl.col("x_accounts", "altmetric_score", "news_mentions").is_null().all()
    )
    assert all(attention.row(0))
    found = wide.filter(pl.col("altmetric_status") == "ok")
    assert found["x_accounts"].is_not_null().all()
    assert items.filter(pl.col("status") == "duplicate").height > 0


def test_marginals_follow_their_targets():
    rng = np.random.default_rng(3)
    counts = simulate_counts(rng, rng.integers(2003, 2011, 40_000), current_year=2011)
    for metric, marginal in MARGINALS.items():
        zeros = float((counts[metric] == 0).mean())
        assert zeros == pytest.approx(marginal.zero_share, abs=0.015), metric


def test_scale_is_fast_consistent_and_replaces(tmp_path: Path):
    with connect(tmp_path / "scale.duckdb") as con:
        started = time.perf_counter()
        counts = build_scale(con, 10_000, seed=2)
        elapsed = time.perf_counter() - started
        again = build_scale(con, 10_000, seed=2)
        works = query(con, "SELECT count(*) AS n, count(DISTINCT key) AS k FROM work").row(0)
        collections = list_collections(con)
        statuses = query(con, "SELECT count(DISTINCT key) AS n FROM fetch_log")["n"][0]
    assert elapsed < 120  # a gross-regression guard only; bench/ measures speed
    assert counts["works"] == again["works"] == 10_000 and works == (10_000, 10_000)
    assert counts["observations"] == again["observations"] > 10 * 10_000
    assert statuses == 10_000
    sizes = dict(collections.select("name", "works").iter_rows())
    for name, _, size in SCALE_COLLECTIONS:
        assert sizes[name] == min(size, 10_000)
