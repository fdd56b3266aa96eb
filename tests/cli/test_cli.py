"""The `triangulate` command's contracts (DESIGN.md), run as a real console script."""

import csv
import shutil
import subprocess
import sys

import pytest

from lib.vocabulary import METRIC_NAMES, WEB_SOURCES

CONTRACT_HEAD = ["input", "key", "doi", "pmid", "title", "year", "journal", "status"]


def triangulate(*args, cwd):
    exe = shutil.which("triangulate") or None
    command = [exe, *args] if exe else [sys.executable, "-m", "lib.cli", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300)


def test_help_lists_every_contract_subcommand(tmp_path):
    out = triangulate("--help", cwd=tmp_path).stdout
    for command in ("demo", "collections", "import", "fetch", "load-metrics", "export", "match"):
        assert command in out


def test_demo_then_export_gives_the_csv_contract(tmp_path):
    db = str(tmp_path / "x.duckdb")
    assert triangulate("demo", "--db", db, cwd=tmp_path).returncode == 0
    listed = triangulate("collections", "--db", db, cwd=tmp_path).stdout.strip().splitlines()
    name, works = listed[0].split("\t")
    assert int(works) > 0
    out = tmp_path / "x.csv"
    result = triangulate(
        "export",
        "--db",
        db,
        "--collection",
        name,
        "--format",
        "csv",
        "--out",
        str(out),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    header = list(rows[0])
    assert header[:8] == CONTRACT_HEAD
    metric_columns = [c for c in header if c in METRIC_NAMES]
    assert metric_columns == [m for m in METRIC_NAMES if m in metric_columns]
    assert [f"{s}_status" for s in WEB_SOURCES if f"{s}_status" in header]
    assert len(rows) == int(works)
    assert all(r["status"] in {"valid", "invalid", "duplicate"} for r in rows)


def test_default_database_follows_the_environment(tmp_path):
    env_db = tmp_path / "env.duckdb"
    result = subprocess.run(
        [sys.executable, "-m", "lib.cli", "collections"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, "TRIANGULATE_DB": str(env_db)},
    )
    assert result.returncode == 0
    assert env_db.exists()


@pytest.mark.parametrize("command", [["export", "--format", "csv", "--out", "o.csv"], ["fetch"]])
def test_an_unknown_collection_is_a_clear_message(tmp_path, command):
    db = str(tmp_path / "x.duckdb")
    result = triangulate(*command, "--db", db, "--collection", "nope", cwd=tmp_path)
    assert result.returncode == 2
    assert "No collection named 'nope'" in result.stderr


def test_export_says_which_attention_weights_were_used(tmp_path):
    db = str(tmp_path / "x.duckdb")
    assert triangulate("demo", "--db", db, cwd=tmp_path).returncode == 0
    name = triangulate("collections", "--db", db, cwd=tmp_path).stdout.split("\t")[0]
    out = str(tmp_path / "x.xlsx")
    base = ["export", "--db", db, "--collection", name, "--format", "xlsx", "--out", out]
    custom = triangulate(*base, "--weights", "x_posts=1", cwd=tmp_path)
    assert custom.returncode == 0
    assert "custom weights" in custom.stdout and "X posts 1" in custom.stdout
    bad = triangulate(*base, "--weights", "impact_factor=9", cwd=tmp_path)
    assert bad.returncode == 2 and "Unknown weight 'impact_factor'" in bad.stderr


def test_an_xlsx_export_of_demo_data_says_it_is_fictional(tmp_path):
    import fastexcel

    db = str(tmp_path / "x.duckdb")
    assert triangulate("demo", "--db", db, cwd=tmp_path).returncode == 0
    name = triangulate("collections", "--db", db, cwd=tmp_path).stdout.split("\t")[0]
    out = tmp_path / "x.xlsx"
    triangulate(
        "export",
        "--db",
        db,
        "--collection",
        name,
        "--format",
        "xlsx",
        "--out",
        str(out),
        cwd=tmp_path,
    )
    about = fastexcel.read_excel(out).load_sheet("README", header_row=None).to_polars()
    assert "FICTIONAL DEMO DATA" in about.to_series(0).to_list()
