"""A local-first dashboard makes no request its user did not ask for: the page icon is shipped."""

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _page_icon() -> ast.expr:
    tree = ast.parse((REPO / "app.py").read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "set_page_config":
            return next(k.value for k in node.keywords if k.arg == "page_icon")
    raise AssertionError("app.py sets no page config")


def test_the_favicon_is_a_shipped_file_not_a_font_or_cdn_icon():
    # `:material/...:` and emoji favicons are fetched by the browser from a font / CDN host on
    # every page load; a file served by our own server is not.
    icon = _page_icon()
    text = ast.unparse(icon)
    assert ":material/" not in text and not (
        isinstance(icon, ast.Constant) and not str(icon.value).endswith(".png")
    )
    assert (REPO / "static" / "triangulate.png").is_file()
    assert "static" in (REPO / "app.py").read_text()
