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
    assert 'href="/gebiet/050000000000">Nordrhein-Westfalen</a>' in page  # browse by Land
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
    channels = {"fit_store": "FIT-Store", "efa_marktplatz": "EfA-Marktplatz"}
    listed = [c for g in gaps["gaps"] for c in g["top_candidates"]]
    for c in listed:
        if c["channel"] in channels:
            assert f"Bezug: {channels[c['channel']]}" in page
        if c["requires_land_contract"]:
            assert "Landesvertrag " + ("liegt vor" if c["land_contracted"] else "fehlt") in page
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
    # Its business case too, whatever it picks (the lookup before the picks are judged).
    for path in ("nachnutzung?pick=no-such-solution", "nachnutzung.pdf"):
        answer = anonymous.get(f"/kommune/059999999999/{path}")
        assert answer.status_code == 404 and answer.mimetype == "text/html", path


def test_the_gap_list_as_csv_reads_as_a_german_spreadsheet_would(anonymous):
    answer = anonymous.get(f"/kommune/{MUELHEIM}/luecken.csv")
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    assert "attachment" in answer.headers["Content-Disposition"]
    raw = answer.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    import csv
    import io

    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert header[0] == "OZG-ID" and header[-1] == "Nutzer in der Nähe"
    gaps = anonymous.get(f"/api/v1/organisations/{MUELHEIM}/gaps?years=5&top=1").get_json()
    assert [row[0] for row in body] == [g["service"]["ozg_id"] for g in gaps["gaps"]]
    for row, gap in zip(body, gaps["gaps"], strict=True):
        assert row[1] == gap["service"]["name"]
        best = gap["top_candidates"][0] if gap["top_candidates"] else None
        if best and best["cost"]:
            total = best["cost"]["total_cents"]
            assert row[9] == f"{total // 100},{total % 100:02d}"  # decimal comma, no dots
            assert float(row[9].replace(",", ".")) * 100 == pytest.approx(total)
        else:
            assert row[9] == ""


def test_csv_cells_never_start_a_formula():
    assert fmt.spreadsheet_text("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert fmt.spreadsheet_text("Bürgerbüro") == "Bürgerbüro"
    assert fmt.spreadsheet_euro(123456) == "1234,56" and fmt.spreadsheet_euro(None) == ""


def test_a_service_page_shows_coverage_per_land_as_tiles_and_a_table(anonymous):
    api = anonymous.get("/api/v1/services/10124/coverage").get_json()
    page = _text(anonymous.get("/leistung/10124"))
    assert "<script" not in page
    assert 'role="img"' in page and "<title" in page  # the map's text alternative
    for abbreviation in ("SH", "NW", "BY", "BE", "SL", "MV"):
        assert f">{abbreviation}</text>" in page
    for land in api["per_land"]:
        if land["land_code"]:
            row = (
                f'<th class="kern-table__cell" scope="row">{land["land_name"]}</th>\n'
                f'        <td class="kern-table__cell kern-table__cell--numeric">'
                f"{fmt.number(land['due'])}</td>"
            )
            assert row in page, land
    for solution in api["solutions"]:
        assert f"{solution['name']}: {fmt.number(solution['organisations'])} Stellen" in page
    assert anonymous.get("/leistung/99999").status_code == 404


def test_tiles_are_shaded_by_share_and_cover_every_land():
    from registry.web import tiles

    drawn = tiles.tiles({"05": 0.0, "09": 100.0, "01": 59.9})
    assert len(drawn) == 16 and len({(t.x, t.y) for t in drawn}) == 16
    by = {t.abbreviation: t for t in drawn}
    assert by["NW"].fill == tiles.SHADES[0] and by["BY"].fill == tiles.SHADES[4]
    assert by["SH"].fill == tiles.SHADES[3] and by["SH"].label == "60\u00a0%"  # as shown
    assert by["HE"].fill == tiles.NO_DUTY and by["HE"].label == "–"
    assert by["BY"].text_fill == "#ffffff" and by["NW"].text_fill == "#1a1a1a"


def _three_picks(anonymous) -> list[str]:
    lines = anonymous.get(f"/api/v1/organisations/{MUELHEIM}/budget?years=5").get_json()["lines"]
    priced = [line["solution"] for line in lines if line["cost"]]
    assert len(priced) >= 3
    return priced[:3]


def test_a_business_case_for_three_candidates_totals_as_the_budget(anonymous):
    picks = _three_picks(anonymous)
    query = "&".join(f"pick={p}" for p in picks)
    api = anonymous.get(f"/api/v1/organisations/{MUELHEIM}/budget?years=5&{query}").get_json()
    page = _text(anonymous.get(f"/kommune/{MUELHEIM}/nachnutzung?{query}"))
    assert "<script" not in page
    assert f"Gesamt: {fmt.euro(api['totals']['total_cents'])}" in page
    assert fmt.euro(api["totals"]["onboarding_cents"]) in page
    for line in api["lines"]:
        assert line["solution_name"] in page
        assert fmt.euro(line["cost"]["total_cents"]) in page
    for year in api["totals"]["per_year"]:
        assert f"{year['year']}: {fmt.euro(year['cents'])}" in page
    assert f"/kommune/{MUELHEIM}/nachnutzung.pdf?" in page


def test_the_business_case_pdf_states_the_same_totals(anonymous):
    import io

    from pypdf import PdfReader

    picks = _three_picks(anonymous)
    query = "&".join(f"pick={p}" for p in picks)
    api = anonymous.get(f"/api/v1/organisations/{MUELHEIM}/budget?years=5&{query}").get_json()
    answer = anonymous.get(f"/kommune/{MUELHEIM}/nachnutzung.pdf?{query}")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(answer.get_data()))
    text = " ".join(page.extract_text() for page in reader.pages)
    text = " ".join(text.split()).replace("\u00a0", " ")
    total = fmt.euro(api["totals"]["total_cents"]).replace("\u00a0", " ")
    assert f"Gesamt: {total}" in text
    assert "Mülheim an der Ruhr" in text
    for line in api["lines"]:
        assert fmt.euro(line["cost"]["total_cents"]).replace("\u00a0", " ") in text


