import subprocess
import sys
import textwrap
import threading
from datetime import datetime, timedelta

import polars as pl
import pytest

from lib import store
from lib.store.migrations import MIGRATIONS
from lib.vocabulary import METRIC_NAMES, WEB_SOURCES

NOW = datetime(2026, 11, 20, 12, 0)


def obs(key, source, metric, value, as_of=NOW):
    return {"key": key, "source": source, "metric": metric, "value": value, "as_of": as_of}


def test_migrations_apply_once_and_are_recorded(tmp_path):
    path = tmp_path / "cache.duckdb"
    with store.connect(path) as con:
        assert store.applied_migrations(con) == [name for name, _ in MIGRATIONS]
        assert store.apply_migrations(con) == []


def test_upsert_fills_in_metadata_without_erasing(tmp_path):
    with store.connect(tmp_path / "c.duckdb") as con:
        store.upsert_works(
            con, pl.DataFrame({"key": ["10.5555/a"], "title": ["A"], "year": [2020]})
        )
        store.upsert_works(
            con, pl.DataFrame({"key": ["10.5555/a"], "title": [None], "pmid": ["123"]})
        )
        row = store.works_frame(con, ["10.5555/a"]).row(0, named=True)
    assert (row["title"], row["year"], row["pmid"]) == ("A", 2020, "123")


def test_refetch_replaces_a_sources_values_and_keeps_history(tmp_path):
    with store.connect(tmp_path / "c.duckdb") as con:
        store.replace_observations(
            con, pl.DataFrame([obs("k", "openalex", "citations_openalex", 3.0)])
        )
        later = NOW + timedelta(days=1)
        store.replace_observations(
            con, pl.DataFrame([obs("k", "openalex", "citations_openalex", 5.0, later)])
        )
        latest = store.observations_long(con, ["k"])
        history = store.observation_history(con, "k")
    assert latest["value"].to_list() == [5.0]
    assert history["value"].to_list() == [3.0, 5.0]


def test_works_wide_keeps_missing_apart_from_zero(tmp_path):
    with store.connect(tmp_path / "c.duckdb") as con:
        store.upsert_works(con, pl.DataFrame({"key": ["a", "b"]}))
        store.replace_observations(con, pl.DataFrame([obs("a", "altmetric", "x_posts", 0.0)]))
        store.record_fetch_outcomes(
            con,
            pl.DataFrame(
                [
                    {"key": "a", "source": "altmetric", "status": "ok", "fetched_at": NOW},
                    {"key": "b", "source": "altmetric", "status": "not_found", "fetched_at": NOW},
                ]
            ),
        )
        wide = store.works_wide(con, ["b", "a", "unknown"])
    assert wide["key"].to_list() == ["b", "a", "unknown"]
    assert wide["x_posts"].to_list() == [None, 0.0, None]
    assert wide["altmetric_status"].to_list() == ["not_found", "ok", None]
    assert set(METRIC_NAMES) <= set(wide.columns)
    assert {f"{s}_status" for s in WEB_SOURCES} <= set(wide.columns)


def test_newest_observation_wins_when_two_sources_supply_a_metric(tmp_path):
    with store.connect(tmp_path / "c.duckdb") as con:
        store.replace_observations(
            con,
            pl.DataFrame(
                [
                    obs("a", "plos_alm", "mendeley_readers", 4.0, NOW - timedelta(days=900)),
                    obs("a", "altmetric", "mendeley_readers", 9.0, NOW),
                ]
            ),
        )
        assert store.works_wide(con, ["a"])["mendeley_readers"].item() == 9.0


def test_collection_resave_keeps_corrections(tmp_path):
    items = pl.DataFrame(
        {
            "input": ["10.5555/a", "nope"],
            "key": ["10.5555/a", None],
            "status": ["valid", "invalid"],
            "reason": [None, "not an identifier"],
        }
    )
    with store.connect(tmp_path / "c.duckdb") as con:
        store.save_collection(con, "mine", items, kind="portfolio")
        store.correct_item(con, "mine", "10.5555/a", author_position="last")
        store.correct_item(con, "mine", "10.5555/a", excluded=True)
        store.save_collection(con, "mine", items, kind="portfolio")
        listed = store.collection_items(con, "mine")
        assert listed["author_position"].to_list() == ["last", None]
        assert listed["excluded"].to_list() == [True, False]
        assert store.collection_keys(con, "mine") == []
        assert store.collection_keys(con, "mine", include_excluded=True) == ["10.5555/a"]
        # Issue 15.8: the sidebar and Compare chips counted removed works.
        assert store.list_collections(con)["works"].to_list() == [0]
        store.correct_item(con, "mine", "10.5555/a", excluded=False)
        assert store.list_collections(con)["works"].to_list() == [1]


