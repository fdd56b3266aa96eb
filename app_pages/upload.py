import streamlit as st

from lib import ui
from lib.ui import fetching, matching, metric_table, upload

SAVED_KEY = "upload_saved"

st.title("Upload")
st.caption(
    "Bring a list of works: a file (CSV, TSV, Excel, Scopus, Web of Science, PubMed/MEDLINE, RIS, "
    "BibTeX, ORCID JSON, Altmetric Explorer or Dimensions exports, plain text) or pasted DOIs, "
    "PMIDs, PMCIDs and links. Check the validation report, save it as a collection, enrich it "
    "from the sources, and download it back in its original row order."
)

# --- 1. The input ----------------------------------------------------------------------------
kind = st.radio(
    "Input",
    ["Upload a file", "Paste identifiers", "A table of metrics"],
    horizontal=True,
    key="upload_kind",
)
if kind == "A table of metrics":
    st.caption(
        "Any CSV, TSV or Excel table of per-work values no API gives (repository usage, a PlumX or "
        "Dimensions export, a study's data file): choose the identifier column and which column "
        "holds which metric. Text in a number column is reported per row and left missing, never 0."
    )
    table_file = st.file_uploader("Table of metrics", key="upload_table_file")
    if table_file is None:
        st.stop()
    columns = metric_table.columns_of(table_file.getvalue(), table_file.name)
    if isinstance(columns, str):
        st.error(columns)
        st.stop()
    form = metric_table.mapping_form(columns, table_file.name)
    if form is not None and st.button("Load the values", type="primary", key="upload_table_load"):
        mapping, collection_name = form
        loaded = metric_table.load_table(
            table_file.getvalue(), table_file.name, mapping, collection_name
        )
        if isinstance(loaded, str):
            st.error(loaded)
        else:
            counts, problems = loaded
            st.success(
                f"Loaded {counts['observations']:,} values of source {mapping.source} for "
                f"{counts['valid']:,} works into “{collection_name}”; "
                f"{counts['rows made missing by rule']:,} rows made missing by the rule.",
                icon=":material/check_circle:",
            )
            for line in problems:
                st.warning(line)
    st.stop()
elif kind == "Upload a file":
    uploaded = st.file_uploader(
        "File (the format is detected from its content, not its name)", key="upload_file"
    )
    data, filename = (uploaded.getvalue(), uploaded.name) if uploaded else (None, None)
    prepared = upload.prepare_upload(data, filename) if data is not None else None
    forced = None
    if prepared is not None:
        unsure = prepared.detected is None or prepared.detected.confidence < 0.9
        choices = upload.format_choices()
        forced = (
            st.selectbox(
                "Read as",
                list(choices),
                format_func=choices.get,
                key=f"upload_format_{prepared.digest}",
                help="The format is detected from the content; choose another if it is wrong.",
            )
            or None
        )
        if unsure and forced is None:
            st.caption("Detection is unsure about this file: choose its format above if needed.")
        if forced:
            prepared = upload.prepare_upload(data, filename, None, forced)
else:
    forced = None
    pasted = st.text_area(
        "Identifiers, one or more per line",
        height=180,
        placeholder="10.1371/journal.pone.0000001\nPMID: 12345678\nhttps://doi.org/10.1038/...",
        key="upload_paste",
    )
    data, filename = (pasted.encode("utf-8"), upload.PASTE_NAME) if pasted else (None, None)
    prepared = upload.prepare_paste(pasted) if pasted else None

