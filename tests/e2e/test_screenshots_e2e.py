"""Every page in light and dark, as the system setting chooses, screenshotted for review.

The PNGs land in tests/e2e/screenshots/ (page-<name>-<scheme>.png; the reports' are written by
test_reports_e2e.py), quantised to a small palette so the set stays small enough to commit.
Re-run this file to regenerate them after a UI change.
"""

import pytest
from playwright.sync_api import expect

from lib import store
from tests.e2e.browser import wait_for_app
from tests.e2e.conftest import SCREENSHOTS

pytestmark = pytest.mark.e2e
PAGES = ("overview", "portfolio", "article", "compare", "upload", "sources")
PORTFOLIO = "Dr. Ada Example (fictional)"


def save_small_png(png: bytes, name: str) -> None:
    """A 64-colour PNG: UI screenshots keep their legibility at a fraction of the size."""
    import io

    from PIL import Image

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=64)
    image.save(SCREENSHOTS / f"{name}.png", optimize=True)


@pytest.fixture(scope="module")
def article_key(e2e_db):
    with store.connect(e2e_db) as con:
        return store.collection_keys(con, PORTFOLIO)[0]


def _address(app_url: str, name: str, key: str) -> str:
    if name == "overview":
        return f"{app_url}/?collection={PORTFOLIO}"
    if name == "article":
        return f"{app_url}/article?key={key}"
    return f"{app_url}/{name}?collection={PORTFOLIO}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", PAGES)
def test_every_page_renders_in_the_system_theme(browser, app_url, article_key, name, scheme):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(_address(app_url, name, article_key))
        wait_for_app(page)
        expect(page.get_by_test_id("stException")).to_have_count(0)
        background = page.evaluate(
            "getComputedStyle(document.querySelector('[data-testid=stApp]')).backgroundColor"
        )
        red, green, blue = (
            int(v) for v in background[background.index("(") + 1 : -1].split(",")[:3]
        )
        # The app follows the system setting: dark background in dark mode, light in light.
        assert (red + green + blue < 200) == (scheme == "dark"), background
        page.wait_for_timeout(500)  # let plotly finish its first layout before the picture
        save_small_png(page.screenshot(), f"page-{name}-{scheme}")
    finally:
        context.close()
