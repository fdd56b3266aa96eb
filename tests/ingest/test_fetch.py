"""Ingestion end to end: the real source modules, a real DuckDB file, the mock API over loopback."""

from __future__ import annotations

import dataclasses
import os
import re
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import polars as pl
import pytest

from lib import ingest, store
from lib.ingest.batches import utc_now
from lib.settings import Settings
from lib.sources.transport import FALLBACK_SOURCE_CONCURRENCY
from tests.fake_time import fast_http
from tests.mockapi import cites, pmid_for_doi
from tests.sql import query

REPO = Path(__file__).resolve().parents[2]
SECRET = "oa-live-key-5d41402abc4b2a76b9719d911017c592"
CORE = ["openalex", "europepmc", "crossref", "icite"]


def settings_for(api, **changes) -> Settings:
    env = {**api.environ(), "TRIANGULATE_MAILTO": "lib@example.org", "OPENALEX_API_KEY": SECRET}
    env |= {f"TRIANGULATE_{s.upper()}_RATE": "200" for s in ingest.WORK_SOURCES}
    return dataclasses.replace(Settings.from_mapping(env), **changes)


def dois(n: int, prefix: str = "10.5555/t") -> list[str]:
    return [f"{prefix}{i}" for i in range(n)]


def save(db: Path, name: str, keys: list[str]) -> None:
    items = pl.DataFrame({"input": keys, "key": keys, "status": ["valid"] * len(keys)})
    with store.connect(db) as con:
        store.save_collection(con, name, items)


def table(db: Path, sql: str) -> pl.DataFrame:
    with store.connect(db) as con:
        return query(con, sql)


def assert_nothing_twice(db: Path) -> None:
    obs = table(
        db, "SELECT key, source, metric, count(*) n FROM observation GROUP BY ALL HAVING n > 1"
    )
    log = table(db, "SELECT key, source, count(*) n FROM fetch_log GROUP BY ALL HAVING n > 1")
    years = table(
        db, "SELECT key, source, metric, year, count(*) n FROM per_year GROUP BY ALL HAVING n > 1"
    )
    assert obs.is_empty() and log.is_empty() and years.is_empty()


def statuses(db: Path, source: str) -> dict[str, str]:
    frame = table(db, f"SELECT key, status FROM fetch_log WHERE source = '{source}'")
    return dict(zip(frame["key"], frame["status"], strict=True))


def metric(db: Path, name: str) -> dict[str, float]:
    frame = table(db, f"SELECT key, value FROM observation WHERE metric = '{name}'")
    return dict(zip(frame["key"], frame["value"], strict=True))


def test_enriches_a_collection_from_four_sources_and_stores_each_value_once(mock_api, tmp_path):
    db, keys = tmp_path / "t.duckdb", dois(120)
    save(db, "c", keys)
    events = []
    summary = ingest.fetch_collection(
        db, "c", sources=CORE, settings=settings_for(mock_api), on_progress=events.append
    )
    by_source = {s.source: s for s in summary.sources}
    assert {s: by_source[s].ok for s in ("openalex", "europepmc", "crossref")} == dict.fromkeys(
        ("openalex", "europepmc", "crossref"), 120
    )
    with_pmid = [k for k in keys if pmid_for_doi(k, 0.8)]
    assert by_source["icite"].ok == len(with_pmid) and by_source["icite"].skipped == 120 - len(
        with_pmid
    )
    assert {s: by_source[s].requests for s in CORE} == {
        "openalex": 2,  # 100 DOIs per OR filter (the documented limit)
        "europepmc": 3,
        "crossref": 3,
        "icite": 1,
    }
    assert metric(db, "citations_openalex") == {k: float(cites(k, "openalex")) for k in keys}
    assert_nothing_twice(db)
    assert events and events[-1].done == events[-1].total == 480
    pmids = table(db, "SELECT key, pmid FROM work WHERE pmid IS NOT NULL")
    assert dict(zip(pmids["key"], pmids["pmid"], strict=True)) == {
        k: pmid_for_doi(k, 0.8) for k in with_pmid
    }
    text = ingest.format_summary(summary)
    assert "OpenAlex" in text and "NIH iCite" in text and "Fetch finished" in text
    assert "%" in ingest.format_progress(events[-1])


