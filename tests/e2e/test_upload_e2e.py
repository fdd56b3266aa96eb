import csv
import io
import re

import pytest
from playwright.sync_api import expect

from lib import store
from tests.e2e.browser import wait_for_app
from tests.e2e.conftest import SCREENSHOTS, start_streamlit

pytestmark = pytest.mark.e2e

ROWS = [
    ("10.1234/upload.3", "<script>alert('third')</script>", "2021"),
    ("10.1234/upload.1", "First", "2019"),
    ("not-a-doi", "=1+1", "2020"),
    ("https://doi.org/10.1234/UPLOAD.3", "Again the third", "2021"),
    ("10.1234/upload.2", "Second", "2018"),
]


def upload_csv() -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["DOI", "Title", "Year"])
    writer.writerows(ROWS)
    return buffer.getvalue().encode("utf-8")


def metric(page, label: str):
    """The value of the metric with exactly this label."""
    box = page.get_by_test_id("stMetric").filter(has=page.get_by_text(label, exact=True))
    return box.get_by_test_id("stMetricValue")


def test_upload_validate_save_enrich_and_download(page, fresh_copy, tmp_path, mock_api):
    proc, url = start_streamlit(fresh_copy, mock_api.environ())
    try:
        page.goto(url)
        wait_for_app(page)
        page.get_by_role("link", name="Upload").click()
        wait_for_app(page)
        page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
            files=[{"name": "library_list.csv", "mimeType": "text/csv", "buffer": upload_csv()}]
        )
        expect(page.get_by_text("Validation report")).to_be_visible()
        wait_for_app(page)
        for label, value in (("Rows", "5"), ("Valid", "3"), ("Invalid", "1"), ("Duplicates", "1")):
            expect(metric(page, label)).to_have_text(value)
        expect(page.get_by_text("Nothing is saved yet.")).to_be_visible()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "upload_validation_report.png"))
        expect(page.get_by_label("Collection name")).to_have_value("library list")
        page.get_by_role("button", name="Save collection").click()
        expect(page.get_by_text("Saved “library list”")).to_be_visible()
        wait_for_app(page)
        picker = page.get_by_test_id("stSidebar").get_by_role("combobox", name="Collection")
        expect(picker).to_have_value(re.compile("^library list"))
        page.get_by_role("button", name="Fetch now").click()
        finished = page.get_by_test_id("stAlertContentSuccess").get_by_text("Fetch finished.")
        expect(finished).to_be_visible(timeout=90_000)
        with page.expect_download() as download_info:
            page.get_by_role("button", name="Download CSV").click()
        download = download_info.value
        saved = tmp_path / download.suggested_filename
        download.save_as(saved)
        expect(page.get_by_test_id("stException")).to_have_count(0)
    finally:
        proc.terminate()
        proc.wait(timeout=15)
    assert download.suggested_filename == "library-list.csv"
    rows = list(csv.reader(io.StringIO(saved.read_text(encoding="utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header[:8] == ["input", "key", "doi", "pmid", "title", "year", "journal", "status"]
    assert "reason" in header and "original: Title" in header
    assert [r[0] for r in body] == [doi for doi, _, _ in ROWS]
    assert [r[header.index("status")] for r in body] == [
        "valid",
        "valid",
        "invalid",
        "duplicate",
        "valid",
    ]
    titles = [r[header.index("original: Title")] for r in body]
    assert titles[0] == "<script>alert('third')</script>"
    assert titles[2] == "'=1+1"  # neutralised for spreadsheets
    assert "citations_openalex" in header and header.index("citations_openalex") > 7
    citations = [r[header.index("citations_openalex")] for r in body]
    assert citations[2] == ""  # the invalid row has no work: missing, never 0
    assert all(citations[i] for i in (0, 1, 3, 4))
    with store.connect(fresh_copy) as con:
        assert store.collection_keys(con, "library list") == [
            "10.1234/upload.3",
            "10.1234/upload.1",
            "10.1234/upload.2",
        ]
