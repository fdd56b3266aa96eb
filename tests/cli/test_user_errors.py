"""Every user error in every command: one clear line on stderr, exit 2 (3 when locked), no traceback.

Each case runs the real console script in a subprocess.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from lib import store


def triangulate(*args: str, cwd: Path, env: dict[str, str] | None = None):
    exe = shutil.which("triangulate")
    command = [exe, *args] if exe else [sys.executable, "-m", "lib.cli", *args]
    environ = {**os.environ, **(env or {})}
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=120, env=environ
    )


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli")
    (root / "list.csv").write_text("DOI\n10.1000/one\n10.1000/two\n")
    (root / "binary.bin").write_bytes(bytes(range(256)) * 64)
    (root / "refs.bib").write_text(
        "@article{a, title={Alpha}, author={Ann One}, year={2020}}\n"
        "@article{b, title={Beta}, author={Bob Two}, year={2021}}\n"
    )
    db = root / "c.duckdb"
    result = triangulate(
        "import", str(root / "list.csv"), "--collection", "L", "--db", str(db), cwd=root
    )
    assert result.returncode == 0, result.stderr
    return root, db


CASES = {
    "missing file": ("import", "{root}/nope.csv", "--collection", "X"),
    "binary file": ("import", "{root}/binary.bin", "--collection", "X"),
    "bibtex without identifiers": ("import", "{root}/refs.bib", "--collection", "X"),
    "unknown format": ("import", "{root}/list.csv", "--collection", "X", "--format", "nope"),
    "newline in a collection name": ("import", "{root}/list.csv", "--collection", "two\nlines"),
    "unknown collection (export)": (
        "export",
        "--collection",
        "Nope",
        "--format",
        "csv",
        "--out",
        "{root}/o.csv",
    ),
    "unknown collection (fetch)": ("fetch", "--collection", "Nope"),
    "unknown source": ("fetch", "--collection", "L", "--sources", "openalex,bogus"),
    "bad weights": (
        "export",
        "--collection",
        "L",
        "--format",
        "csv",
        "--out",
        "{root}/o.csv",
        "--weights",
        "news_mentions=lots",
    ),
    "out is a folder": ("export", "--collection", "L", "--format", "csv", "--out", "{root}"),
    "out is /proc/version": (
        "export",
        "--collection",
        "L",
        "--format",
        "csv",
        "--out",
        "/proc/version",
    ),
    "unknown metrics format": ("load-metrics", "{root}/list.csv", "--format", "nope"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_user_error_is_one_line_and_exit_2(workspace, case):
    root, db = workspace
    args = [a.format(root=root) for a in CASES[case]]
    result = triangulate(*args, "--db", str(db), cwd=root)
    assert result.returncode == 2, (case, result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and len(lines[0]) > 15, (case, result.stderr)


def test_a_malformed_source_url_is_one_line_and_exit_2(workspace):
    root, db = workspace
    env = {"TRIANGULATE_OPENALEX_URL": "http://[::1"}
    result = triangulate("fetch", "--collection", "L", "--db", str(db), cwd=root, env=env)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert (
        "TRIANGULATE_OPENALEX_URL" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    )


def test_a_locked_cache_exits_3(workspace, tmp_path):
    root, _ = workspace
    db = tmp_path / "locked.duckdb"
    with store.connect(db):
        pass
    holder = duckdb.connect(str(db))  # another process's view: this one holds the file
    try:
        # A short wait (the default is 60 s, which this test used to spend).
        result = triangulate(
            "collections", "--db", str(db), cwd=root, env={"TRIANGULATE_LOCK_TIMEOUT": "1.5"}
        )
    finally:
        holder.close()
    assert result.returncode == 3, result.stderr
    assert "waited 2 s" in result.stderr  # the configured wait, rounded, is said
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_collections_prints_one_line_per_collection_even_with_a_newline_in_a_name(tmp_path):
    import polars as pl

    db = tmp_path / "n.duckdb"
    with store.connect(db) as con:
        items = pl.DataFrame({"input": ["10.1/a"], "key": ["10.1/a"], "status": ["valid"]})
        store.save_collection(con, "first\nsecond", items)
        store.save_collection(con, "plain", items)
    result = triangulate("collections", "--db", str(db), cwd=tmp_path)
    assert result.returncode == 0
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2 and all(line.count("\t") == 1 for line in lines), lines
