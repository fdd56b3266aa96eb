import shutil

import pytest
import streamlit as st

from lib import demo, store


@pytest.fixture(scope="session")
def demo_db_master(tmp_path_factory):
    """The fictional demo cache, built once per test session."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    with store.connect(path) as con:
        demo.build_demo(con)
    return path


@pytest.fixture
def demo_db(demo_db_master, tmp_path, monkeypatch):
    """A private copy of the demo cache, pointed at by TRIANGULATE_DB, with Streamlit caches cleared."""
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_db_master, path)
    monkeypatch.setenv("TRIANGULATE_DB", str(path))
    st.cache_data.clear()
    st.cache_resource.clear()
    return path


@pytest.fixture
def empty_db(tmp_path, monkeypatch):
    path = tmp_path / "empty.duckdb"
    monkeypatch.setenv("TRIANGULATE_DB", str(path))
    monkeypatch.setenv("TRIANGULATE_DEMO", "off")
    st.cache_data.clear()
    st.cache_resource.clear()
    return path
