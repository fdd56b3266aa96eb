"""`triangulate compare --groups`: reports on the demo data, clear messages on bad input."""

import io

import polars as pl
import pytest

from tests.cli.test_cli import triangulate


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("groups")
    db = str(folder / "demo.duckdb")
    assert triangulate("demo", "--db", db, cwd=folder).returncode == 0
    names = [
        line.split("\t")[0]
        for line in triangulate("collections", "--db", db, cwd=folder).stdout.splitlines()
    ]
    return folder, db, names


def test_an_html_report_states_its_method_and_the_responsible_use(demo_db):
    folder, db, names = demo_db
    out = folder / "groups.html"
    result = triangulate(
        "compare", "--db", db, "--groups", ",".join(names[:2]), "--out", str(out), cwd=folder
    )
    assert result.returncode == 0, result.stderr
    text = out.read_text()
    assert "Mann-Whitney U" in text and "van Elteren" in text
    assert "missing values left out (missing is not zero)" in text
    assert "Nothing here shows that belonging to a group causes" in text
    assert "Stratified ratio" in text


def test_missing_as_zero_is_a_recorded_choice_in_the_workbook(demo_db):
    folder, db, names = demo_db
    out = folder / "groups.xlsx"
    result = triangulate(
        "compare",
        "--db",
        db,
        "--groups",
        ",".join(names[:3]),
        "--out",
        str(out),
        "--missing-as-zero",
        cwd=folder,
    )
    assert result.returncode == 0, result.stderr
    assert "treated as 0" in result.stdout
    sheets = pl.read_excel(io.BytesIO(out.read_bytes()), sheet_id=0)
    assert list(sheets) == ["Per group", "Pairs", "Method"]
    method = sheets["Method"].to_series().to_list()
    assert any("treated as 0 (as many published studies do)" in line for line in method)
    assert {"ratio_stratified", "p_van_elteren", "cliffs_delta"} <= set(sheets["Pairs"].columns)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--groups", "only one", "--out", "x.html"], "Compare 2 to 8 groups"),
        (["--groups", "nope,nada", "--out", "x.html"], "No collection named 'nope', 'nada'"),
        (["--groups", "a,b", "--out", "x.pdf"], "--out must end in .html or .xlsx"),
        (["--groups", "a,b", "--out", "x.html", "--stratify", "age"], "--stratify takes"),
    ],
)
def test_bad_input_is_one_clear_line_and_exit_2(demo_db, args, message):
    folder, db, _ = demo_db
    result = triangulate("compare", "--db", db, *args, cwd=folder)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
