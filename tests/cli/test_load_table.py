"""`triangulate load-metrics FILE --format table`: values loaded, problems and errors on stderr."""

import pytest

from tests.cli.test_cli import triangulate

CSV = (
    "DOI,Downloads,Readers,HAS_ALTMETRIC\n"
    "10.1371/journal.pmed.0020124,120,5,TRUE\n"
    "10.1371/journal.pone.0000001,0,0,FALSE\n"
    "10.1371/journal.pone.0000002,n/a,3,TRUE\n"
)


@pytest.fixture
def table(tmp_path):
    path = tmp_path / "usage.csv"
    path.write_text(CSV)
    return path


def test_a_table_loads_with_its_rule_and_reports_bad_cells(tmp_path, table):
    result = triangulate(
        "load-metrics",
        str(table),
        "--format",
        "table",
        "--id-column",
        "DOI",
        "--map",
        "Downloads=downloads,Readers=mendeley_readers",
        "--source",
        "repo_usage",
        "--missing-when",
        "HAS_ALTMETRIC=FALSE",
        "--db",
        str(tmp_path / "t.duckdb"),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "source repo_usage" in result.stdout
    assert "observations 3" in result.stdout and "rows made missing by rule 1" in result.stdout
    assert "Row 3, column 'Downloads': 'n/a' is not a number; left missing." in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--id-column", "DOI"], "--format table needs --id-column COL and --map"),
        (["--id-column", "DOI", "--map", "Downloads=dl"], "Not a canonical metric name: 'dl'"),
        (["--id-column", "PMID", "--map", "Downloads=downloads"], "No column named 'PMID'"),
        (
            ["--id-column", "DOI", "--map", "Downloads=downloads", "--source", "Bad Name"],
            "Source name",
        ),
        (["--id-column", "DOI", "--map", "X=downloads"], "No column named 'X'"),
    ],
)
def test_bad_table_arguments_are_one_line_and_exit_2(tmp_path, table, args, message):
    result = triangulate(
        "load-metrics",
        str(table),
        "--format",
        "table",
        *args,
        "--db",
        str(tmp_path / "t.duckdb"),
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
