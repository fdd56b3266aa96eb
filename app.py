"""Triangulate: the router and the frame every page shares (sidebar collection picker, data date)."""

from pathlib import Path

import streamlit as st

from lib import ui

# The favicon is a file we ship: a `:material/...:` or emoji icon makes every page load fetch an
# image from a font/CDN host, and a local-first tool makes no request its user did not ask for.
ICON = Path(__file__).resolve().parent / "static" / "triangulate.png"
st.set_page_config(page_title="Triangulate", page_icon=str(ICON), layout="wide")

ui.ensure_cache_ready(str(ui.db_path()), ui.settings().seed_demo)

page = st.navigation(
    [
        st.Page(
            "app_pages/overview.py", title="Overview", icon=":material/dashboard:", default=True
        ),
        st.Page("app_pages/portfolio.py", title="Portfolio", icon=":material/person:"),
        st.Page("app_pages/article.py", title="Article", icon=":material/article:"),
        st.Page("app_pages/compare.py", title="Compare", icon=":material/compare_arrows:"),
        st.Page("app_pages/compare_groups.py", title="Compare groups", icon=":material/groups:"),
        st.Page("app_pages/upload.py", title="Upload", icon=":material/upload_file:"),
        st.Page("app_pages/sources.py", title="Sources", icon=":material/database:"),
    ]
)
ui.sidebar_data_date(ui.collection_picker())
page.run()