def test_parameters_are_never_spliced_into_sql(tmp_path):
    nasty = "x'); DROP TABLE work; --"
    with store.connect(tmp_path / "c.duckdb") as con:
        store.save_collection(con, nasty, pl.DataFrame({"input": [nasty], "status": ["invalid"]}))
        assert store.get_collection(con, nasty)["name"] == nasty
        assert store.cache_summary(con)["works"] == 0


def test_threads_each_get_their_own_connection(tmp_path):
    path = tmp_path / "c.duckdb"
    with store.connect(path) as con:
        store.upsert_works(con, pl.DataFrame({"key": [f"k{i}" for i in range(100)]}))
    errors, counts = [], []

    def read():
        try:
            for _ in range(20):
                with store.connect(path) as con:
                    counts.append(store.cache_summary(con)["works"])
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=read) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert set(counts) == {100}


WRITER = textwrap.dedent(
    """
    import sys, time, polars as pl
    from lib import store
    path, start = sys.argv[1], int(sys.argv[2])
    for i in range(start, start + 15):
        with store.connect(path) as con:
            store.upsert_works(con, pl.DataFrame({"key": [f"w{i}"]}))
            time.sleep(0.02)
    """
)


def test_two_processes_write_the_same_file_taking_turns(tmp_path):
    path = tmp_path / "shared.duckdb"
    with store.connect(path):
        pass
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(start)])
        for start in (0, 100)
    ]
    for proc in procs:
        assert proc.wait(timeout=120) == 0
    with store.connect(path) as con:
        assert store.cache_summary(con)["works"] == 30


def test_a_held_lock_is_reported_clearly_after_the_timeout(tmp_path):
    path = tmp_path / "held.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; c = duckdb.connect({str(path)!r}); print('held', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with (
            pytest.raises(store.DatabaseLocked, match="in use by another process"),
            store.connect(path, lock_timeout=0.5),
        ):
            pass
    finally:
        holder.kill()
        holder.wait()


def test_read_model_agrees_with_pivoting_the_observations(tmp_path):
    rows = [
        obs("a", "openalex", "citations_openalex", 7.0),
        obs("a", "plos_alm", "mendeley_readers", 4.0, NOW - timedelta(days=9)),
        obs("a", "altmetric", "mendeley_readers", 9.0),
        obs("b", "altmetric", "news_mentions", 0.0),
    ]
    with store.connect(tmp_path / "c.duckdb") as con:
        store.upsert_works(con, pl.DataFrame({"key": ["a", "b", "c"]}))
        store.replace_observations(con, pl.DataFrame(rows))
        first = store.works_wide(con, ["a", "b", "c"])
        store.replace_observations(con, pl.DataFrame([obs("b", "altmetric", "news_mentions", 2.0)]))
        second = store.works_wide(con, ["a", "b", "c"])
        expected = store.pivot_metrics(store.observations_long(con, ["a", "b", "c"]))
    assert first["mendeley_readers"].to_list() == [9.0, None, None]
    assert first["news_mentions"].to_list() == [None, 0.0, None]
    assert second["news_mentions"].to_list() == [None, 2.0, None]
    compared = second.select(expected.columns).filter(pl.col("key") != "c").sort("key")
    assert compared.equals(expected.sort("key"))


def test_icites_own_provisional_flag_reaches_the_citation_indicators(tmp_path):
    from datetime import date

    from lib.metrics import citation_indicators

    log = [
        {
            "key": "a",
            "source": "icite",
            "status": "ok",
            "fetched_at": NOW,
            "message": "provisional RCR",
        },
        {"key": "b", "source": "icite", "status": "ok", "fetched_at": NOW, "message": ""},
    ]
    with store.connect(tmp_path / "c.duckdb") as con:
        store.upsert_works(con, pl.DataFrame({"key": ["a", "b", "c"], "year": [2015, 2026, 2026]}))
        store.replace_observations(
            con, pl.DataFrame([obs(k, "icite", "rcr", 1.2) for k in ("a", "b", "c")])
        )
        store.record_fetch_outcomes(con, pl.DataFrame(log))
        wide = store.works_wide(con, ["a", "b", "c"])
    assert wide["icite_rcr_provisional"].to_list() == [True, False, None]
    flags = citation_indicators(wide, today=date(2026, 11, 23))["rcr_provisional"].to_list()
    # iCite's word wins over the year rule; without iCite's word, the year rule applies.
    assert flags == [True, False, True]
