import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

REPO = Path(__file__).resolve().parents[1]

# Machines here are shared and noisy: no per-example time limit, so a slow moment is not a failure.
settings.register_profile(
    "triangulate", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("triangulate")


# Variables that would point a test at a developer's keys, cache or servers.
KEY_VARIABLES = ("OPENALEX_API_KEY", "ALTMETRIC_API_KEY", "SEMANTIC_SCHOLAR_API_KEY")
KEPT = ("TRIANGULATE_REFERENCE_DIR",)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path_factory):
    """No test sees the developer's API keys, contact address, base URLs, cache path or
    `.streamlit/secrets.toml`: tests set what they need themselves."""
    for name in list(os.environ):
        if name in KEY_VARIABLES or (name.startswith("TRIANGULATE_") and name not in KEPT):
            monkeypatch.delenv(name)
    no_secrets = tmp_path_factory.getbasetemp() / "no-secrets.toml"
    monkeypatch.setenv("TRIANGULATE_SECRETS_FILE", str(no_secrets))


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
    # Under xdist (`-n auto --dist loadgroup`) the browser tests share one worker, last.
    for item in items:
        if item.get_closest_marker("e2e") is not None:
            item.add_marker(pytest.mark.xdist_group("browser"))
