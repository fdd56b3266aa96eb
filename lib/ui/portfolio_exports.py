"""The Portfolio page's downloads: the table (CSV, XLSX, README) and the one-page summary.

The table comes from the one export writer (`lib.exports`) shared with `triangulate export` and
Upload; the summary from `lib.exports.summary`. Both are built only when the reader clicks.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from datetime import UTC, date, datetime

import plotly.graph_objects as go
import polars as pl

from lib import charts, exports, store
from lib.exports.dossier import ReportContext
from lib.exports.names import dated_file_name
from lib.exports.summary import portfolio_html
from lib.metrics import weights_description
from lib.ui import db_path
from lib.ui.portfolio import reference_label, reference_sets, source_label
from lib.ui.weights import current_weights
from lib.views import portfolio as logic
from lib.views.narrative import narrative
from lib.views.page_models import PortfolioView


def report_context(data: PortfolioView, collection: str) -> ReportContext:
    info = data.info or {}
    return ReportContext(
        collection=collection,
        person=data.meta.get("person"),
        is_demo=bool(info.get("is_demo")),
        data_dates=data.data_dates,
        weights=weights_description(current_weights()),
        reference_sets=reference_sets(data.table),
        generated_at=datetime.now(UTC).replace(tzinfo=None),
        matching=data.matching,
    )


def figures_for_report(data: PortfolioView) -> list[go.Figure]:
    table = data.table
    return [
        charts.triangulation_figure(table, reference_label(data), reference_label(data)),
        charts.attention_composition_figure(data.composition),
        charts.citations_per_year_figure(data.per_year, source_label(data.per_year_source)),
        charts.percentile_bins_figure(
            logic.percentile_bins(table, logic.CITATIONS_PERCENTILE),
            f"Citation percentile bins ({reference_label(data)})",
        ),
        charts.percentile_bins_figure(
            logic.percentile_bins(table, logic.ATTENTION_PERCENTILE),
            f"Attention percentile bins ({reference_label(data)})",
        ),
    ]


def summary_html(data: PortfolioView, collection: str, shown: pl.DataFrame, as_of: date) -> str:
    """The one-page summary with its appendix, for the works as filtered and sorted on the page."""
    return portfolio_html(
        report_context(data, collection),
        data.indicators,
        shown,
        figures_for_report(data.showing(shown)),
        narrative(shown, data.indicators, as_of).splitlines(),
    )


def download_name(collection: str, extension: str, today: date | None = None) -> str:
    """'portfolio-ada-example-2026-12-02.xlsx': what it is, whose, and when."""
    return dated_file_name("portfolio", collection, extension, today)


def _table_export(
    path: str,
    collection: str,
    fmt: str,
    keys: tuple[str, ...],
    reference: str | None,
    weights_json: str,
) -> bytes:
    """The table download, from the same export writer as `triangulate export` and Upload."""
    weights = json.loads(weights_json) or None
    with store.connect(path) as con:
        frame = exports.collection_export_frame(
            con, collection, weights=weights, reference=reference, keys=list(keys)
        )
        about = exports.about_rows(con, collection, frame, weights)
    if fmt == "csv":
        return exports.csv_bytes(frame)
    if fmt == "xlsx":
        return exports.xlsx_bytes(frame, about)
    return exports.readme_text(about).encode("utf-8")


def table_export(
    collection: str, fmt: str, table: pl.DataFrame, reference: str | None
) -> Callable[[], bytes]:
    """A callable for `st.download_button` (built on click): csv, xlsx, or readme (the sidecar)."""
    weights_json = json.dumps(current_weights() or {}, sort_keys=True)
    keys = tuple(table["key"].to_list())
    return functools.partial(
        _table_export, str(db_path()), collection, fmt, keys, reference, weights_json
    )
