"""Example answers of the analysis endpoints (shapes as served; figures from the demo seed)."""

MUELHEIM = {
    "key": "051170000000",
    "name": "Mülheim an der Ruhr",
    "kind": "kreisfreie_stadt",
    "land_code": "05",
}
BOCHUM = {"key": "059110000000", "name": "Bochum", "kind": "kreisfreie_stadt", "land_code": "05"}
ELTERNGELD = {
    "ozg_id": "10000",
    "name": "Elterngeld",
    "themenfeld": "Familie & Kind",
    "executing_level": "kreis",
}
ESTIMATE = {
    "currency": "EUR",
    "onboarding_cents": 500000,
    "annual_cents": 256865,
    "first_year_cents": 21405,
    "years": 2,
    "start": "2026-12-02",
    "total_cents": 778270,
    "paid_by": "reuser",
    "per_year": [
        {
            "year": 2026,
            "months": 1,
            "cents": 21405,
            "price_valid_from": None,
            "price_known": True,
        },
        {
            "year": 2027,
            "months": 12,
            "cents": 256865,
            "price_valid_from": None,
            "price_known": True,
        },
    ],
    "basis": "Betrieb der technischen Infrastruktur: Königsteiner Schlüssel 2016: "
    "Nordrhein-Westfalen carries 21.14424 % of 40 % of 1.200.000,00 € a year; Mülheim an der "
    "Ruhr pays its population's part: 173.050 of 18.034.454 inhabitants (as of 2024-12-31) + "
    "Weiterentwicklung und Changemanagement: 40 % of 1.200.000,00 € shared by inhabitants: "
    "173.050 inhabitants of Mülheim an der Ruhr (as of 2024-12-31) of 83.500.000 in all + "
    "Support: 20 % of 1.200.000,00 € shared equally by 400 participants = 2.568,65 € a year; "
    "first year 2026 pro rata: 1 of 12 months, from the contract month 12/2026; one-time "
    "Anbindung 5.000,00 €; total over 2 years from 2026-12-02",
}
CANDIDATE = {
    "solution": "elfe",
    "solution_name": "ELFE – Einfach Leistungen für Eltern",
    "builder": "040000000000",
    "builder_name": "Freie Hansestadt Bremen",
    "status": "live",
    "maturity": 3,
    "maturity_model": "1.1",
    "channel": "fit_store",
    "requires_land_contract": True,
    "land_contracted": False,
    "blocked_reason": "ELFE – Einfach Leistungen für Eltern requires a contract of the Land "
    "(Nordrhein-Westfalen), which has not signed it.",
    "adopters": 2,
    "adopters_in_land": 1,
    "cost": ESTIMATE,
    "cost_unavailable": None,
    "score": 0.2743,
    "score_components": {
        "status": 1.0,
        "maturity": 0.75,
        "adoption": 0.1667,
        "nearby": 0.25,
        "cost": 0.1304,
    },
}
GAPS = {
    "organisation": MUELHEIM,
    "due": 38,
    "offered": 4,
    "gaps": [{"service": ELTERNGELD, "candidates_total": 2, "top_candidates": [CANDIDATE]}],
}
CANDIDATES = {
    "organisation": MUELHEIM,
    "services": [{"service": ELTERNGELD, "offered": False, "candidates": [CANDIDATE]}],
}
COST = {**ESTIMATE, "solution": "elfe", "organisation": MUELHEIM, "price_model": "composite"}
COVERAGE = {
    "service": ELTERNGELD,
    "region": None,
    "kind": None,
    "due": 24,
    "offering": 3,
    "percent": 12.5,
    "per_land": [
        {
            "land_code": "05",
            "land_name": "Nordrhein-Westfalen",
            "due": 23,
            "offering": 3,
            "percent": 13.0,
        }
    ],
    "solutions": [
        {"slug": "elfe", "name": "ELFE – Einfach Leistungen für Eltern", "organisations": 2}
    ],
}
SCORECARD = {
    "organisation": BOCHUM,
    "due": 38,
    "offered": 6,
    "percent": 15.8,
    "rank_in_land": {"rank": 2, "peers": 22},
    "rank_nationwide": {"rank": 2, "peers": 24},
}
COMPARE = {
    "a": MUELHEIM,
    "b": BOCHUM,
    "b_offers_a_lacks": [
        {"service": ELTERNGELD, "solutions": [{"slug": "elfe", "name": "ELFE", "via": "adoption"}]}
    ],
    "a_offers_b_lacks": [],
}
RANKINGS = {
    "items": [{"organisation": BOCHUM, "due": 38, "offered": 6, "percent": 15.8, "rank": 2}],
    "pagination": {"page": 1, "page_size": 50, "total_items": 1, "total_pages": 1},
}
SEARCH = {
    "items": [
        {
            "type": "service",
            "key": "10160",
            "name": "Hundehaltung",
            "detail": "Recht & Ordnung",
            "score": 3,
            "href": "/api/v1/services/10160",
        }
    ],
    "pagination": {"page": 1, "page_size": 50, "total_items": 1, "total_pages": 1},
}
BUDGET = {
    "organisation": MUELHEIM,
    "years": 2,
    "start": "2026-12-02",
    "gaps": 2,
    "lines": [
        {
            "solution": "elfe",
            "solution_name": "ELFE – Einfach Leistungen für Eltern",
            "builder": "040000000000",
            "builder_name": "Freie Hansestadt Bremen",
            "status": "live",
            "chosen": "picked",
            "blocked_reason": CANDIDATE["blocked_reason"],
            "services": [ELTERNGELD],
            "cost": ESTIMATE,
            "cost_unavailable": None,
        }
    ],
    "uncovered": [
        {
            "service": {
                "ozg_id": "10219",
                "name": "Hundehaltung",
                "themenfeld": "Recht & Ordnung",
                "executing_level": "gemeinde",
            },
            "reason": "not picked",
        }
    ],
    "complete": True,
    "totals": {
        "currency": "EUR",
        "onboarding_cents": 500000,
        "annual_cents": 256865,
        "first_year_cents": 21405,
        "total_cents": 778270,
        "per_year": [{"year": 2026, "cents": 21405}, {"year": 2027, "cents": 256865}],
    },
}