if prepared is not None and prepared.result is not None:
    # --- 2. What was read (shown even when no row is valid: another column may be right) ---
    result = prepared.result
    st.subheader("What was read")
    label = upload.FORMAT_LABELS.get(result.format, result.format)
    details = [f"Format: **{label}**"]
    if result.encoding:
        details.append(f"encoding {result.encoding}")
    if result.sheet:
        details.append(f"sheet “{result.sheet}”")
    details.append(f"{result.rows:,} rows")
    st.markdown(" · ".join(details))
    if prepared.detected is not None:
        st.caption(f"Why: {prepared.detected.explanation}")
    chosen = st.multiselect(
        "Identifier column(s), in priority order (the first valid one in a row wins)",
        result.fields,
        default=result.identifier_columns,
        key=f"upload_id_columns_{prepared.digest}_{result.format}",
        help="Found automatically; change it if the identifiers are in another column.",
    )
    if not chosen:
        prepared = None
        st.warning("Choose at least one identifier column to validate the rows.")
    elif chosen != result.identifier_columns:
        prepared = upload.prepare_upload(
            data, filename, tuple(chosen), forced if kind == "Upload a file" else None
        )

if prepared is not None and prepared.error is not None:
    st.error(ui.plain(prepared.error), icon=":material/error:")
    if kind == "Upload a file" and data is not None and filename is not None:
        # Rows without identifiers (the librarian's BibTeX without DOIs) can be matched instead.
        matching.match_file_rows(
            upload.default_collection_name(filename), data, filename, None, key="upload"
        )
    by_hand = (
        st.multiselect(
            "Identifier column(s), chosen by hand",
            prepared.fields,
            key=f"upload_id_columns_by_hand_{prepared.digest}",
        )
        if prepared.fields
        else []
    )
    prepared = upload.prepare_upload(data, filename, tuple(by_hand)) if by_hand else None

if prepared is not None:
    for warning in prepared.result.warnings:
        st.warning(warning, icon=":material/warning:")
    if prepared.result.notes:
        st.caption("How the fields were read: " + "; ".join(prepared.result.notes) + ".")

    # --- 3. The validation report, before anything is saved -----------------------------------
    report = prepared.report
    st.subheader("Validation report")
    st.caption("Nothing is saved yet. Check the counts and the rows below first.")
    total, valid, invalid, duplicates, to_resolve = st.columns(5)
    total.metric("Rows", f"{report.total:,}")
    valid.metric("Valid", f"{report.valid:,}")
    invalid.metric("Invalid", f"{report.invalid:,}")
    duplicates.metric("Duplicates", f"{report.duplicates:,}")
    to_resolve.metric(
        "To resolve to a DOI",
        f"{report.to_resolve:,}",
        help="Valid PMIDs, PMCIDs, arXiv or OpenAlex ids without a DOI: the sources resolve them "
        "when the collection is enriched.",
    )
    st.dataframe(upload.scheme_rows(report), hide_index=True, key="upload_by_scheme")
    if report.invalid:
        st.markdown(f"**Invalid rows** (first {min(report.invalid, 500):,} of {report.invalid:,})")
        st.dataframe(
            ui.with_dashes(report.invalid_rows(500)),
            hide_index=True,
            width="stretch",
            column_config={"row": "Row", "input": "Input", "reason": "Why it is invalid"},
            key="upload_invalid",
        )
    if report.duplicates:
        st.markdown(
            f"**Duplicates** (first {min(report.duplicates, 500):,} of {report.duplicates:,})"
        )
        st.dataframe(
            ui.with_dashes(report.duplicate_rows(500)),
            hide_index=True,
            width="stretch",
            column_config={
                "row": "Row",
                "input": "Input",
                "key": "Identifier",
                "duplicate_of_row": "First occurrence (row)",
            },
            key="upload_duplicates",
        )
    with st.expander(f"Preview of the first {min(report.total, upload.PREVIEW_ROWS):,} rows"):
        st.dataframe(
            upload.preview_frame(prepared),
            hide_index=True,
            width="stretch",
            key="upload_preview",
        )

    # --- 4. Save as a named collection --------------------------------------------------------
    st.subheader("Save as a collection")
    if st.session_state.get("upload_name_for") != prepared.digest:
        st.session_state["upload_name_for"] = prepared.digest
        st.session_state["upload_name"] = upload.default_collection_name(prepared.filename)
    name = st.text_input("Collection name", key="upload_name").strip()
    exists = name in upload.existing_collections()
    if exists:
        st.caption(
            f"A collection named “{ui.plain(name)}” exists: saving replaces its list of items with this one; "
            "the data already fetched for its works is kept."
        )
    if st.button(
        "Update collection" if exists else "Save collection",
        type="primary",
        disabled=not name,
        icon=":material/save:",
        key="upload_save",
    ):
        counts = upload.save_upload(prepared, name)
        st.session_state[SAVED_KEY] = {
            "digest": prepared.digest,
            "columns": report.identifier_columns,
            "name": name,
            "counts": counts,
        }
        st.session_state[ui.COLLECTION_KEY] = name
        # The sidebar picker keeps its own widget key; dropping it makes it follow COLLECTION_KEY.
        st.session_state.pop("sidebar_collection", None)
        st.rerun()

