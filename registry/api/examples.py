"""Example payloads for the OpenAPI document (real seed records where possible)."""

BOCHUM = {
    "key": "059110000000",
    "ars": "059110000000",
    "ags": "05911000",
    "slug": "bochum",
    "name": "Bochum",
    "kind": "kreisfreie_stadt",
    "land_code": "05",
    "parent": "059000000000",
    "parent_name": "Regierungsbezirk Arnsberg",
    "population": 367101,
    "population_date": "2024-12-31",
    "duties": None,
    "source": "Statistisches Bundesamt (Destatis), GV-ISys GV100AD, Gebietsstand 30.11.2025",
    "version": 1,
}
NEW_ORGANISATION = {
    "ars": "059140000000",
    "slug": "hagen",
    "name": "Hagen",
    "kind": "kreisfreie_stadt",
    "parent": "059000000000",
    "population": 189044,
    "population_date": "2024-12-31",
}
ORGANISATION_PATCH = {"population": 368000, "population_date": "2025-06-30"}

ELTERNGELD = {
    "key": "10000",
    "ozg_id": "10000",
    "name": "Elterngeld",
    "themenfeld": "Familie & Kind",
    "lebenslage": "Geburt",
    "executing_level": "land",
    "executing_level_source": "curated",
    "executing_level_reason": "Elterngeldstelle (BEEG § 12: the Länder name the authority)",
    "voluntary": False,
    "responsibilities": [
        {
            "land_code": "05",
            "level": "kreis",
            "reason": "Elterngeldstellen der Kreise und kreisfreien Städte (ZustVO BEEG NRW)",
        }
    ],
    "leika_keys": ["99041006000000"],
    "version": 1,
}
ELTERNGELD_RESPONSIBILITIES = {
    "ozg_id": "10000",
    "name": "Elterngeld",
    "executing_level": "land",
    "executing_level_source": "curated",
    "executing_level_reason": ELTERNGELD["executing_level_reason"],
    "voluntary": False,
    "items": [
        {
            "land_code": "01",
            "land_name": "Schleswig-Holstein",
            "level": "land",
            "reason": ELTERNGELD["executing_level_reason"],
            "per_land": False,
        },
        {
            "land_code": "05",
            "land_name": "Nordrhein-Westfalen",
            "level": "kreis",
            "reason": "Elterngeldstellen der Kreise und kreisfreien Städte (ZustVO BEEG NRW)",
            "per_land": True,
        },
    ],
}
NEW_SERVICE = {
    "ozg_id": "10601",
    "name": "Hundesteuer",
    "themenfeld": "Steuern & Zoll",
    "executing_level": "gemeinde",
    "leika_keys": ["99102112000000"],
}
SERVICE_PATCH = {"executing_level": "kreis"}

# The seed's illustrative composite price of ELFE (seed/solutions.toml).
ELFE_PRICE = {
    "model": "composite",
    "currency": "EUR",
    "valid_from": None,
    "valid_to": None,
    "onboarding_fee_cents": 500000,
    "first_year": "pro_rata",
    "pool_cents": 120000000,
    "components": [
        {
            "key": "koenigstein",
            "label": "Betrieb der technischen Infrastruktur",
            "weight_bp": 4000,
            "year": 2016,
        },
        {
            "key": "inhabitants",
            "label": "Weiterentwicklung und Changemanagement",
            "weight_bp": 4000,
            "basis_units": 83500000,
        },
        {"key": "flat", "label": "Support", "weight_bp": 2000, "participants": 400},
    ],
}
ELFE = {
    "key": "elfe",
    "slug": "elfe",
    "name": "ELFE – Einfach Leistungen für Eltern",
    "builder": "040000000000",
    "builder_name": "Freie Hansestadt Bremen",
    "operator": "dataport",
    "efa": True,
    "status": "live",
    "maturity": 3,
    "maturity_model": "1.1",
    "channel": "fit_store",
    "requires_land_contract": True,
    "services": ["10000"],
    "price": ELFE_PRICE,
    "prices": [ELFE_PRICE],
    "reuse_terms": [
        {
            "land_code": "09",
            "payer": "land_passes_on",
            "share_bp": 5000,
            "onboarding_paid_by_land": False,
            "note": "Digitalumlage: Freistaat and Kommunen share the costs half and half",
            "source": "§ 7b BayDiV",
        }
    ],
    "version": 1,
}
NEW_SOLUTION = {
    "slug": "hundesteuer-online",
    "name": "Hundesteuer online",
    "builder": "059110000000",
    "status": "pilot",
    "efa": True,
    "channel": "efa_marktplatz",
    "services": ["10601"],
    "price": {
        "model": "tiered",
        "tiers": [
            {"max_population": 100000, "annual_fee_cents": 250000},
            {"max_population": None, "annual_fee_cents": 600000},
        ],
        "onboarding_fee_cents": 100000,
    },
}
SOLUTION_PATCH = {"status": "live", "maturity": 3, "maturity_model": "1.1"}

ADOPTION = {
    "id": 1,
    "organisation": "059110000000",
    "organisation_name": "Bochum",
    "solution": "elfe",
    "solution_name": "ELFE – Einfach Leistungen für Eltern",
    "status": "live",
    "scope": "self",
    "contracted_on": "2022-03-01",
    "live_on": "2022-09-15",
    "provenance": "contract",
    "evidence_url": "https://example.org/ratsinformation/vorlage-123",
    "confirmed_on": "2025-01-10",
    "version": 1,
}
NEW_ADOPTION = {
    "organisation": "051170000000",
    "solution": "elfe",
    "status": "contracted",
    "contracted_on": "2026-10-01",
    "provenance": "self_declared",
}
ADOPTION_PATCH = {"status": "live", "live_on": "2026-11-15"}


def page(item: dict) -> dict:
    """A one-item list page."""
    return {
        "items": [item],
        "pagination": {"page": 1, "page_size": 50, "total_items": 1, "total_pages": 1},
    }