def test_a_pick_that_closes_no_gap_is_said_on_the_page(anonymous):
    page = _text(anonymous.get(f"/kommune/{MUELHEIM}/nachnutzung?pick=no-such-solution"))
    assert "Die Auswahl passt nicht zu den Lücken" in page


BOCHUM = "059110000000"


def test_compare_shows_what_each_offers_that_the_other_lacks(anonymous):
    api = anonymous.get(f"/api/v1/organisations/{MUELHEIM}/compare/{BOCHUM}").get_json()
    page = _text(anonymous.get(f"/kommune/{MUELHEIM}/vergleich?mit=Bochum"))
    lacks = api["b_offers_a_lacks"]
    assert f"Bochum bietet online an, Mülheim an der Ruhr nicht ({len(lacks)})" in page
    for item in lacks:
        assert item["service"]["name"] in page
        for s in item["solutions"]:
            assert s["name"] in page
    assert _text(anonymous.get(f"/kommune/{MUELHEIM}/vergleich")).count("<form") == 1
    assert anonymous.get(f"/kommune/{MUELHEIM}/vergleich?mit=Nirgendwo").status_code == 404


def test_a_solution_page_gives_the_price_model_and_the_cost_for_a_municipality(anonymous):
    api = anonymous.get(f"/api/v1/solutions/elfe/cost?for={MUELHEIM}&years=5").get_json()
    page = _text(anonymous.get("/loesung/elfe?fuer=Mülheim an der Ruhr"))
    assert "Freie Hansestadt Bremen" in page or "Bremen" in page  # ELFE: built by Bremen
    assert "zusammengesetzt" in page  # three keys combined (issue 15's seed)
    for cents in ("onboarding_cents", "annual_cents", "total_cents"):
        assert fmt.euro(api[cents]) in page
    assert f'<span lang="en">{api["basis"]}</span>' in html.unescape(
        anonymous.get("/loesung/elfe?fuer=Mülheim an der Ruhr").get_data(as_text=True)
    )  # the basis is English text: marked as such on the German page
    assert "In Betrieb bei" in page
    assert anonymous.get("/loesung/no-such-solution").status_code == 404


def test_errors_on_pages_are_german_html_and_the_api_keeps_problem_json(anonymous):
    page = anonymous.get("/kommune/" + "9" * 300)  # not a key: still a page of ours
    assert page.mimetype == "text/html" and page.status_code == 404
    assert anonymous.get("/kommune/").mimetype == "text/html"  # no such route
    assert anonymous.get("/leistung/12345").get_data(as_text=True).count("Keine Leistung") == 1
    api = anonymous.get("/api/v1/organisations/059999999999")
    assert api.status_code == 404 and api.mimetype == "application/problem+json"


def test_a_land_link_and_the_tile_labels_round_half_up():
    from registry.web import tiles

    drawn = {t.abbreviation: t for t in tiles.tiles({"05": 12.5, "09": 19.6})}
    assert drawn["NW"].label == "13\u00a0%"
    assert drawn["BY"].label == "20\u00a0%" and drawn["BY"].fill == tiles.SHADES[1]


def test_browse_a_land_down_to_its_municipalities(anonymous):
    land = _text(anonymous.get("/gebiet/050000000000"))
    assert "Regierungsbezirk Düsseldorf" in land or "Düsseldorf" in land
    bezirk = anonymous.get("/api/v1/organisations?parent=051000000000&page_size=100").get_json()
    page = _text(anonymous.get("/gebiet/051000000000"))
    for item in bezirk["items"]:
        assert f'href="/kommune/{item["key"]}">{item["name"]}</a>' in page
    assert f'href="/kommune/{MUELHEIM}">Mülheim an der Ruhr</a>' in page
    assert anonymous.get("/gebiet/059999999999").status_code == 404
