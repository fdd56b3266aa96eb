"""`triangulate match FILE --collection NAME [--review PATH]` and `match --accept PATH`."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

from tests.ingest.test_matching import CV, WORKS
from tests.mockapi import MockApi


def _run(*args: str, cwd: Path, api: MockApi) -> subprocess.CompletedProcess[str]:
    env = (
        os.environ
        | api.environ()
        | {"TRIANGULATE_DB": str(cwd / "t.duckdb"), "TRIANGULATE_DEMO": "off"}
    )
    return subprocess.run(
        [sys.executable, "-m", "lib.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_match_review_accept_and_export_every_reference(mock_api: MockApi, tmp_path: Path) -> None:
    mock_api.catalogue.add(WORKS)
    (tmp_path / "cv.txt").write_text(CV, encoding="utf-8")
    done = _run(
        "match",
        "cv.txt",
        "--collection",
        "cv",
        "--review",
        "review.csv",
        cwd=tmp_path,
        api=mock_api,
    )
    assert done.returncode == 0, done.stderr
    assert "4 references, auto 2, review 1, unparsed 1" in done.stdout
    rows = list(csv.DictReader((tmp_path / "review.csv").open(encoding="utf-8")))
    for row in rows:
        row["decision"] = "reject" if row["position"] == "3" else ""
    with (tmp_path / "review.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    accepted = _run("match", "--accept", "review.csv", cwd=tmp_path, api=mock_api)
    assert accepted.returncode == 0, accepted.stderr
    assert "rejected 1" in accepted.stdout
    exported = _run(
        "export",
        "--collection",
        "cv",
        "--format",
        "csv",
        "--out",
        "cv.csv",
        cwd=tmp_path,
        api=mock_api,
    )
    assert exported.returncode == 0, exported.stderr
    out = list(csv.DictReader((tmp_path / "cv.csv").open(encoding="utf-8")))
    assert [r["status"] for r in out] == ["valid", "valid", "unmatched", "unmatched"]
    assert out[0]["input"].startswith("Smith J, Jones B.")


def test_bad_input_is_one_line_and_exit_2(mock_api: MockApi, tmp_path: Path) -> None:
    missing = _run("match", "nope.txt", "--collection", "cv", cwd=tmp_path, api=mock_api)
    (tmp_path / "bad.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    not_review = _run("match", "--accept", "bad.csv", cwd=tmp_path, api=mock_api)
    (tmp_path / "empty.txt").write_text("Publications\n\n12\n", encoding="utf-8")
    empty = _run("match", "empty.txt", "--collection", "cv", cwd=tmp_path, api=mock_api)
    for result in (missing, not_review, empty):
        assert result.returncode == 2
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert "Traceback" not in result.stderr