def test_a_rerun_within_freshness_sends_nothing_and_stale_data_is_refetched(mock_api, tmp_path):
    db, keys = tmp_path / "t.duckdb", dois(60)
    settings = settings_for(mock_api)
    ingest.fetch_works(db, keys, sources=CORE, settings=settings)
    mock_api.reset_counts()
    again = ingest.fetch_works(db, keys, sources=CORE, settings=settings)
    assert mock_api.requests() == []  # skipped iCite works are re-planned but need no request
    assert again.up_to_date["openalex"] == 60
    later = utc_now() + timedelta(days=8)  # OpenAlex/Crossref/Europe PMC: 7 days; iCite 30
    ingest.fetch_works(db, keys, sources=CORE, settings=settings, now=later)
    asked = {r.source for r in mock_api.requests()}
    assert asked == {"openalex", "europepmc", "crossref"}
    assert_nothing_twice(db)


def test_not_found_waits_for_its_retry_period_and_errors_are_retried_next_run(mock_api, tmp_path):
    db, keys = tmp_path / "t.duckdb", dois(10)
    settings = settings_for(mock_api)
    mock_api.behave("openalex", missing=frozenset(keys[:2]))
    mock_api.behave("crossref", down=True)
    ingest.fetch_works(
        db, keys, sources=["openalex", "crossref"], settings=settings, http_options=fast_http()
    )
    assert [statuses(db, "openalex")[k] for k in keys[:3]] == ["not_found", "not_found", "ok"]
    assert set(statuses(db, "crossref").values()) == {"error"}
    mock_api.behave("crossref", down=False)
    mock_api.reset_counts()
    ingest.fetch_works(db, keys, sources=["openalex", "crossref"], settings=settings)
    assert mock_api.id_counts("openalex") == {}
    assert set(mock_api.id_counts("crossref")) == set(keys)
    assert set(statuses(db, "crossref").values()) == {"ok"}
    later = utc_now() + timedelta(days=31)
    mock_api.reset_counts()
    ingest.fetch_works(
        db,
        keys[:3],
        sources=["openalex"],
        settings=dataclasses.replace(settings, freshness_days={"openalex": 60}),
        now=later,
    )
    assert set(mock_api.id_counts("openalex")) == set(keys[:2])


