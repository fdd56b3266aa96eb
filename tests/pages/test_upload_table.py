"""Upload page, "A table of metrics": the mapping chosen from the detected columns, then loaded."""

from lib import store
from tests.pages.test_upload import run_upload

CSV = (
    b"DOI,Repository downloads,views,HAS_DATA\n"
    b"10.1371/journal.pmed.0020124,120,300,TRUE\n"
    b"10.1371/journal.pone.0000001,0,0,FALSE\n"
    b"10.1371/journal.pone.0000002,lots,5,TRUE\n"
)


def test_a_table_is_mapped_and_loaded_with_its_rule(empty_db):
    at = run_upload()
    at.radio(key="upload_kind").set_value("A table of metrics").run()
    at.file_uploader(key="upload_table_file").set_value(("usage.csv", CSV, "text/csv")).run()
    assert not at.exception, at.exception
    assert at.selectbox(key="table_id_column").value == "DOI"
    assert at.selectbox(key="table_map_views").value == "views"  # guessed from the header
    at.selectbox(key="table_map_Repository downloads").set_value("downloads")
    at.selectbox(key="table_rule_column").set_value("HAS_DATA")
    at.text_input(key="table_source").input("repo_usage")
    at.run()
    at.button(key="upload_table_load").click().run()
    assert not at.exception, at.exception
    assert any("Loaded 3 values of source repo_usage" in s.value for s in at.success)
    assert any("'lots' is not a number; left missing" in w.value for w in at.warning)
    with store.connect(empty_db) as con:
        wide = store.works_wide(con, store.collection_keys(con, "usage"))
    assert wide["downloads"].to_list() == [120.0, None, None]
    assert wide["views"].to_list() == [300.0, None, 5.0]


def test_a_file_without_rows_says_so(empty_db):
    at = run_upload()
    at.radio(key="upload_kind").set_value("A table of metrics").run()
    at.file_uploader(key="upload_table_file").set_value(("e.csv", b"DOI,views\n", "text/csv")).run()
    assert not at.exception, at.exception
    assert any("no data rows" in e.value for e in at.error)
