"""The CLI writes to the cache while the dashboard has it open (DESIGN.md: one writing process)."""

import subprocess
import sys

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import wait_for_app
from tests.e2e.conftest import start_streamlit

pytestmark = pytest.mark.e2e


def test_an_import_from_the_cli_shows_up_in_the_open_dashboard(page, fresh_copy, tmp_path):
    proc, url = start_streamlit(fresh_copy)
    try:
        page.goto(url)
        wait_for_app(page)
        before = page.get_by_test_id("stMetricValue").nth(1).inner_text()
        ids = tmp_path / "from_the_cli.txt"
        ids.write_text("10.1234/cli.1\nPMID: 12345678\nnot an id\n", encoding="utf-8")
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "lib.cli",
                "import",
                str(ids),
                "--collection",
                "From the CLI",
                "--db",
                str(fresh_copy),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        page.reload()
        wait_for_app(page)
        expect(page.get_by_test_id("stMetricValue").nth(1)).not_to_have_text(before)
        # The new, non-demo collection sorts first in the Overview's collections table.
        expect(page.get_by_test_id("glide-cell-0-0").first).to_have_text("From the CLI")
        expect(page.get_by_test_id("stException")).to_have_count(0)
    finally:
        proc.terminate()
        proc.wait(timeout=15)
