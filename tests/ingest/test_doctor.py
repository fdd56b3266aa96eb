"""`triangulate doctor` against the mock: works, no key, key refused, format changed, unreachable."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

from lib.ingest.doctor import check_sources, format_problems
from lib.settings import Settings
from tests.ingest.test_fetch import settings_for

REPO = Path(__file__).resolve().parents[2]


def by_source(checks):
    return {c.source: c for c in checks}


def test_every_source_works_against_the_mock_and_says_its_budget(mock_api) -> None:
    settings = dataclasses.replace(
        settings_for(mock_api),
        keys={"altmetric": "alt-test-key-0001", "openalex": "oa-test-key-0001"},
    )
    checks = by_source(check_sources(settings))
    assert {c.outcome for c in checks.values()} == {"works"}, [c.line() for c in checks.values()]
    assert "USD per day left" in checks["openalex"].budget
    assert "at most 50 requests/s" in checks["crossref"].budget
    assert "requests per day left" in checks["altmetric"].budget
    assert all(c.seconds is not None and c.seconds >= 0 for c in checks.values())
    assert all(len(c.line().splitlines()) == 1 for c in checks.values())


def test_no_key_refused_key_format_changed_and_unreachable(mock_api) -> None:
    settings = settings_for(mock_api)  # no Altmetric key
    mock_api.behave("openalex", drop_field="cited_by_count")
    mock_api.behave("semanticscholar", error_first=5, error_status=403)
    env = {**mock_api.environ(), "TRIANGULATE_ICITE_URL": "http://127.0.0.1:9/icite"}
    settings = dataclasses.replace(settings, base_urls=Settings.from_mapping(env).base_urls)
    checks = by_source(check_sources(settings))
    assert checks["altmetric"].outcome == "no key" and not checks["altmetric"].broken
    assert checks["openalex"].outcome == "format changed"
    assert "field cited_by_count missing" in checks["openalex"].detail
    assert checks["semanticscholar"].outcome == "key refused"
    assert checks["icite"].outcome == "unreachable"
    assert checks["crossref"].outcome == "works"


def test_a_retyped_field_is_named() -> None:
    body = '{"results": [{"id": "W1", "doi": null, "ids": {}, "cited_by_count": "12", "counts_by_year": []}]}'
    problems = format_problems("openalex", body)
    assert "field cited_by_count is str, expected int" in problems
    assert "field fwci missing" in problems


def test_the_cli_prints_one_line_per_source_and_exits_non_zero_when_one_is_broken(
    mock_api, tmp_path
) -> None:
    mock_api.behave("europepmc", drop_field="citedByCount")
    env = {**os.environ, **mock_api.environ(), "PYTHONPATH": str(REPO)}
    env.pop("ALTMETRIC_API_KEY", None)
    done = subprocess.run(
        [sys.executable, "-m", "lib.cli", "doctor", "--sources", "europepmc,crossref,altmetric"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    lines = done.stdout.strip().splitlines()
    assert done.returncode == 1, done.stderr
    assert len(lines) == 3
    assert lines[0].startswith("Europe PMC") and "format changed" in lines[0]
    assert "field citedByCount missing" in lines[0]
    assert lines[1].startswith("Crossref") and " works " in lines[1]
    assert lines[2].startswith("Altmetric") and "no key" in lines[2]
    assert "broken: europepmc" in done.stderr and "Traceback" not in done.stderr
    mock_api.behave("europepmc", drop_field=None)
    again = subprocess.run(
        [sys.executable, "-m", "lib.cli", "doctor", "--sources", "europepmc"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert again.returncode == 0, again.stdout
