"""The German pages (registry.web) on the seeded NRW world: what they show is what the API
answers, formatted for people; no JavaScript; KERN UX served from the registry itself."""

import html
import re

import pytest

from registry.web import format as fmt

pytestmark = pytest.mark.world("nrw")

MUELHEIM = "051170000000"


def _text(answer) -> str:
    assert answer.status_code == 200, answer.status_code
    assert answer.mimetype == "text/html"
    return html.unescape(answer.get_data(as_text=True))


def test_start_page_finds_a_municipality_without_its_umlaut(anonymous):
    page = _text(anonymous.get("/?q=Muelheim an der Ruhr"))
    assert '<html lang="de"' in page
    assert f'href="/kommune/{MUELHEIM}">Mülheim an der Ruhr</a>' in page
    assert 'href="/kommune/050000000000">Nordrhein-Westfalen</a>' in page  # browse by Land
    assert "<script" not in page  # works without JavaScript


def test_municipality_page_shows_the_api_figures_in_german(anonymous):
    page = _text(anonymous.get(f"/kommune/{MUELHEIM}"))
    card = anonymous.get(f"/api/v1/organisations/{MUELHEIM}/scorecard").get_json()
    gaps = anonymous.get(f"/api/v1/organisations/{MUELHEIM}/gaps?years=5").get_json()
    assert "<script" not in page
    assert f"{fmt.number(card['due'])} Leistungen" in page
    assert f"{fmt.number(card['offered'])} ({fmt.percent(card['percent'])})" in page
    assert f"Was noch fehlt ({fmt.number(len(gaps['gaps']))} Leistungen)" in page
    shown = 0
    for gap in gaps["gaps"]:
        assert f"(OZG {gap['service']['ozg_id']})" in page
        for c in gap["top_candidates"]:
            assert html.unescape(c["solution_name"]) in page
            if c["cost"]:
                for cents in ("onboarding_cents", "annual_cents", "total_cents"):
                    assert fmt.euro(c["cost"][cents]) in page
                shown += 1
            for n in c["nearby_adopters"]:
                assert n["name"] in page
    assert shown > 0  # Mülheim has priced candidates (ELFE, eWA, ...)
    # what it has in progress, with the German date (the demo contract of 2025-06-02)
    assert "Unterhaltsvorschuss" in page and "seit 02.06.2025" in page


def test_pages_are_served_with_their_own_styles_only(anonymous):
    answer = anonymous.get("/")
    policy = answer.headers["Content-Security-Policy"]
    assert "style-src 'self'" in policy and "script-src" not in policy
    page = answer.get_data(as_text=True)
    for href in re.findall(r'<link rel="stylesheet" href="([^"]+)"', page):
        assert anonymous.get(href).status_code == 200, href
    fonts = anonymous.get("/assets/kern/fonts/fira-sans.css").get_data(as_text=True)
    for font in re.findall(r'url\("\./([^"]+)"\)', fonts):
        assert anonymous.get(f"/assets/kern/fonts/{font}").status_code == 200, font


def test_an_unknown_municipality_is_a_german_404_page(anonymous):
    answer = anonymous.get("/kommune/059999999999")
    assert answer.status_code == 404 and answer.mimetype == "text/html"
    assert "Nicht gefunden" in answer.get_data(as_text=True)
