"""The digital office's pages, in German: find a municipality, see its standing, its gaps
and who built, prices and runs each candidate near it.

Server-rendered (Jinja), styled with the vendored KERN UX design system, no JavaScript.
Views call the logic layer through the request's unit of work, as the API does; no SQL
here or in the templates.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from flask import Blueprint, render_template, request
from sqlalchemy import select

from registry.db import get_session
from registry.errors import NotFound
from registry.logic import analysis, lookup, search
from registry.models import Organisation
from registry.web import format as fmt

blp = Blueprint(
    "web",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/assets",  # the app's own /static is Flask's
)
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


@blp.get("/")
def start() -> str:
    session = get_session()
    query = request.args.get("q", "").strip()[:100]
    hits: list[search.Hit] = []
    if query:
        hits, _ = search.search(session, query, types=["organisation"], page=1, page_size=25)
    lands = session.execute(
        select(Organisation.ars, Organisation.name)
        .where(Organisation.kind == "land")
        .order_by(Organisation.land_code)
    ).all()
    return render_template("start.html", query=query, hits=hits, lands=lands)


@blp.get("/kommune/<key>")
def municipality(key: str) -> Any:
    session = get_session()
    try:
        org = lookup.organisation(session, key)
    except NotFound:
        return render_template("not_found.html", key=key), 404
    card = analysis.scorecard_view(session, org)
    gaps = analysis.gaps_view(session, org, years=YEARS, sort="score", top=3)
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
