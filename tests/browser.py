"""The system's Chromium, driven by Playwright, for pages opened from disk: every request that
is not a ``file:`` URL is refused (and listed), and console errors and page errors are
collected, so a test can require that a page fetches nothing and logs nothing."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator

import pytest


@contextlib.contextmanager
def file_page() -> Iterator:
    """A new page; its ``errors`` and ``refused`` lists fill as it runs."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=shutil.which("chromium"),
                                     args=["--no-sandbox", "--disable-gpu"])  # fmt: skip
        page = browser.new_page()
        page.errors, page.refused = [], []
        page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: page.errors.append(str(e)))

        def only_files(route):
            if route.request.url.startswith("file:"):
                return route.continue_()
            page.refused.append(route.request.url)
            return route.abort()

        page.route("**/*", only_files)
        try:
            yield page
        finally:
            browser.close()
