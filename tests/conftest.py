import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    path = Path(os.environ.get("TRIANGULATE_REFERENCE_DIR", REPO.parent / "shared"))
    if not path.is_dir():
        pytest.skip(f"reference data not found at {path}; set TRIANGULATE_REFERENCE_DIR")
    return path


@pytest.fixture
def mock_api():
    """A mock of every web API on a free loopback port (tests/mockapi.py), fresh per test."""
    from tests.mockapi import MockApi

    server = MockApi()
    try:
        yield server
    finally:
        server.close()


def pytest_collection_modifyitems(config, items):
    """Browser tests run last: Playwright's sync API keeps an event loop running in the main
    thread for the rest of the session, and code under test calls asyncio.run()."""
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)
