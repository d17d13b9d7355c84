"""/docs in a real browser (Debian's Chromium, driven by Playwright) with every request
beyond the registry refused: Swagger UI must come from the registry itself."""

from __future__ import annotations

import shutil
import threading
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def served(base_app):
    server = make_server("127.0.0.1", 0, base_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_docs_show_the_operations_without_any_other_host(served):
    refused: list[str] = []

    def only_the_registry(route):  # type: ignore[no-untyped-def]
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page()
            page.route("**/*", only_the_registry)
            page.goto(f"{served}/docs", wait_until="networkidle")
            page.wait_for_selector(".opblock", timeout=30_000)
            operations = page.locator(".opblock").count()
            text = page.inner_text("body")
        finally:
            browser.close()
    assert refused == []
    assert operations >= 30  # every operation of the API has its block
    assert "/api/v1/organisations/{org}/gaps" in text