saved = st.session_state.get(SAVED_KEY)
just_saved = bool(
    saved
    and prepared is not None
    and saved["digest"] == prepared.digest
    and saved["columns"] == prepared.report.identifier_columns
)
if just_saved:
    counts = saved["counts"]
    st.success(
        f"Saved “{saved['name']}”: {counts['items']:,} items, {counts['valid']:,} valid works"
        + (f", {counts['observations']:,} values from the file" if counts["observations"] else "")
        + ".",
        icon=":material/check_circle:",
    )

# --- 5 and 6. Enrich and export the collection (also when coming back later) -----------------
collection = st.session_state.get(ui.COLLECTION_KEY)
if collection is None or (prepared is not None and not just_saved):
    if prepared is None and data is None:
        st.info("Drop a file or paste identifiers to start.", icon=":material/upload_file:")
    st.stop()

st.divider()
st.subheader(f"Enrich and export “{ui.plain(collection)}”")
status = upload.collection_status(collection)
meta = status["meta"]
if meta.get("file") or meta.get("format"):
    st.caption(
        f"Imported from {meta.get('file') or 'an upload'} "
        f"({upload.FORMAT_LABELS.get(meta.get('format'), meta.get('format'))})"
        + (f" at {meta['imported_at']}" if meta.get("imported_at") else "")
        + "."
    )
rows, valid, invalid, duplicates, excluded = st.columns(5)
rows.metric("Rows", f"{status['items']:,}")
valid.metric("Valid works", f"{status['valid']:,}")
invalid.metric("Invalid", f"{status['invalid']:,}")
duplicates.metric("Duplicates", f"{status['duplicate']:,}")
excluded.metric("Excluded by hand", f"{status['excluded']:,}")

st.markdown("**Enrich from the sources**")
st.caption(
    "The fetch runs in the background: leave this page or close the browser and it keeps going; "
    "come back to see it finished. Fetching again resumes and skips what is fresh."
)
if ui.is_demo_collection(collection):
    st.warning(
        "This is a fictional demo collection (DOIs under 10.5555): real sources will report its "
        "works as not found.",
        icon=":material/science:",
    )
fetching.fetch_panel(
    f"collection:{collection}", ui.collection_work_keys(collection), key_prefix="upload"
)

st.markdown("**Download**")
st.caption(
    "One row per uploaded row, in the original order: the identifier, our metadata, every metric "
    "with a value, each source's status, then your file's own columns. An empty cell is missing, "
    "never zero. Files are built when you click."
)
csv, xlsx, parquet = st.columns(3)
for column, fmt, label in (
    (csv, "csv", "CSV"),
    (xlsx, "xlsx", "Excel (XLSX)"),
    (parquet, "parquet", "Parquet"),
):
    column.download_button(
        f"Download {label}",
        data=upload.export_data(collection, fmt),
        file_name=upload.export_file_name(collection, fmt),
        mime=upload.EXPORT_MIMES[fmt],
        on_click="ignore",
        icon=":material/download:",
        key=f"upload_export_{fmt}",
    )
