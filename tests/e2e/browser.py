"""Helpers shared by the browser tests."""


def wait_for_app(page) -> None:
    """Wait until the script has finished, as Streamlit's own e2e suite does (no fixed sleeps)."""
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(
        state="attached", timeout=60_000
    )
    page.get_by_test_id("stSkeleton").first.wait_for(state="detached", timeout=60_000)
