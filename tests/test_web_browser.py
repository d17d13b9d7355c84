"""The pages in a real browser (Debian's Chromium via Playwright), keyboard only, every
request beyond the registry refused, axe-core on every page: find Mülheim an der Ruhr,
see its gaps, open a candidate, compare with Bochum, choose three candidates, build the
business case, download the PDF and read its total; a service page's tile map.
Screenshots of a failure are kept beside the test's temporary files."""

from __future__ import annotations

import io
import json
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, sync_playwright
from pypdf import PdfReader

from registry.web import format as fmt
from tests.conftest import seeded_server
from tests.test_docs_browser import CHROMIUM, FLAGS

AXE = (Path(__file__).parent / "browser" / "axe.min.js").read_text(encoding="utf-8")
WCAG = "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']"
MUELHEIM = "051170000000"


def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical WCAG 2.1 A/AA findings on the page as it is."""
    page.evaluate(AXE)  # evaluated, not a <script>: the pages' CSP allows no scripts
    found = page.evaluate(
        f"axe.run(document, {{runOnly: {{type: 'tag', values: {WCAG}}}, "
        "resultTypes: ['violations']})"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
        for v in found["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _get_json(base: str, path: str) -> dict:
    with urllib.request.urlopen(f"{base}{path}") as answer:
        return json.load(answer)


def _tab_to(page: Page, selector: str, limit: int = 2000) -> None:
    """Press Tab until the element is focused, as a keyboard user would."""
    target = page.locator(selector).first
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{selector} not reached by Tab")


@pytest.mark.slow
def test_the_journey_by_keyboard_with_axe_on_every_page(backend, tmp_path):
    with seeded_server(backend, tmp_path, "pages", frozenset({"05"})) as (base, _token):
        lines = _get_json(base, f"/api/v1/organisations/{MUELHEIM}/budget?years=5")["lines"]
        picks = [line["solution"] for line in lines if line["cost"]][:3]
        assert len(picks) == 3
        query = "&".join(f"pick={p}" for p in picks)
        budget = _get_json(base, f"/api/v1/organisations/{MUELHEIM}/budget?years=5&{query}")
        refused: list[str] = []

        def only_the_registry(route):  # type: ignore[no-untyped-def]
            if urlsplit(route.request.url).hostname == "127.0.0.1":
                route.continue_()
            else:
                refused.append(route.request.url)
                route.abort()

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            context = browser.new_context(locale="de-DE", accept_downloads=True)
            context.route("**/*", only_the_registry)
            page = context.new_page()
            try:
                page.goto(f"{base}/")
                assert serious_violations(page) == []
                page.keyboard.press("Tab")  # the skip link comes first, and shows
                assert page.locator(".skip-link").evaluate("el => el === document.activeElement")
                _tab_to(page, "#q")
                page.keyboard.type("Muelheim an der Ruhr")
                page.keyboard.press("Enter")
                page.wait_for_url("**/?q=*")
                _tab_to(page, f'a[href="/kommune/{MUELHEIM}"]')
                page.keyboard.press("Enter")
                page.wait_for_url(f"**/kommune/{MUELHEIM}")
                assert page.locator("h1").inner_text() == "Mülheim an der Ruhr"
                assert "Was noch fehlt" in page.inner_text("main")
                assert serious_violations(page) == []
                municipality = page.url
                _tab_to(page, 'a[href^="/loesung/"]')  # open a candidate
                page.keyboard.press("Enter")
                page.wait_for_url("**/loesung/**")
                assert "Kosten für eine Kommune" in page.inner_text("main")
                assert "Mülheim an der Ruhr über 5 Kalenderjahre" in page.inner_text("main")
                assert serious_violations(page) == []
                page.goto(municipality)
                _tab_to(page, 'a[href$="/vergleich"]')  # compare with Bochum
                page.keyboard.press("Enter")
                page.wait_for_url("**/vergleich")
                _tab_to(page, "#mit")
                page.keyboard.type("Bochum")
                page.keyboard.press("Enter")
                page.wait_for_url("**/vergleich?mit=Bochum")
                assert "Bochum bietet online an, Mülheim an der Ruhr nicht" in page.inner_text(
                    "main"
                )
                assert serious_violations(page) == []
                page.goto(municipality)
                boxes = page.locator('input[name="pick"]')
                in_page_order = boxes.evaluate_all("els => els.map(e => e.value)")
                for slug in sorted(picks, key=in_page_order.index):  # Tab goes forward
                    _tab_to(page, f'input[name="pick"][value="{slug}"]')
                    page.keyboard.press("Space")
                _tab_to(page, 'button[type="submit"]')
                page.keyboard.press("Enter")
                page.wait_for_url("**/nachnutzung?*")
                total = fmt.euro(budget["totals"]["total_cents"])
                assert f"Gesamt: {total}" in page.inner_text("main")
                assert serious_violations(page) == []
                _tab_to(page, 'a[href*="nachnutzung.pdf"]')
                with page.expect_download() as download:
                    page.keyboard.press("Enter")
                pdf = Path(download.value.path()).read_bytes()
                text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
                text = " ".join(text.split()).replace("\u00a0", " ")
                assert f"Gesamt: {total.replace(chr(160), ' ')}" in text
                page.goto(f"{base}/leistung/10124")
                assert page.locator("svg[role=img] title").count() == 1
                assert serious_violations(page) == []
                for path in ("/gebiet/050000000000", "/kommune/059999999999"):
                    page.goto(f"{base}{path}")  # browsing by Land; an error page
                    assert serious_violations(page) == [], path
            except Exception:
                page.screenshot(path=str(tmp_path / "failure.png"), full_page=True)
                print(f"screenshot: {tmp_path / 'failure.png'}")
                raise
            finally:
                browser.close()
        assert refused == []
