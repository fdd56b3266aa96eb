from pathlib import Path

import polars as pl
from streamlit.testing.v1 import AppTest

from lib import store, ui
from lib.ui import upload

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PAGE = "app_pages/upload.py"

PASTE = "\n".join(
    [
        "10.1234/upload.1",
        "PMID: 31452104",
        "not an identifier at all",
        "https://doi.org/10.1234/UPLOAD.1",
        "10.1234/upload.2",
    ]
)


def run_upload(collection: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if collection:
        at.session_state["collection"] = collection
    at.switch_page(PAGE)  # AppTest then runs the page script alone, not app.py
    at.run()
    assert not at.exception, at.exception
    return at


def paste(at: AppTest, text: str) -> AppTest:
    at.radio(key="upload_kind").set_value("Paste identifiers").run()
    at.text_area(key="upload_paste").input(text).run()
    assert not at.exception, at.exception
    return at


def drop_file(at: AppTest, name: str, data: bytes, mime: str = "text/csv") -> AppTest:
    at.file_uploader(key="upload_file").set_value((name, data, mime)).run()
    assert not at.exception, at.exception
    return at


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


TABLES = {  # AppTest does not expose a dataframe's key: find each table by a column of its own
    "upload_by_scheme": "Scheme",
    "upload_invalid": "reason",
    "upload_duplicates": "duplicate_of_row",
    "upload_preview": "status",
}


def frame(at: AppTest, key: str):
    return next(d.value for d in at.dataframe if TABLES[key] in d.value.columns)


def test_pasted_identifiers_are_validated_then_saved(empty_db):
    at = paste(run_upload(), PASTE)
    assert (metric(at, "Rows"), metric(at, "Valid"), metric(at, "Invalid")) == ("5", "3", "1")
    assert metric(at, "Duplicates") == "1"
    assert metric(at, "To resolve to a DOI") == "1"
    by_scheme = frame(at, "upload_by_scheme")
    assert dict(zip(by_scheme["Scheme"], by_scheme["Valid items"], strict=True)) == {
        "DOI": 2,
        "PMID": 1,
    }
    invalid = frame(at, "upload_invalid")
    assert invalid["row"].tolist() == [3]
    assert invalid["reason"].iloc[0]
    duplicates = frame(at, "upload_duplicates")
    assert duplicates[["row", "duplicate_of_row"]].values.tolist() == [[4, 1]]
    assert not empty_db.exists() or not _collections(empty_db)  # nothing saved before the click

    at.text_input(key="upload_name").input("My pasted list").run()
    at.button(key="upload_save").click().run()
    assert not at.exception, at.exception
    assert at.session_state["collection"] == "My pasted list"
    assert any("Saved “My pasted list”" in s.value for s in at.success)
    with store.connect(empty_db) as con:
        items = store.collection_items(con, "My pasted list")
    assert items["status"].to_list() == ["valid", "valid", "invalid", "duplicate", "valid"]
    assert items["key"].to_list()[:2] == ["10.1234/upload.1", "pmid:31452104"]
    assert items["duplicate_of"].to_list()[3] == 1
    # Export buttons for the saved collection, and the picker's list refreshed by itself.
    assert {b.key for b in at.download_button} == {
        "upload_export_csv",
        "upload_export_xlsx",
        "upload_export_parquet",
    }
    assert "My pasted list" in upload.existing_collections()


def _collections(path: Path) -> list[str]:
    with store.connect(path) as con:
        return store.list_collections(con)["name"].to_list()


def test_saving_again_under_the_same_name_updates_the_collection(empty_db):
    at = paste(run_upload(), "10.1234/a\n10.1234/b")
    at.text_input(key="upload_name").input("Same").run()
    at.button(key="upload_save").click().run()
    at.text_area(key="upload_paste").input("10.1234/a\n10.1234/b\n10.1234/c").run()
    at.text_input(key="upload_name").input("Same").run()
    assert any("the data already fetched" in c.value for c in at.caption)
    assert at.button(key="upload_save").label == "Update collection"
    at.button(key="upload_save").click().run()
    assert not at.exception, at.exception
    with store.connect(empty_db) as con:
        assert store.collection_keys(con, "Same") == ["10.1234/a", "10.1234/b", "10.1234/c"]
    assert _collections(empty_db) == ["Same"]


def test_an_empty_paste_says_so(empty_db):
    at = paste(run_upload(), "   \n  ")
    assert any("Nothing was pasted" in e.value for e in at.error)
    assert not _has_key(at, "upload_save")


def _has_key(at: AppTest, key: str) -> bool:
    return any(b.key == key for b in at.button)


def test_a_binary_file_gives_a_clear_error(empty_db):
    at = drop_file(run_upload(), "photo.csv", bytes(range(256)) * 40, "text/csv")
    assert any("binary" in e.value for e in at.error)
    assert not _has_key(at, "upload_save")


def test_a_header_only_csv_gives_a_clear_error(empty_db):
    at = drop_file(run_upload(), "empty.csv", b"doi,title,year\n")
    assert any("no data rows" in e.value for e in at.error)
    assert not _has_key(at, "upload_save")


def test_a_file_without_identifiers_gives_a_clear_error(empty_db):
    at = drop_file(run_upload(), "names.csv", b"name,city\nAda,London\nGrace,Arlington\n")
    assert any("No identifiers found" in e.value for e in at.error)


def test_a_csv_shows_format_columns_and_a_script_title_as_text(empty_db):
    data = (
        b"Title,DOI,Year\n"
        b"<script>alert('x')</script>,10.1234/x.1,2020\n"
        b'=HYPERLINK("http://evil"),10.1234/x.2,2021\n'
    )
    at = drop_file(run_upload(), "My_list.csv", data)
    assert any("Delimited table" in m.value for m in at.markdown)
    assert at.multiselect(
        key=next(k for k in _keys(at) if k.startswith("upload_id_columns"))
    ).value == ["DOI"]
    preview = frame(at, "upload_preview")
    assert preview["title"].iloc[0] == "<script>alert('x')</script>"
    assert not any("<script>" in m.value for m in at.markdown)
    assert at.text_input(key="upload_name").value == "My list"


def _keys(at: AppTest) -> list[str]:
    return [w.key for w in at.multiselect if w.key]


def test_choosing_another_identifier_column_re_reads_the_file(empty_db):
    data = b"doi,backup\n10.1234/a,10.1234/z\nnope,10.1234/y\n"
    at = drop_file(run_upload(), "two.csv", data)
    key = next(k for k in _keys(at) if k.startswith("upload_id_columns"))
    assert at.multiselect(key=key).value == ["doi", "backup"]  # the second is the fallback
    assert metric(at, "Valid") == "2"
    at.multiselect(key=key).set_value(["doi"]).run()
    assert not at.exception, at.exception
    assert (metric(at, "Valid"), metric(at, "Invalid")) == ("1", "1")
    at.multiselect(key=key).set_value(["backup", "doi"]).run()
    at.multiselect(key=key).set_value([]).run()
    assert any("Choose at least one identifier column" in w.value for w in at.warning)


def test_coming_back_to_a_collection_shows_its_status_and_downloads(demo_db):
    with store.connect(demo_db) as con:
        name = store.list_collections(con).filter(pl.col("kind") == "upload")["name"]
        name = name[0] if name.len() else store.list_collections(con)["name"][0]
    at = run_upload(name)
    assert any(ui.plain(name) in s.value for s in at.subheader)
    assert int(metric(at, "Rows").replace(",", "")) > 0
    assert len(at.download_button) == 3
    assert at.button(key="upload_fetch_start") is not None


def test_export_bytes_follow_the_contract_in_input_order(empty_db):
    at = paste(run_upload(), "10.1234/b\n10.1234/a\nnonsense\n10.1234/b")
    at.text_input(key="upload_name").input("Order").run()
    at.button(key="upload_save").click().run()
    csv = upload.export_data("Order", "csv")().decode("utf-8-sig")
    header, *rows = csv.splitlines()
    assert header.startswith("input,key,doi,pmid,title,year,journal,status")
    assert [r.split(",")[0] for r in rows] == ["10.1234/b", "10.1234/a", "nonsense", "10.1234/b"]
    assert upload.export_data("Order", "parquet")()[:4] == b"PAR1"
    assert upload.export_data("Order", "xlsx")()[:2] == b"PK"


def test_the_real_scopus_export_shows_its_extra_field_warning(empty_db, reference_dir):
    data = (reference_dir / "fixtures" / "exports" / "litstudy_scopus.csv").read_bytes()
    at = drop_file(run_upload(), "litstudy_scopus.csv", data)
    assert any("Scopus CSV export" in m.value for m in at.markdown)
    assert any("one more field than the header" in w.value for w in at.warning)
    assert metric(at, "Rows") == "58"
    key = next(k for k in _keys(at) if k.startswith("upload_id_columns"))
    assert at.multiselect(key=key).value == ["DOI", "PubMed ID"]
    at.button(key="upload_save").click().run()
    assert not at.exception, at.exception
    with store.connect(empty_db) as con:
        assert store.collection_items(con, "litstudy scopus").height == 58


def test_helpers_name_collections_and_reject_a_plain_zip(empty_db):
    import io
    import zipfile

    assert upload.default_collection_name("my_DOIs  2024.xlsx") == "my DOIs 2024"
    assert upload.default_collection_name(upload.PASTE_NAME) == "Pasted list"
    assert upload.export_file_name("A list / 2024", "csv") == "A-list-2024.csv"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("dois.txt", "10.1234/a\n")
    prepared = upload.prepare_upload(buffer.getvalue(), "dois.zip")
    assert not prepared.ok and "not a spreadsheet" in prepared.error


def test_a_column_without_valid_ids_can_be_swapped_for_another(empty_db):
    data = b"doi,note\nnot-a-doi,10.1234/n.1\nstill-not,10.1234/n.2\n"
    at = drop_file(run_upload(), "swap.csv", data)
    key = next(k for k in _keys(at) if k.startswith("upload_id_columns"))
    assert at.multiselect(key=key).value == ["note"]
    at.multiselect(key=key).set_value(["doi"]).run()
    assert any("No valid identifiers" in e.value for e in at.error)
    assert at.multiselect(key=key).value == ["doi"]  # still there to choose again
    at.multiselect(key=key).set_value(["note"]).run()
    assert not at.exception, at.exception
    assert not at.error
    assert metric(at, "Valid") == "2"


def test_a_file_whose_id_column_is_not_recognised_can_be_pointed_at_by_hand():
    from lib.ui.upload import prepare_upload

    data = b"Title,Ref\nOne,pending\nTwo,nothing yet\nThree,10.1000/xyz\nFour,n/a\nFive,tbc\n"
    rejected = prepare_upload(data, "refs.csv")
    assert rejected.error and rejected.fields == ("Title", "Ref")
    chosen = prepare_upload(data, "refs.csv", ("Ref",))
    assert chosen.ok and chosen.report.valid == 1 and chosen.report.invalid == 4


def test_a_bibtex_file_without_identifiers_says_what_was_found_and_the_next_step(empty_db):
    bib = b"".join(
        b"@article{k%d, title={Paper %d}, author={Ann One and Bob Two}, year={2020}}\n" % (i, i)
        for i in range(12)
    )
    at = drop_file(run_upload(), "refs.bib", bib, "text/plain")
    messages = " ".join(e.value for e in at.error)
    assert "12 BibTeX entries with titles, authors and years but no DOI" in messages
    assert "triangulate match" in messages and "None" not in messages


def test_the_format_can_be_chosen_when_detection_is_wrong(empty_db):
    data = b"@article{k, title={T}}\n10.5555/f.1\n10.5555/f.2\n"
    at = drop_file(run_upload(), "list.txt", data, "text/plain")
    box = next(s for s in at.selectbox if s.label == "Read as")
    assert box.value == ""  # detect from the content
    box.set_value("text").run()
    assert not at.exception
    assert any("Format: **" in m.value and "text" in m.value.lower() for m in at.markdown)
    assert int(metric(at, "Valid").replace(",", "")) == 2


def test_parsed_uploads_are_cached_by_bytes_not_entries():
    from lib.ui.upload import _PreparedCache, prepare_upload

    cache = _PreparedCache(budget=1000)
    for i in range(5):
        cache.put(("k", i), object(), 400)  # type: ignore[arg-type]
    assert cache.used <= 1000 and len(cache.entries) == 2
    cache.put(("huge",), object(), 5000)  # type: ignore[arg-type]
    assert ("huge",) not in cache.entries
    import lib.ui.upload as module

    before = module.PREPARED.used
    data = ("DOI\n" + "".join(f"10.5555/m.{i}\n" for i in range(2000))).encode()
    first = prepare_upload(data, "m.csv")
    assert prepare_upload(data, "m.csv") is first  # a rerun reads nothing again
    assert module.PREPARED.used > before
    assert module.PREPARED.used <= module.PREPARED_CACHE_BYTES


def test_invalid_rows_show_a_dash_not_none_for_a_blank_input():
    """Issue 15.5: the Upload page's invalid rows printed "None" for a blank cell."""
    import polars as pl

    from lib import ui

    shown = ui.with_dashes(
        pl.DataFrame({"row": [1, 2], "input": [None, "x"], "reason": ["empty", None]})
    )
    assert shown["input"].to_list() == ["—", "x"]
    assert shown["reason"].to_list() == ["empty", "—"]
    assert shown["row"].to_list() == [1, 2]  # complete numbers stay numbers