def test_a_source_down_for_the_whole_run_does_not_stop_the_others(
    mock_api, tmp_path, monkeypatch, capsys
):
    db, keys = tmp_path / "t.duckdb", dois(40)
    save(db, "c", keys)
    mock_api.behave("europepmc", down=True)
    for name, value in {**mock_api.environ(), "TRIANGULATE_EUROPEPMC_BATCH": "5"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    from lib import cli

    started = time.monotonic()
    code = cli.main(
        ["fetch", "--collection", "c", "--sources", "openalex,europepmc,icite", "--db", str(db)]
    )
    captured = capsys.readouterr()
    out = captured.out
    # a requested source that answered nothing makes the run a failure (exit 1), said in words
    assert code == 1
    assert "Unreachable this run: Europe PMC" in out and "HTTP 503" in out
    assert "no lookup succeeded for Europe PMC" in captured.err
    assert set(statuses(db, "europepmc").values()) == {"error"}
    assert set(statuses(db, "openalex").values()) == {"ok"}
    assert "ok" in statuses(db, "icite").values()
    # the breaker stops a dead source after 10 failed attempts (plus those already in flight)
    # instead of retrying each of its 8 requests 5 times
    assert len(mock_api.requests("europepmc")) <= 10 + FALLBACK_SOURCE_CONCURRENCY
    assert time.monotonic() - started < 30


@pytest.mark.parametrize(
    ("switch", "reason"),
    [({"truncate_rate": 1.0}, "malformed JSON"), ({"html_rate": 1.0}, "HTML page")],
)
def test_broken_bodies_become_clear_per_work_errors(mock_api, tmp_path, switch, reason):
    db, keys = tmp_path / "t.duckdb", dois(5)
    mock_api.behave("crossref", **switch)
    ingest.fetch_works(
        db,
        keys,
        sources=["openalex", "crossref"],
        settings=settings_for(mock_api),
        http_options=fast_http(),
    )
    log = table(
        db, "SELECT key, status, http_status, message FROM fetch_log WHERE source = 'crossref'"
    )
    assert log["status"].to_list() == ["error"] * 5 and set(log["http_status"]) == {200}
    assert all(reason in m for m in log["message"])
    assert set(statuses(db, "openalex").values()) == {"ok"}
    raw = table(db, "SELECT body FROM raw WHERE source = 'crossref'")
    assert raw.height == 1  # the broken body is kept verbatim for inspection


def test_results_out_of_order_duplicated_or_missing_land_on_the_right_work(mock_api, tmp_path):
    db, keys = tmp_path / "t.duckdb", dois(30)
    missing = frozenset(keys[::7])
    for source in ("openalex", "crossref", "europepmc"):
        mock_api.behave(source, shuffle=True, duplicate=True, missing=missing)
    ingest.fetch_works(
        db, keys, sources=["openalex", "crossref", "europepmc"], settings=settings_for(mock_api)
    )
    for source in ("openalex", "crossref", "europepmc"):
        got = statuses(db, source)
        assert {k for k, s in got.items() if s == "not_found"} == set(missing)
        values = metric(db, f"citations_{source}")
        assert values == {k: float(cites(k, source)) for k in keys if k not in missing}
    assert_nothing_twice(db)


def test_dois_answered_in_odd_case_or_with_a_trailing_period_still_match(mock_api, tmp_path):
    db, keys = tmp_path / "t.duckdb", dois(6, "10.1056/NEJMoa")
    keys = [k.lower() for k in keys]
    mock_api.behave("crossref", doi_case="upper", doi_trailing=".")
    mock_api.behave("openalex", doi_case="upper")
    ingest.fetch_works(db, keys, sources=["openalex", "crossref"], settings=settings_for(mock_api))
    assert set(statuses(db, "crossref").values()) == {"ok"}
    assert set(statuses(db, "openalex").values()) == {"ok"}
    assert table(db, "SELECT doi FROM work ORDER BY key")["doi"].to_list() == sorted(keys)


def test_a_pmid_that_is_a_dois_digits_stays_a_different_work(mock_api, tmp_path):
    db = tmp_path / "t.duckdb"
    keys = ["10.1000/12345678", "pmid:12345678"]
    ingest.fetch_works(db, keys, sources=["openalex", "europepmc"], settings=settings_for(mock_api))
    values = metric(db, "citations_openalex")
    assert values == {
        "10.1000/12345678": cites("10.1000/12345678", "openalex"),
        "pmid:12345678": cites("pmid:12345678", "openalex"),
    }
    works = table(db, "SELECT key, pmid FROM work ORDER BY key")
    assert dict(zip(works["key"], works["pmid"], strict=True))["pmid:12345678"] == "12345678"
    assert dict(zip(works["key"], works["pmid"], strict=True))["10.1000/12345678"] != "12345678"


def test_an_empty_collection_fetches_nothing(mock_api, tmp_path):
    db = tmp_path / "t.duckdb"
    save(db, "empty", [])
    summary = ingest.fetch_collection(db, "empty", settings=settings_for(mock_api))
    assert summary.works == 0 and summary.sources == () and mock_api.requests() == []
    assert "Nothing to fetch" in ingest.format_summary(summary)
    with pytest.raises(ingest.UnknownCollection):
        ingest.fetch_collection(db, "nope", settings=settings_for(mock_api))


def test_keys_are_redacted_in_raw_requests_and_fetch_log(mock_api, tmp_path):
    db, keys = tmp_path / "t.duckdb", dois(8)
    settings = dataclasses.replace(settings_for(mock_api), batch_sizes={"openalex": 4})
    mock_api.behave("openalex", error_first=5, error_status=500)  # first request fails for good
    one_at_a_time = {**fast_http(), "source_concurrency": {"openalex": 1}}
    ingest.fetch_works(
        db, keys, sources=["openalex"], settings=settings, http_options=one_at_a_time
    )
    assert SECRET in mock_api.requests("openalex")[0].query  # the key was really sent
    raw = table(db, "SELECT request, body FROM raw")
    log = table(db, "SELECT message FROM fetch_log WHERE message IS NOT NULL")
    assert set(statuses(db, "openalex").values()) == {"ok", "error"}
    stored = " ".join(
        raw["request"].to_list() + raw["body"].drop_nulls().to_list() + log["message"].to_list()
    )
    assert SECRET not in stored and "api_key=***" in stored


def test_cancel_keeps_what_was_fetched_and_a_rerun_fetches_the_rest(mock_api, tmp_path):
    db, keys = tmp_path / "t.duckdb", dois(60)
    # One at a time at 4 requests a second, 12 requests cannot all finish before the first
    # progress event, however loaded the machine (latency alone raced it).
    base = settings_for(mock_api)
    settings = dataclasses.replace(
        base, batch_sizes={"openalex": 5}, rates={**base.rates, "openalex": 4.0}
    )
    mock_api.behave("openalex", latency=0.2)
    cancel = threading.Event()

    def stop_early(event):
        if event.done >= 5:
            cancel.set()

    summary = ingest.fetch_works(
        db,
        keys,
        sources=["openalex"],
        settings=settings,
        on_progress=stop_early,
        cancel=cancel,
        http_options={"source_concurrency": {"openalex": 1}},
    )
    fetched = set(statuses(db, "openalex"))
    assert summary.cancelled and 5 <= len(fetched) < 60
    assert "cancelled" in ingest.format_summary(summary)
    mock_api.reset_counts()
    ingest.fetch_works(db, keys, sources=["openalex"], settings=settings)
    assert not fetched & set(mock_api.id_counts("openalex"))
    assert len(statuses(db, "openalex")) == 60
    assert_nothing_twice(db)


def test_background_fetch_reports_progress_and_finishes(mock_api, tmp_path):
    db, keys = tmp_path / "t.duckdb", dois(20)
    save(db, "c", keys)
    handle = ingest.start_background_fetch(
        db, collection="c", sources=["openalex", "icite"], settings=settings_for(mock_api)
    )
    handle.join(30)
    assert handle.done and handle.error is None and handle.summary is not None
    assert handle.progress is not None and handle.progress.done == handle.progress.total


def test_plan_lists_what_is_missing_or_stale(mock_api, tmp_path):
    db, keys = tmp_path / "t.duckdb", dois(3)
    settings = settings_for(mock_api)
    ingest.fetch_works(db, keys[:2], sources=["openalex"], settings=settings)
    with store.connect(db) as con:
        now = utc_now()
        plan = ingest.plan_fetch(con, keys, ["openalex", "crossref"], settings, now)
        later = ingest.plan_fetch(con, keys, ["openalex"], settings, now + timedelta(days=8))
    assert plan.filter(pl.col("source") == "openalex")["key"].to_list() == [keys[2]]
    assert plan.filter(pl.col("source") == "crossref")["reason"].to_list() == ["new"] * 3
    assert sorted(later["reason"].to_list()) == ["new", "stale", "stale"]


KILL_SCRIPT = "import sys; from lib.cli import main; sys.exit(main(sys.argv[1:]))"


@pytest.mark.slow
def test_kill_9_mid_run_then_rerun_resumes_without_duplicates_or_refetches(mock_api, tmp_path):
    db, keys = tmp_path / "t.duckdb", dois(150)
    save(db, "k", keys)
    for source in CORE:
        mock_api.behave(source, latency=0.03)
    env = {
        **os.environ,
        **mock_api.environ(),
        "PYTHONPATH": str(REPO),
        "OPENALEX_API_KEY": SECRET,
        "TRIANGULATE_OPENALEX_BATCH": "5",
        "TRIANGULATE_CROSSREF_BATCH": "5",
        "TRIANGULATE_EUROPEPMC_BATCH": "5",
        "TRIANGULATE_ICITE_BATCH": "5",
        **{f"TRIANGULATE_{s.upper()}_RATE": "60" for s in CORE},
        # OpenAlex runs 10 requests at once: at 60/s its 30 batches could all be stored before
        # the kill landed (1 run in 3); at 15/s the run lasts about 2 s.
        "TRIANGULATE_OPENALEX_RATE": "15",
    }
    args = [
        sys.executable,
        "-c",
        KILL_SCRIPT,
        "fetch",
        "--collection",
        "k",
        "--db",
        str(db),
        "--sources",
        ",".join(CORE),
    ]
    child = subprocess.Popen(
        args, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    # A progress line is printed only after a write has committed: kill once some OpenAlex
    # answers are stored, however slow the machine (a request count alone raced the first write).
    assert child.stderr is not None
    for line in child.stderr:
        stored = re.search(r"openalex (\d+)/150", line)
        if stored and int(stored.group(1)) >= 10:
            break
    child.send_signal(signal.SIGKILL)
    child.wait(10)
    assert child.returncode == -signal.SIGKILL
    stored = table(db, "SELECT key, source FROM fetch_log")
    done_first = set(zip(stored["key"], stored["source"], strict=True))
    assert 0 < len({k for k, s in done_first if s == "openalex"}) < 150  # really killed mid-run
    first_run = {s: mock_api.id_counts(s) for s in CORE}
    mock_api.reset_counts()

    rerun = subprocess.run(args, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    asked_again = {
        (k, s) for s in ("openalex", "crossref", "europepmc") for k in mock_api.id_counts(s)
    }
    assert not asked_again & done_first  # nothing fetched twice within its freshness window
    for s in ("openalex", "crossref", "europepmc"):
        for key in keys:  # each work asked once, or twice only if it was in flight at the kill
            assert first_run[s][key] + mock_api.id_counts(s)[key] in (1, 2)
    final = table(db, "SELECT source, status, count(*) n FROM fetch_log GROUP BY ALL")
    assert final.filter(pl.col("source") != "icite")["n"].sum() == 3 * 150  # nothing lost
    assert set(final["status"]) <= {"ok", "skipped"}
    assert_nothing_twice(db)
    assert metric(db, "citations_openalex") == {k: float(cites(k, "openalex")) for k in keys}
    assert SECRET not in " ".join(table(db, "SELECT request FROM raw")["request"].to_list())


def test_every_per_work_source_by_default(mock_api, tmp_path):
    db, keys = tmp_path / "t.duckdb", [*dois(12), "pmid:31452104"]
    settings = dataclasses.replace(settings_for(mock_api), keys={"altmetric": "alt-secret-key-1"})
    mock_api.behave("altmetric", missing=frozenset(keys[:1]))
    summary = ingest.fetch_works(db, keys, settings=settings)
    assert [s.source for s in summary.sources] == list(ingest.WORK_SOURCES)
    assert all(s.errors == 0 for s in summary.sources)
    assert statuses(db, "altmetric")[keys[0]] == "not_found"
    assert statuses(db, "wikipedia")["pmid:31452104"] == "skipped"
    assert_nothing_twice(db)
    stored = " ".join(table(db, "SELECT request FROM raw")["request"].to_list())
    assert "alt-secret-key-1" not in stored
