"""Portfolio page forms: build a portfolio (ORCID, pasted ids, file) and correct it."""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

from lib.ids import bare_orcid
from lib.ingest import portfolios
from lib.readers import UploadRejected, ValidationReport
from lib.ui import db_path, matching, plain, settings
from lib.ui.portfolio import after_write
from lib.views.portfolio import AUTHOR_POSITIONS


def _report_summary(report: ValidationReport) -> None:
    for line in report.summary_lines():
        st.caption(line)


def _name_and_person(prefix: str) -> tuple[str, str, int | None]:
    name_col, person_col, start_col = st.columns([3, 3, 2])
    name = name_col.text_input("Portfolio name", key=f"{prefix}_name")
    person = person_col.text_input("Person (optional)", key=f"{prefix}_person")
    start = start_col.number_input(
        "Career start (optional)",
        min_value=1950,
        max_value=2100,
        value=None,
        step=1,
        key=f"{prefix}_start",
    )
    return name.strip(), person.strip(), int(start) if start else None


def _save(name: str, report: ValidationReport, meta: dict[str, Any]) -> None:
    if not name:
        st.warning("Give the portfolio a name first.")
        return
    saved = portfolios.save_portfolio(db_path(), name, report, meta=meta)
    after_write(name)
    st.success(
        f"Saved “{plain(name)}” with {saved:,} works. Fetch their metrics with "
        f'`triangulate fetch --collection "{name}"`.'
    )
    st.rerun()


def _from_orcid() -> None:
    name, person, start = _name_and_person("pf_orcid")
    text = st.text_input("ORCID iD", placeholder="0000-0002-1825-0097", key="pf_orcid_id")
    orcid = bare_orcid(text) if text else None
    if text and orcid is None:
        st.error("That is not a valid ORCID iD (16 digits, the last may be X, with a checksum).")
    if st.button("Create from ORCID", disabled=orcid is None, key="pf_orcid_go") and orcid:
        try:
            with st.spinner("Asking ORCID for the works…"):
                saved = portfolios.portfolio_from_orcid(
                    db_path(),
                    name or orcid,
                    orcid,
                    settings(),
                    person=person or None,
                    career_start=start,
                )
        except (RuntimeError, OSError, ValueError) as error:
            st.error(f"Could not read the ORCID record: {error}")
            return
        after_write(name or orcid)
        st.success(f"Saved {saved:,} works from ORCID.")
        st.rerun()


def _from_paste() -> None:
    name, person, start = _name_and_person("pf_paste")
    text = st.text_area("DOIs, PMIDs or PMCIDs, one per line", key="pf_paste_text", height=120)
    if not text.strip():
        return
    try:
        report = portfolios.read_identifiers(text)
    except UploadRejected as error:
        st.error(str(error))
        return
    _report_summary(report)
    if st.button("Create portfolio", key="pf_paste_go"):
        _save(name, report, {"person": person or None, "career_start": start})


def _from_file() -> None:
    name, person, start = _name_and_person("pf_file")
    upload = st.file_uploader(
        "A list or database export (CSV, XLSX, RIS, BibTeX, MEDLINE, Web of Science, ORCID JSON)",
        key="pf_file_upload",
    )
    if upload is None:
        return
    try:
        report = portfolios.read_file(upload.getvalue(), upload.name)
    except UploadRejected as error:
        st.error(str(error))
        # Rows without identifiers (a BibTeX file with no DOIs) can still be matched.
        matching.match_file_rows(
            name or upload.name, upload.getvalue(), upload.name, person or None
        )
        return
    _report_summary(report)
    if st.button("Create portfolio", key="pf_file_go"):
        _save(name or upload.name, report, {"person": person or None, "career_start": start})


def build_panel() -> None:
    """Create a portfolio from an ORCID iD, pasted identifiers, a file, a CV or a name."""
    orcid, paste, upload, cv, openalex = st.tabs(
        [
            "From an ORCID iD",
            "From pasted identifiers",
            "From a file",
            "Paste my CV / reference list",
            "Find me in OpenAlex",
        ]
    )
    with cv:
        matching.cv_panel()
    with openalex:
        matching.openalex_panel()
    with orcid:
        _from_orcid()
    with paste:
        _from_paste()
    with upload:
        _from_file()


def corrections_panel(collection: str, corrections: pl.DataFrame) -> None:
    """Remove works that are not theirs, restore them, mark author positions, add missing works."""
    st.caption(
        "Untick “Theirs” to remove a work; set the author position where the sources do not give "
        "it. Corrections are kept apart from the imported list, so a re-import or refresh keeps them."
    )
    before = corrections.with_columns(theirs=~pl.col("excluded"))
    edited = st.data_editor(
        before.select("key", "title", "year", "author_position", "theirs"),
        hide_index=True,
        width="stretch",
        disabled=["key", "title", "year"],
        column_config={
            "key": "Work",
            "title": "Title",
            "year": st.column_config.NumberColumn("Year", format="%d"),
            "author_position": st.column_config.SelectboxColumn(
                "Author position", options=list(AUTHOR_POSITIONS)
            ),
            "theirs": st.column_config.CheckboxColumn("Theirs"),
        },
        key=f"pf_corrections_{collection}",
    )
    if st.button("Save corrections", key="pf_corrections_save"):
        after = pl.DataFrame(edited).with_columns(excluded=~pl.col("theirs"))
        changed = portfolios.apply_corrections(
            db_path(),
            collection,
            before.select("key", "excluded", "author_position"),
            after.select("key", "excluded", "author_position"),
        )
        after_write()
        # A toast outlives the rerun (a st.success here would vanish with it).
        st.toast(
            f"Saved {changed:,} correction{'s' if changed != 1 else ''}."
            if changed
            else "Nothing to save: no change since the last save.",
            icon=":material/check_circle:",
        )
        st.rerun()
    added = st.text_area("Add missing works (DOIs or PMIDs, one per line)", key="pf_add_text")
    if st.button("Add works", disabled=not added.strip(), key="pf_add_go"):
        try:
            count = portfolios.add_to_portfolio(
                db_path(), collection, portfolios.read_identifiers(added)
            )
        except UploadRejected as error:
            st.error(str(error))
            return
        after_write()
        st.toast(f"Added {count:,} works.", icon=":material/check_circle:")
        st.rerun()
