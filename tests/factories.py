"""Small builders for test data, through the API so that its rules apply."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient


def post(client: FlaskClient, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(f"/api/v1/{path}", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def land(client: FlaskClient, code: str = "05", name: str = "Nordrhein-Westfalen", **extra):
    ensure_bund(client)
    return post(
        client,
        "organisations",
        {"ars": f"{code}0000000000", "name": name, "kind": "land", "parent": "bund", **extra},
    )


def ensure_bund(client: FlaskClient) -> None:
    if client.get("/api/v1/organisations/bund").status_code == 404:
        post(client, "organisations", {"slug": "bund", "name": "Bund", "kind": "bund"})


def organisation(client: FlaskClient, ars: str, name: str, kind: str, parent: str, **extra):
    body = {"ars": ars, "name": name, "kind": kind, "parent": parent, **extra}
    return post(client, "organisations", body)


def service(client: FlaskClient, ozg_id: str, level: str = "gemeinde", **extra):
    body = {
        "ozg_id": ozg_id,
        "name": extra.pop("name", f"Leistung {ozg_id}"),
        "themenfeld": extra.pop("themenfeld", "Querschnitt"),
        "executing_level": level,
        **extra,
    }
    return post(client, "services", body)


def solution(client: FlaskClient, slug: str, builder: str, services: list[str], **extra):
    body = {"slug": slug, "name": slug.title(), "builder": builder, "status": "live"}
    body.update(services=services, **extra)
    return post(client, "solutions", body)


def adoption(client: FlaskClient, org: str, solution_slug: str, status: str = "live", **extra):
    body = {
        "organisation": org,
        "solution": solution_slug,
        "status": status,
        "provenance": "contract",
        **extra,
    }
    return post(client, "adoptions", body)


def nrw_with_bochum(client: FlaskClient) -> None:
    """NRW, Regierungsbezirk Arnsberg, Bochum (kreisfreie Stadt)."""
    land(client)
    organisation(
        client, "059000000000", "Regierungsbezirk Arnsberg", "regierungsbezirk", "050000000000"
    )
    organisation(
        client,
        "059110000000",
        "Bochum",
        "kreisfreie_stadt",
        "059000000000",
        slug="bochum",
        population=367101,
        population_date="2024-12-31",
    )
