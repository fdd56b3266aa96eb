"""A table of metrics into a real DuckDB file: values as observations of the named source."""

import pytest

from lib import store
from lib.ingest import load_metrics_table
from lib.readers.limits import UploadRejected
from lib.readers.metric_table import TableMapping

CSV = (
    b"DOI,Title,Downloads,HAS_ALTMETRIC\n"
    b"10.1371/journal.pmed.0020124,One,120,TRUE\n"
    b"10.1371/journal.pone.0000001,Two,0,FALSE\n"
    b"10.1371/journal.pone.0000002,Three,oops,TRUE\n"
)


def test_values_are_stored_with_their_source_and_missing_stays_missing(tmp_path):
    mapping = TableMapping(
        "DOI", {"Downloads": "downloads"}, "repo_usage", ("HAS_ALTMETRIC", "FALSE")
    )
    with store.connect(tmp_path / "t.duckdb") as con:
        counts, problems = load_metrics_table(con, CSV, "usage.csv", mapping)
        wide = store.works_wide(con, store.collection_keys(con, "usage"))
        observed = store.observations_long(con, wide["key"].to_list())
    assert counts["valid"] == 3 and counts["observations"] == 1
    assert counts["rows made missing by rule"] == 1 and counts["cells reported"] == 1
    assert problems == ["Row 3, column 'Downloads': 'oops' is not a number; left missing."]
    assert wide["downloads"].to_list() == [120.0, None, None]
    assert observed.select("source", "metric", "value").rows() == [
        ("repo_usage", "downloads", 120.0)
    ]


def test_an_id_column_without_identifiers_is_rejected_and_nothing_is_saved(tmp_path):
    mapping = TableMapping("Title", {"Downloads": "downloads"}, "repo_usage")
    with store.connect(tmp_path / "t.duckdb") as con:
        with pytest.raises(UploadRejected, match="No valid identifiers"):
            load_metrics_table(con, CSV, "usage.csv", mapping)
        same = TableMapping("Downloads", {"Downloads": "downloads"}, "repo_usage")
        with pytest.raises(UploadRejected, match="cannot also be a metric column"):
            load_metrics_table(con, CSV, "usage.csv", same)
        assert store.list_collections(con).is_empty()
