"""The digital office's pages, in German: find a municipality, see its standing, its gaps
and who built, prices and runs each candidate near it.

Server-rendered (Jinja), styled with the vendored KERN UX design system, no JavaScript.
Views call the logic layer through the request's unit of work, as the API does; no SQL
here or in the templates.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, g, render_template, request

from registry.db import get_session
from registry.errors import Invalid, NotFound
from registry.logic import (
    adoptions,
    analysis,
    budget,
    costs,
    lookup,
    organisations,
    prices,
    search,
)
from registry.logic import coverage as coverage_logic
from registry.models import Organisation
from registry.web import format as fmt
from registry.web import tiles

blp = Blueprint(
    "web",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/assets",  # the app's own /static is Flask's
)


@blp.before_request
def _read_only() -> None:
    g.read_only = True  # pages only read: no transaction needed (registry.db)


KINDS = {
    "gemeinde": "Gemeinde",
    "gemeindeverband": "Gemeindeverband",
    "kreis": "Kreis",
    "kreisfreie_stadt": "Kreisfreie Stadt",
    "land": "Land",
    "bund": "Bund",
    "regierungsbezirk": "Regierungsbezirk",
    "non_territorial": "Einrichtung",
}


@blp.app_context_processor
def _vocabulary() -> dict[str, Any]:
    return {"kinds": KINDS}


YEARS = 5  # the estimate's horizon on the pages


@blp.app_template_filter("euro")
def _euro(cents: int | None) -> str:
    return fmt.euro(cents)


@blp.app_template_filter("zahl")
def _number(value: int | float | None, decimals: int = 0) -> str:
    return fmt.number(value, decimals)


@blp.app_template_filter("prozent")
def _percent(value: float | None) -> str:
    return fmt.percent(value)


@blp.app_template_filter("datum")
def _day(value: Any) -> str:
    return fmt.day(value)


TITLES = {
    400: "Ungültige Anfrage",
    401: "Anmeldung nötig",
    403: "Kein Zugriff",
    404: "Nicht gefunden",
    405: "Nicht erlaubt",
    413: "Anfrage zu groß",
    414: "Adresse zu lang",
    422: "Ungültige Angaben",
    503: "Vorübergehend nicht erreichbar",
}


def error_page(status: int, detail: str) -> Response:
    """An error on a page, for a person: German, HTML, the same status."""
    title = TITLES.get(status, "Fehler")
    page = render_template("error.html", title=title, detail=detail, status=status)
    return Response(page, status=status, mimetype="text/html")


@blp.get("/")
def start() -> str:
    session = get_session()
    query = request.args.get("q", "").strip()[:100]
    hits: list[search.Hit] = []
    if query:
        hits, _ = search.search(session, query, types=["organisation"], page=1, page_size=25)
    return render_template("start.html", query=query, hits=hits, lands=organisations.lands(session))


@blp.get("/kommune/<key>")
def municipality(key: str) -> Any:
    session = get_session()
    try:
        # The organisation with its Land read in the gap statement, as the API's gap
        # answer reads it (registry.logic.gaps.asked): the page shows no more of it than
        # its key, name, kind and population.
        gaps = analysis.gaps_view(session, key, years=YEARS, sort="score", top=3)
    except NotFound:
        return render_template("not_found.html", key=key), 404
    org = gaps["organisation"]
    card = analysis.scorecard_of(session, org)
    by_field: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for gap in gaps["gaps"]:
        by_field[gap["service"].themenfeld or "Ohne Themenfeld"].append(gap)
    in_progress = [
        (gap["service"], started) for gap in gaps["gaps"] for started in gap["in_progress"]
    ]
    return render_template(
        "municipality.html",
        org=org,
        card=card,
        gaps=gaps,
        by_field=sorted(by_field.items()),
        in_progress=in_progress,
        years=YEARS,
    )


CSV_COLUMNS = (
    "OZG-ID",
    "Leistung",
    "Themenfeld",
    "Ebene",
    "Beste Lösung",
    "Gebaut von",
    "Gesperrt, weil",
    "Anbindung (EUR)",
    "Je Jahr (EUR)",
    f"{YEARS} Jahre (EUR)",
    "Nutzer in der Nähe",
)


@blp.get("/kommune/<key>/luecken.csv")
def gaps_csv(key: str) -> Any:
    """The gap list for spreadsheets: `;`, UTF-8 with BOM, decimal commas."""
    session = get_session()
    try:
        # Its last column names who near the organisation runs the best candidate;
        # nobody like it: those are not asked for.
        gaps = analysis.gaps_view(session, key, years=YEARS, sort="score", top=1, named="nearby")
    except NotFound:
        return render_template("not_found.html", key=key), 404
    org = gaps["organisation"]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for gap in gaps["gaps"]:
        service, best = gap["service"], (gap["top_candidates"] or [None])[0]
        cost = best.cost if best else None
        builder = best.solution.builder if best else None
        writer.writerow(
            [
                service.ozg_id,
                fmt.spreadsheet_text(service.name),
                fmt.spreadsheet_text(service.themenfeld),
                service.executing_level,
                fmt.spreadsheet_text(best.solution.name if best else ""),
                fmt.spreadsheet_text(builder.name if builder else ""),
                fmt.spreadsheet_text(best.blocked_reason if best else ""),
                fmt.spreadsheet_euro(cost.onboarding_cents if cost else None),
                fmt.spreadsheet_euro(cost.annual_cents if cost else None),
                fmt.spreadsheet_euro(cost.total_cents if cost else None),
                fmt.spreadsheet_text(", ".join(n.name for n in best.nearby) if best else ""),
            ]
        )
    name = f"luecken-{org.ars or org.slug}.csv"
    return Response(
        "\ufeff" + out.getvalue(),  # the BOM: spreadsheets then read UTF-8
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@blp.get("/leistung/<ozg_id>")
def service(ozg_id: str) -> Any:
    """A service: coverage per Land (tile map and table) and the solutions in use."""
    session = get_session()
    try:
        found = lookup.service(session, ozg_id, leika=False)
    except NotFound:
        return render_template("not_found.html", key=ozg_id, what="Keine Leistung"), 404
    covered = analysis.coverage_view(session, found, None, None)
    lands = [
        (land, coverage_logic.percent(land.offering, land.due))
        for land in covered.per_land
        if land.land_code
    ]
    return render_template(
        "service.html",
        service=found,
        covered=covered,
        lands=lands,
        percent=coverage_logic.percent(covered.offering, covered.due),
        tiles=tiles.tiles({land.land_code: value for land, value in lands}),
        size=tiles.SIZE,
        width=tiles.WIDTH,
        height=tiles.HEIGHT,
    )


def _business_case(key: str) -> tuple[dict[str, Any] | None, int]:
    """The chosen candidates (`pick`, repeated) costed as one budget; None and 404 for an
    unknown municipality."""
    session = get_session()
    picks = [p for p in request.args.getlist("pick") if p][:50]
    problem = None
    try:  # the organisation looked up in the gap statement, before the picks are judged
        found = budget.budget_for(session, key, years=YEARS, pick=picks or None)
    except NotFound:
        return None, 404
    except Invalid as invalid:
        messages = (invalid.errors or {}).values()
        problem = "; ".join(
            str(m) for ms in messages for m in (ms if isinstance(ms, list) else [ms])
        )
        found = budget.budget_for(session, key, years=YEARS)
    org = found.organisation
    return {"org": org, "found": found, "picks": picks, "problem": problem, "years": YEARS}, 200


@blp.get("/kommune/<key>/nachnutzung")
def business_case(key: str) -> Any:
    """A one-page business case ("Nachnutzung") for the chosen candidates, printable."""
    context, status = _business_case(key)
    if context is None:
        return render_template("not_found.html", key=key), status
    return render_template("business_case.html", pdf=False, **context)


@blp.get("/kommune/<key>/nachnutzung.pdf")
def business_case_pdf(key: str) -> Any:
    """The same page as a PDF (WeasyPrint; styles and fonts from disk, never the network)."""
    context, status = _business_case(key)
    if context is None:
        return render_template("not_found.html", key=key), status
    from weasyprint import HTML, URLFetcher  # a heavy import: only when a PDF is asked

    page = render_template("business_case.html", pdf=True, **context)
    static = Path(blp.static_folder or "")
    pdf = HTML(
        string=page,
        base_url=f"{static.as_uri()}/",
        url_fetcher=URLFetcher(allowed_protocols={"file", "data"}),
    ).write_pdf(pdf_variant="pdf/ua-1")
    org = context["org"]
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="nachnutzung-{org.ars or org.slug}.pdf"'
        },
    )


def _organisation_named(session: Any, text: str) -> Organisation | None:
    """An organisation by key (ARS or slug), else the best search hit for the name."""
    try:
        return lookup.organisation(session, text, duties=False)
    except NotFound:
        hits, _ = search.search(session, text, types=["organisation"], page=1, page_size=1)
        return lookup.organisation(session, hits[0].key, duties=False) if hits else None


@blp.get("/kommune/<key>/vergleich")
def compare(key: str) -> Any:
    """Two municipalities side by side: what each offers that the other lacks."""
    session = get_session()
    try:
        a = lookup.organisation(session, key, duties=False)
    except NotFound:
        return render_template("not_found.html", key=key), 404
    other = request.args.get("mit", "").strip()[:100]
    b = _organisation_named(session, other) if other else None
    if b is None:
        return render_template(
            "compare.html", a=a, other=other, view=None
        ), 200 if not other else 404
    view = analysis.compare_view(session, a, b)
    cards = {o.id: analysis.scorecard_of(session, o) for o in (a, b)}
    return render_template("compare.html", a=a, b=b, other=other, view=view, cards=cards)


MODELS = {
    "flat": "Pauschale je Jahr",
    "per_capita": "Betrag je Einwohnerin und Einwohner",
    "tiered": "Staffel nach Einwohnerzahl",
    "koenigstein": "Anteil nach Königsteiner Schlüssel",
    "composite": "zusammengesetzt (mehrere Schlüssel, siehe Grundlage)",
    "free": "kostenfrei",
}


@blp.get("/loesung/<slug>")
def solution(slug: str) -> Any:
    """A solution: builder, price model in words, adopters, the cost for a municipality."""
    session = get_session()
    try:
        found = lookup.solution(session, slug)
    except NotFound:
        return render_template("not_found.html", key=slug, what="Keine Lösung"), 404
    period = prices.latest(found.prices) if found.prices else None
    live = adoptions.list_adoptions(session, page=1, page_size=100, solution=slug, status="live")
    asked = request.args.get("fuer", "").strip()[:100]
    org = _organisation_named(session, asked) if asked else None
    estimate, unavailable = None, None
    if org is not None:
        try:
            estimate = analysis.cost_view(session, found, org, YEARS)
        except costs.CostUnavailable as missing:
            unavailable = missing.reason
    return render_template(
        "solution.html",
        solution=found,
        model=MODELS.get(prices.model_of(period), "–") if period else "kein Preis erfasst",
        adopters=live.items,
        adopters_total=live.total_items,
        asked=asked,
        org=org,
        estimate=estimate,
        unavailable=unavailable,
        years=YEARS,
    )


BELOW = ("land", "regierungsbezirk", "kreis", "gemeindeverband")  # kinds with bodies below


@blp.get("/gebiet/<key>")
def area(key: str) -> Any:
    """Browse the tree: the bodies directly below a Land, Regierungsbezirk, Kreis or
    Gemeindeverband, each with its page (and its own list when it has bodies below)."""
    session = get_session()
    try:
        org = lookup.organisation(session, key, duties=False)
    except NotFound:
        return render_template("not_found.html", key=key, what="Kein Gebiet"), 404
    below = organisations.list_organisations(session, page=1, page_size=1000, parent=key)
    return render_template(
        "area.html", org=org, below=sorted(below.items, key=lambda o: o.name), nested=BELOW
    )
