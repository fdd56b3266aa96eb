from pathlib import Path

import polars as pl
from streamlit.testing.v1 import AppTest

from lib import store

APP = str(Path(__file__).resolve().parents[2] / "app.py")
SECTIONS = [
    "Candidates",
    "Indicators side by side",
    "Distributions, not just totals",
    "Attention (attention is not quality)",
    "Clinical and policy impact",
    "Triangulation per candidate",
    "Committee report",
]


def portfolios(path) -> list[str]:
    with store.connect(path) as con:
        frame = store.list_collections(con)
    return frame.filter(pl.col("kind") == "portfolio")["name"].to_list()


def open_compare(names: list[str] | None = None, timeout: float = 60) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=timeout)
    at.run()
    at.switch_page("app_pages/compare.py")
    at.run()
    assert not at.exception, at.exception
    if names is not None:
        at.multiselect(key="compare_candidates").set_value(names).run()
        assert not at.exception, at.exception
    return at


def table_text(at: AppTest) -> str:
    return "\n".join(df.value.to_csv() for df in at.dataframe)


def find_table(at: AppTest, column: str, contains: str):
    """The first table whose `column` holds a value containing `contains` (AppTest has no keys here)."""
    for frame in at.dataframe:
        table = frame.value
        if (
            column in table.columns
            and table[column].astype(str).str.contains(contains, regex=False).any()
        ):
            return table
    raise AssertionError(f"no table with {contains!r} in {column!r}")


def assert_full_comparison(at: AppTest, labels: list[str]) -> None:
    assert [s.value for s in at.subheader] == SECTIONS
    assert len(at.get("plotly_chart")) == 9
    assert any("Responsible use" in m.value for m in at.markdown)
    text = table_text(at)
    for label in labels:
        assert label in text
    assert "Relative Citation Ratio" in text and "m-quotient" in text
    assert len(at.get("download_button")) == 2


def test_three_demo_faculty_by_default(demo_db):
    at = open_compare()
    chosen = at.multiselect(key="compare_candidates").value
    assert len(chosen) == 3
    assert_full_comparison(at, chosen)
    assert any("Fictional demo data" in i.value for i in at.info)


def test_two_candidates(demo_db):
    names = portfolios(demo_db)[:2]
    at = open_compare(names)
    assert_full_comparison(at, names)
    normalised = find_table(at, "Indicator", "Median Relative Citation Ratio")
    assert list(normalised.columns) == ["Indicator", *names]


def test_six_candidates_with_field_and_stage_warnings(demo_db):
    names = portfolios(demo_db)
    assert len(names) == 6
    at = open_compare(names)
    assert_full_comparison(at, names)
    warnings = " ".join(w.value for w in at.warning)
    assert "different fields" in warnings and "different career stages" in warnings
    assert "never rank across career stages by h-index" in warnings


def add_small_collections(path, count: int) -> list[str]:
    """Extra candidates from demo works, plus one whose works were never fetched (no data)."""
    with store.connect(path) as con:
        keys = store.collection_keys(con, "Demo library upload (fictional)")
        new_keys = [f"10.5555/compare-unfetched.{i}" for i in range(4)]
        store.upsert_works(con, pl.DataFrame({"key": new_keys, "year": [2020] * 4}))
        names = []
        for i in range(count - 1):
            name = f"Small candidate {i + 1}"
            chunk = keys[i * 15 : (i + 1) * 15]
            store.save_collection(
                con,
                name,
                pl.DataFrame({"input": chunk, "key": chunk, "status": ["valid"] * len(chunk)}),
                kind="candidate",
            )
            names.append(name)
        store.save_collection(
            con,
            "No data yet",
            pl.DataFrame({"input": new_keys, "key": new_keys, "status": ["valid"] * 4}),
            kind="candidate",
        )
    return [*names, "No data yet"]


def test_twelve_candidates_including_one_without_data(demo_db):
    extra = add_small_collections(demo_db, 6)
    names = portfolios(demo_db) + extra
    assert len(names) == 12
    at = open_compare(names, timeout=120)
    assert_full_comparison(at, names)
    warnings = " ".join(w.value for w in at.warning)
    assert "No data yet: no work has citation data yet" in warnings
    normalised = find_table(at, "Indicator", "Median Relative Citation Ratio")
    assert normalised["No data yet"].str.startswith("—").all()
    assert "No field is stated for" in warnings  # the small collections have no meta


def test_editing_career_start_and_field_is_stated(demo_db):
    name = portfolios(demo_db)[0]
    at = open_compare([name, portfolios(demo_db)[1]])
    at.number_input(key=f"compare_start_{name}").set_value(1990).run()
    at.text_input(key=f"compare_field_{name}").set_value("Surgery").run()
    assert not at.exception
    candidates = find_table(at, "Collection", name)
    row = candidates[candidates["Collection"] == name].iloc[0]
    assert row["Career start"] == "1990" and row["Career start from"] == "set by the committee"
    assert row["Field"] == "Surgery" and row["Field from"] == "set by the committee"
    career = find_table(at, "Indicator", "Career years")
    years = career[career["Indicator"] == "Career years"].iloc[0]
    assert years.iloc[1].startswith("37 ")


def test_fewer_than_two_candidates_asks_for_more(demo_db):
    at = open_compare(portfolios(demo_db)[:1])
    assert any("at least two" in i.value for i in at.info)
    assert not at.get("plotly_chart")


def test_the_picker_stops_at_twelve(demo_db):
    at = open_compare()
    assert at.multiselect(key="compare_candidates").max_selections == 12


def test_a_shared_link_opens_the_same_candidates_on_a_fresh_session(demo_db):
    """Issue 15 (what users expect): a Compare selection is shareable as query parameters."""
    names = portfolios(demo_db)
    wanted = [names[-1], names[0]]
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["candidate"] = wanted
    at.run()
    at.switch_page("app_pages/compare.py")
    at.run()
    assert not at.exception, at.exception
    assert at.multiselect(key="compare_candidates").value == wanted
    at.multiselect(key="compare_candidates").set_value(names[:2]).run()
    assert at.query_params["candidate"] == names[:2]
