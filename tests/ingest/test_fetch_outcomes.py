"""Honest fetch outcomes: 0 of N succeeded is a failure, with the cause in words, per source."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys

import polars as pl
import pytest

from lib import ingest, store
from lib.ingest.progress import FetchSummary, SourceProgress, cause_in_words, format_summary
from lib.settings import Settings
from tests.fake_time import FakeTime

SOURCES = ["openalex", "crossref", "europepmc"]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed when the socket is: nothing listens there


@pytest.mark.parametrize(
    ("message", "words"),
    [
        ("connection failed: ConnectError: [Errno 111] Connection refused", "connection refused"),
        ("connection failed: ConnectError: [Errno -2] Name or service not known", "DNS"),
        ("connection failed: ConnectError: [Errno 101] Network is unreachable", "offline"),
        ("timed out (ReadTimeout)", "timed out"),
        ("HTTP 503 Service Unavailable", "HTTP 503 Service Unavailable"),
    ],
)
def test_causes_are_said_in_words(message, words):
    assert words in cause_in_words(message)


def _db(tmp_path):
    db = tmp_path / "c.duckdb"
    keys = ["10.5555/o.1", "10.5555/o.2", "pmid:123"]
    with store.connect(db) as con:
        store.save_collection(
            con, "L", pl.DataFrame({"input": keys, "key": keys, "status": ["valid"] * 3})
        )
    return db


def test_nothing_reachable_is_a_failure_naming_every_source_and_its_cause(tmp_path):
    port = closed_port()
    env = {f"TRIANGULATE_{s.upper()}_URL": f"http://127.0.0.1:{port}/{s}" for s in SOURCES}
    fake = FakeTime()
    summary = ingest.fetch_collection(
        _db(tmp_path),
        "L",
        sources=SOURCES,
        settings=Settings.from_mapping(env),
        http_options={"sleep": fake.sleep, "clock": fake.clock},
    )
    assert summary.exit_code == 1 and not summary.succeeded
    assert set(summary.failed_sources) == set(SOURCES)
    text = format_summary(summary)
    assert text.startswith("Fetch FAILED: no lookup succeeded for ")
    assert {"OpenAlex", "Crossref", "Europe PMC"} <= set(
        text.split(".")[0].split(" for ")[1].split(", ")
    )
    for label in ("OpenAlex", "Crossref", "Europe PMC"):
        assert f"{label}: connection refused" in text, text
    assert "openalex  " not in text  # names, not ids


def test_a_pmid_only_work_is_skipped_by_crossref_for_no_doi_and_that_is_no_failure(
    mock_api, tmp_path
):
    fake = FakeTime()
    summary = ingest.fetch_collection(
        _db(tmp_path),
        "L",
        sources=["crossref"],
        settings=Settings.from_mapping(mock_api.environ()),
        http_options={"sleep": fake.sleep, "clock": fake.clock},
    )
    assert summary.exit_code == 0 and summary.succeeded
    with store.connect(tmp_path / "c.duckdb") as con:
        log = store.fetch_log_long(con, ["pmid:123"])
    row = log.filter(pl.col("source") == "crossref").row(0, named=True)
    assert row["status"] == "skipped" and row["message"].startswith("no DOI")


def test_some_errors_among_answers_are_not_a_total_failure():
    summary = FetchSummary(
        works=3,
        sources=(SourceProgress("openalex", total=3, done=3, ok=2, errors=1),),
        up_to_date={},
        failures={"openalex": ["HTTP 503 Service Unavailable (1 works)"]},
        elapsed=1.0,
    )
    assert summary.exit_code == 0
    assert "OpenAlex: HTTP 503 Service Unavailable (1 works)" in format_summary(summary)


def test_the_cli_exits_non_zero_when_offline_and_says_why(tmp_path):
    db = _db(tmp_path)
    port = closed_port()
    env = {
        **os.environ,
        **{f"TRIANGULATE_{s.upper()}_URL": f"http://127.0.0.1:{port}/{s}" for s in SOURCES},
    }
    exe = shutil.which("triangulate")
    command = [exe] if exe else [sys.executable, "-m", "lib.cli"]
    result = subprocess.run(
        [*command, "fetch", "--collection", "L", "--sources", ",".join(SOURCES), "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=tmp_path,
    )
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    failure = result.stderr.strip().splitlines()[-1]
    assert failure.startswith("Fetch failed: no lookup succeeded for ")
    assert all(label in failure for label in ("OpenAlex", "Crossref", "Europe PMC"))
    assert "connection refused" in failure
