"""Everything that leaves the dashboard: collection tables (CSV, the DESIGN.md contract; XLSX;
Parquet) in `tables`, spreadsheet details in `xlsx`, and the HTML/XLSX reports: the faculty
member's `dossier` and the committee's `committee` report."""

from lib.exports.tables import (
    CONTRACT_COLUMNS,
    FORMATS,
    ORIGINAL_PREFIX,
    README_SHEET,
    about_rows,
    collection_export_frame,
    csv_bytes,
    export_collection,
    neutralise_formulas,
    readme_text,
    write_csv,
    write_parquet,
    write_xlsx,
    xlsx_bytes,
)

__all__ = [
    "CONTRACT_COLUMNS",
    "FORMATS",
    "ORIGINAL_PREFIX",
    "README_SHEET",
    "about_rows",
    "collection_export_frame",
    "csv_bytes",
    "export_collection",
    "neutralise_formulas",
    "readme_text",
    "write_csv",
    "write_parquet",
    "write_xlsx",
    "xlsx_bytes",
]
