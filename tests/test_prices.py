"""Reuse costs as EfA prices them, through the API, every figure worked out by hand.

Composite keys (IT-Planungsrat decision 2021/24: inhabitants, uses, target group,
Königsteiner Schlüssel, or a combination), usage-based estimates with case rates, the
first year pro rata (Marktplatz contract), price periods, who pays (the Land, FITKO's
budget, the Land passing costs on), and the budget for all gaps. Rounding rule: a year's
exact figure is rounded once, half up; total = onboarding + the rounded years. The
expected numbers below carry their arithmetic; none is computed by the code under test.
"""

import pytest

from registry.models import KoenigsteinShare
from tests import factories as f

NRW = "050000000000"
BAYERN = "090000000000"
BOCHUM = "059110000000"
KREIS = "059540000000"
MUSTERSTADT = "059540099099"
MUSTERDORF = "091620099099"
PROBLEM = "application/problem+json"


@pytest.fixture
def world(client, session):
    """NRW (18,000,000 inhabitants, Königstein 2024: 21.14424 %), Bochum (367,101),
    Bayern (13,000,000; 15.55555 %, a test figure), Musterdorf in Bayern (12,000);
    Hundesteuer (10601, 13.9 cases per 1,000 a year) and Hundehaltung (10602, 2.5)."""
    session.add(KoenigsteinShare(year=2024, land_code="05", share_e5=2_114_424))
    session.add(KoenigsteinShare(year=2024, land_code="09", share_e5=1_555_555))
    session.commit()
    f.land(client, "05", "Nordrhein-Westfalen", population=18_000_000)
    f.land(client, "09", "Bayern", population=13_000_000)
    f.organisation(client, BOCHUM, "Bochum", "kreisfreie_stadt", NRW, population=367_101)
    f.organisation(client, KREIS, "Ennepe-Ruhr-Kreis", "kreis", NRW)
    f.organisation(client, MUSTERSTADT, "Musterstadt", "gemeinde", KREIS, population=50_000)
    f.organisation(client, MUSTERDORF, "Musterdorf", "gemeinde", BAYERN, population=12_000)
    f.service(
        client,
        "10601",
        name="Hundesteuer",
        case_rate_per_1000="13.9",
        case_rate_source="test figure",
    )
    f.service(
        client, "10602", name="Hundehaltung", case_rate_per_1000="2.5", case_rate_assumed=True
    )
    f.service(client, "10603", name="Fischereischein")


def _cost(client, slug, org, **query):
    params = "&".join(f"{k}={v}" for k, v in {"for": org, **query}.items())
    response = client.get(f"/api/v1/solutions/{slug}/cost?{params}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _solution(client, slug, services=("10601",), **extra):
    return f.solution(client, slug, "bund", list(services), efa=True, **extra)


def _refused(response, field):
    assert response.status_code == 422, response.get_json()
    assert response.content_type == PROBLEM
    errors = response.get_json()["errors"]
    assert field in errors, errors
    return errors[field]


COMPOSITE = {
    "onboarding_fee_cents": 250_000,
    "first_year": "full",
    "pool_cents": 100_000_000,  # 1.000.000,00 € of eligible costs a year
    "components": [
        {"key": "koenigstein", "weight_bp": 5_000, "year": 2024},
        {"key": "inhabitants", "weight_bp": 3_000, "basis_units": 80_000_000},
        {"key": "flat", "weight_bp": 2_000, "participants": 400},
        {"key": "flat", "amount_cents": 100_000, "label": "Support"},
    ],
}


def test_composite_price_adds_its_components(client, world):
    _solution(client, "mix", price=COMPOSITE)
    body = _cost(client, "mix", BOCHUM, start="2025-01-01", years=2)
    # koenigstein: 100,000,000 × 50 % × 21.14424 % × 367,101 / 18,000,000 = 215,613.10134
    # inhabitants: 100,000,000 × 30 % × 367,101 / 80,000,000            = 137,662.875
    # flat share:  100,000,000 × 20 % / 400                               =  50,000
    # rate:        1.000,00 € a year                                      = 100,000
    # a year: 503,275.97634 -> 503,276 cents
    assert body["annual_cents"] == 503_276
    assert [y["cents"] for y in body["per_year"]] == [503_276, 503_276]
    assert body["total_cents"] == 250_000 + 2 * 503_276  # 1,256,552
    assert body["price_model"] == "composite"
    assert body["paid_by"] == "reuser"
    basis = body["basis"]
    assert "50 % of 1.000.000,00 €" in basis and "21.14424 %" in basis
    assert "30 % of 1.000.000,00 € shared by inhabitants: 367.101 inhabitants" in basis
    assert "shared equally by 400 participants" in basis
    assert "Support: flat annual fee 1.000,00 €" in basis
    assert "= 5.032,76 € a year" in basis


def test_usage_based_price_uses_the_services_case_rates(client, world):
    per_case = {"components": [{"key": "cases", "amount_cents": 150}]}
    _solution(client, "fallpreis", services=("10601", "10602"), price=per_case)
    body = _cost(client, "fallpreis", BOCHUM, start="2025-01-01", years=1)
    # cases: 367,101 × (13.9 + 2.5) / 1,000 = 6,020.4564 a year; × 1,50 € = 903,068.46 cents
    assert body["annual_cents"] == 903_068
    assert body["total_cents"] == 903_068
    assert "≈ 6.020 cases a year" in body["basis"]
    assert "Hundesteuer: 13,9 per 1.000 inhabitants a year (source: test figure)" in body["basis"]
    assert "Hundehaltung: 2,5 per 1.000 inhabitants a year (assumption" in body["basis"]


def test_the_callers_case_number_overrides_the_rates(client, world):
    pooled = {
        "pool_cents": 5_000_000,
        "components": [{"key": "cases", "weight_bp": 10_000, "basis_units": 1_000_000}],
    }
    _solution(client, "fallumlage", price=pooled)
    body = _cost(client, "fallumlage", BOCHUM, start="2025-01-01", years=1, cases=2_000)
    # 5,000,000 × 100 % × 2,000 / 1,000,000 cases in all = 10,000 cents
    assert body["annual_cents"] == 10_000
    assert "2.000 cases a year (as given by you)" in body["basis"]
    assert "of 1.000.000 in all" in body["basis"]


def test_usage_based_price_without_any_case_rate_asks_for_cases(client, world):
    _solution(
        client,
        "ohne-rate",
        services=("10603",),
        price={"components": [{"key": "cases", "amount_cents": 100}]},
    )
    response = client.get(f"/api/v1/solutions/ohne-rate/cost?for={BOCHUM}")
    assert "cases" in _refused(response, "cases")[0]
    assert _cost(client, "ohne-rate", BOCHUM, cases=10, years=1)["annual_cents"] == 1_000


def test_price_per_member_of_a_target_group(client, world):
    members = {
        "components": [
            {
                "key": "members",
                "amount_cents": 10,
                "target_group": "Hundehalter",
                "members_per_1000": "80",
            }
        ]
    }
    _solution(client, "zielgruppe", price=members)
    body = _cost(client, "zielgruppe", BOCHUM, start="2025-01-01", years=1)
    # members: 367,101 × 80 / 1,000 = 29,368.08; × 0,10 € = 293,680.8 -> 293,681 cents
    assert body["annual_cents"] == 293_681
    assert "target group 'Hundehalter'" in body["basis"]
    given = _cost(client, "zielgruppe", BOCHUM, start="2025-01-01", years=1, members=100)
    assert given["annual_cents"] == 1_000  # 100 × 10


def test_first_year_pro_rata_from_the_contract_month(client, world):
    price = {
        "onboarding_fee_cents": 250_000,
        "first_year": "pro_rata",
        "components": [{"key": "flat", "amount_cents": 1_200_000}],
    }
    _solution(client, "anteilig", price=price)
    body = _cost(client, "anteilig", BOCHUM, start="2025-10-15", years=3)
    # October to December: 3 of 12 months of 12.000,00 € = 300,000; then two full years
    assert [(y["year"], y["months"], y["cents"]) for y in body["per_year"]] == [
        (2025, 3, 300_000),
        (2026, 12, 1_200_000),
        (2027, 12, 1_200_000),
    ]
    assert body["first_year_cents"] == 300_000
    assert body["annual_cents"] == 1_200_000
    assert body["total_cents"] == 250_000 + 300_000 + 2 * 1_200_000  # 2,950,000
    assert (
        "first year 2025 pro rata: 3 of 12 months, from the contract month 10/2025"
        in (body["basis"])
    )
    # Signed in January, the first year is a full one.
    assert _cost(client, "anteilig", BOCHUM, start="2025-01-31", years=1)["total_cents"] == (
        250_000 + 1_200_000
    )


def test_a_price_change_inside_the_years_and_an_unknown_later_price(client, world):
    prices = [
        {
            "valid_to": "2025-12-31",
            "onboarding_fee_cents": 100_000,
            "first_year": "pro_rata",
            "components": [{"key": "flat", "amount_cents": 1_000_000}],
        },
        {
            "valid_from": "2026-01-01",
            "valid_to": "2026-12-31",
            "first_year": "pro_rata",
            "components": [{"key": "flat", "amount_cents": 1_100_000}],
        },
    ]
    _solution(client, "preisstufen", prices=prices)
    body = _cost(client, "preisstufen", BOCHUM, start="2025-07-01", years=4)
    # 2025: July-December, 6/12 of 10.000 € = 500,000; 2026: 11.000 € = 1,100,000;
    # 2027 and 2028: no price published, the 2026 price continues
    assert [(y["year"], y["cents"], y["price_known"]) for y in body["per_year"]] == [
        (2025, 500_000, True),
        (2026, 1_100_000, True),
        (2027, 1_100_000, False),
        (2028, 1_100_000, False),
    ]
    assert body["per_year"][1]["price_valid_from"] == "2026-01-01"
    assert body["total_cents"] == 100_000 + 500_000 + 3 * 1_100_000  # 3,900,000
    assert "from 2026: flat annual fee 11.000,00 €" in body["basis"]
    assert "no price published for 2027 yet" in body["basis"]
    assert "(valid until 2026-12-31)" in body["basis"]


def test_a_gap_between_periods_then_an_open_one_for_the_remaining_years(client, world):
    prices = [
        {
            "valid_to": "2025-12-31",
            "onboarding_fee_cents": 100_000,
            "first_year": "pro_rata",
            "components": [{"key": "flat", "amount_cents": 1_200_000}],
        },
        {
            "valid_from": "2026-07-01",
            "components": [{"key": "flat", "amount_cents": 1_500_000, "label": "Betrieb"}],
        },
    ]
    _solution(client, "luecke", prices=prices)
    body = _cost(client, "luecke", BOCHUM, start="2025-10-01", years=4)
    # 2025: October-December, 3/12 of 12.000 € = 300,000 cents; on 1 January 2026 none is
    # in force, the 2025 price continues; from 2027 the open period, every year.
    assert [
        (y["year"], y["months"], y["cents"], y["price_valid_from"], y["price_known"])
        for y in body["per_year"]
    ] == [
        (2025, 3, 300_000, None, True),
        (2026, 12, 1_200_000, None, False),
        (2027, 12, 1_500_000, "2026-07-01", True),
        (2028, 12, 1_500_000, "2026-07-01", True),
    ]
    assert body["total_cents"] == 100_000 + 300_000 + 1_200_000 + 2 * 1_500_000  # 4,600,000
    basis = body["basis"]
    assert "no price published for 2026 yet" in basis
    # A single component keeps its label; the open period is described once.
    assert basis.count("from 2027: Betrieb: flat annual fee 15.000,00 €") == 1
    assert "2028" not in basis


KOENIGSTEIN = {
    "model": "koenigstein",
    "total_annual_cost_cents": 40_000_000,
    "koenigstein_year": 2024,
    "onboarding_fee_cents": 250_000,
}


def test_financed_by_the_land_the_municipality_pays_its_anbindung(client, world):
    terms = [{"land_code": "05", "payer": "land", "note": "via d-NRW (illustrative)"}]
    _solution(client, "landfinanziert", price=KOENIGSTEIN, reuse_terms=terms)
    body = _cost(client, "landfinanziert", BOCHUM, start="2025-01-01", years=5)
    assert body["paid_by"] == "land"
    assert (body["annual_cents"], body["onboarding_cents"], body["total_cents"]) == (
        0,
        250_000,
        250_000,
    )
    assert "financed by the Land Nordrhein-Westfalen for its municipalities" in body["basis"]
    assert "you pay one-time Anbindung 2.500,00 €" in body["basis"]
    # The Land itself pays its share: 40,000,000 × 21.14424 % = 8,457,696 a year
    land = _cost(client, "landfinanziert", NRW, start="2025-01-01", years=1)
    assert (land["paid_by"], land["annual_cents"]) == ("reuser", 8_457_696)


def test_fitko_financed_and_the_land_passing_costs_on(client, world):
    fitko = [
        {"land_code": "05", "payer": "fitko", "onboarding_paid_by_land": True},
        {"land_code": "09", "payer": "land_passes_on", "share_bp": 5_000},
    ]
    _solution(client, "fitko-dienst", price=KOENIGSTEIN, reuse_terms=fitko)
    nrw = _cost(client, "fitko-dienst", BOCHUM, start="2025-01-01", years=2)
    assert (nrw["paid_by"], nrw["total_cents"]) == ("fitko", 0)
    assert "IT-Planungsrat decision 2023/35" in nrw["basis"]
    assert "the Land also pays the Anbindung" in nrw["basis"]
    bayern = _cost(client, "fitko-dienst", MUSTERDORF, start="2025-01-01", years=2)
    # Bayern's cost: 40,000,000 × 15.55555 % = 6,222,220 a year; half of it by inhabitants:
    # 6,222,220 × 50 % × 12,000 / 13,000,000 = 2,871.79… -> 2,872 cents
    assert bayern["paid_by"] == "land_passes_on"
    assert bayern["annual_cents"] == 2_872
    assert bayern["total_cents"] == 250_000 + 2 * 2_872
    assert "passes 50 % of its annual cost (62.222,20 €" in bayern["basis"]
    assert "Musterdorf 12.000 of 13.000.000" in bayern["basis"]


def test_old_shorthand_in_the_new_shape_out(client, world):
    _solution(client, "pauschal", price={"model": "flat", "annual_fee_cents": 123_456})
    price = client.get("/api/v1/solutions/pauschal").get_json()["price"]
    assert price == {
        "model": "flat",
        "currency": "EUR",
        "annual_fee_cents": 123_456,
        "valid_from": None,
        "valid_to": None,
        "onboarding_fee_cents": 0,
        "first_year": "full",
        "pool_cents": None,
        "components": [{"key": "flat", "amount_cents": 123_456}],
    }
    # The answer sent back as it came is accepted and changes nothing.
    solution = client.get("/api/v1/solutions/pauschal")
    response = client.patch(
        "/api/v1/solutions/pauschal",
        json={"price": price, "prices": solution.get_json()["prices"]},
        headers={"If-Match": solution.headers["ETag"]},
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["version"] == solution.get_json()["version"]


@pytest.mark.parametrize(
    ("price", "field"),
    [
        (
            {
                "pool_cents": 100,
                "components": [{"key": "koenigstein", "weight_bp": 4_000, "year": 2024}],
            },
            "price.components",
        ),
        (
            {"components": [{"key": "inhabitants", "weight_bp": 10_000, "basis_units": 5}]},
            "price.pool_cents",
        ),
        (
            {"pool_cents": 100, "components": [{"key": "flat", "amount_cents": 5}]},
            "price.pool_cents",
        ),
        (
            {"components": [{"key": "koenigstein", "amount_cents": 5, "year": 2024}]},
            "price.components.0.amount_cents",
        ),
        ({"components": [{"key": "inhabitants"}]}, "price.components.0.amount_cents"),
        (
            {"components": [{"key": "flat", "amount_cents": 5, "per_units": 2}]},
            "price.components.0.per_units",
        ),
        (
            {"components": [{"key": "members", "amount_cents": 5}]},
            "price.components.0.target_group",
        ),
        (
            {
                "components": [
                    {
                        "key": "members",
                        "amount_cents": 5,
                        "target_group": "x",
                        "members_per_1000": "1,5",
                    }
                ]
            },
            "price.components.0.members_per_1000",
        ),
        (
            {"components": [{"key": "flat", "weight_bp": 10_000}], "pool_cents": 1},
            "price.components.0.participants",
        ),
        ({"components": [{"key": "cases", "amount_cents": -1}]}, "price.components.0.amount_cents"),
        ({"components": [], "first_year": "monthly"}, "price.first_year"),
        (
            {"components": [], "valid_from": "2026-01-01", "valid_to": "2025-12-31"},
            "price.valid_to",
        ),
        (
            {
                "model": "flat",
                "annual_fee_cents": 5,
                "components": [{"key": "flat", "amount_cents": 6}],
            },
            "price.annual_fee_cents",
        ),
        ({"model": "flat", "annual_fee_cents": 5, "pool_cents": 5}, "price.pool_cents"),
        ({"model": "composite"}, "price.components"),
    ],
)
def test_malformed_prices_are_refused_naming_the_field(client, world, price, field):
    response = client.post(
        "/api/v1/solutions",
        json={"slug": "kaputt", "name": "K", "builder": "bund", "status": "live", "price": price},
    )
    _refused(response, field)
    assert client.get("/api/v1/solutions/kaputt").status_code == 404


def test_overlapping_periods_and_doubled_land_terms_are_refused(client, world):
    free = {"components": []}
    body = {"slug": "kaputt", "name": "K", "builder": "bund", "status": "live"}
    overlapping = [
        {**free, "valid_to": "2026-06-30"},
        {**free, "valid_from": "2026-06-30"},
    ]
    response = client.post("/api/v1/solutions", json={**body, "prices": overlapping})
    assert "do not overlap" in _refused(response, "prices.1.valid_from")[0]
    open_start = [{**free, "valid_to": "2025-12-31"}, {**free}]
    response = client.post("/api/v1/solutions", json={**body, "prices": open_start})
    _refused(response, "prices.1.valid_from")
    doubled = [{"land_code": "05", "payer": "land"}, {"land_code": "05", "payer": "fitko"}]
    response = client.post("/api/v1/solutions", json={**body, "reuse_terms": doubled})
    _refused(response, "reuse_terms.1.land_code")
    response = client.post(
        "/api/v1/solutions",
        json={**body, "reuse_terms": [{"land_code": "09", "payer": "land_passes_on"}]},
    )
    _refused(response, "reuse_terms.0.share_bp")
    response = client.post(
        "/api/v1/solutions",
        json={
            **body,
            "price": {
                "pool_cents": 1,
                "components": [{"key": "koenigstein", "weight_bp": 10_000, "year": 1990}],
            },
        },
    )
    assert "1990" in _refused(response, "price.koenigstein_year")[0]


def test_budget_sums_one_candidate_per_gap(client, world):
    """Musterstadt lacks Hundesteuer, Hundehaltung and Fischereischein; 'doppel' closes
    the first two (paid once), 'fisch' the third, 'teuer' competes for Hundesteuer."""
    f.solution(
        client,
        "doppel",
        "bund",
        ["10601", "10602"],
        efa=True,
        price={"model": "flat", "annual_fee_cents": 60_000, "onboarding_fee_cents": 10_000},
    )
    f.solution(
        client,
        "teuer",
        "bund",
        ["10601"],
        efa=True,
        status="development",
        price={"model": "flat", "annual_fee_cents": 900_000},
    )
    f.solution(
        client,
        "fisch",
        "bund",
        ["10603"],
        efa=True,
        price={"first_year": "pro_rata", "components": [{"key": "inhabitants", "amount_cents": 2}]},
    )
    response = client.get(f"/api/v1/organisations/{MUSTERSTADT}/budget?years=2&start=2025-07-01")
    assert response.status_code == 200, response.get_json()
    budget = response.get_json()
    lines = {line["solution"]: line for line in budget["lines"]}
    assert set(lines) == {"doppel", "fisch"}
    assert [s["ozg_id"] for s in lines["doppel"]["services"]] == ["10601", "10602"]
    # doppel: 10,000 once + 2 × 60,000 = 130,000
    # fisch: 2 ct × 50,000 inhabitants = 100,000 a year; 2025 from July: 6/12 = 50,000;
    #        2026: 100,000 -> 150,000
    assert lines["doppel"]["cost"]["total_cents"] == 130_000
    assert lines["fisch"]["cost"]["total_cents"] == 150_000
    totals = budget["totals"]
    assert totals["total_cents"] == 280_000
    assert totals["onboarding_cents"] == 10_000
    assert totals["annual_cents"] == 160_000
    assert totals["first_year_cents"] == 60_000 + 50_000
    assert totals["per_year"] == [
        {"year": 2025, "cents": 110_000},
        {"year": 2026, "cents": 160_000},
    ]
    assert budget["uncovered"] == [] and budget["complete"] is True and budget["gaps"] == 3
    # The budget equals the sum of the single estimates.
    single = sum(
        _cost(client, slug, MUSTERSTADT, years=2, start="2025-07-01")["total_cents"]
        for slug in ("doppel", "fisch")
    )
    assert single == totals["total_cents"]


def test_budget_with_picked_solutions(client, world):
    f.solution(
        client,
        "doppel",
        "bund",
        ["10601", "10602"],
        efa=True,
        price={"model": "flat", "annual_fee_cents": 60_000},
    )
    f.solution(
        client,
        "teuer",
        "bund",
        ["10601"],
        efa=True,
        price={"model": "flat", "annual_fee_cents": 900_000},
    )
    url = f"/api/v1/organisations/{MUSTERSTADT}/budget?years=1&start=2025-01-01"
    budget = client.get(url + "&pick=teuer").get_json()
    assert [line["solution"] for line in budget["lines"]] == ["teuer"]
    assert budget["lines"][0]["chosen"] == "picked"
    assert budget["totals"]["total_cents"] == 900_000
    assert {(u["service"]["ozg_id"], u["reason"]) for u in budget["uncovered"]} == {
        ("10602", "not picked"),
        ("10603", "not picked"),
    }
    both = client.get(url + "&pick=teuer&pick=doppel")
    assert "both close the gap 10601" in _refused(both, "pick")[0]
    stray = client.get(url + "&pick=gibt-es-nicht")
    assert "no reuse candidate" in _refused(stray, "pick")[0]
    default = client.get(url).get_json()
    assert {u["service"]["ozg_id"]: u["reason"] for u in default["uncovered"]} == {
        "10603": "no EfA solution implements it yet"
    }


def test_case_rate_is_validated_and_shown_as_given(client, world):
    service = client.get("/api/v1/services/10601").get_json()
    assert (service["case_rate_per_1000"], service["case_rate_source"]) == ("13.9", "test figure")
    assert client.get("/api/v1/services/10602").get_json()["case_rate_assumed"] is True
    response = client.post(
        "/api/v1/services",
        json={
            "ozg_id": "10604",
            "name": "X",
            "themenfeld": "Querschnitt",
            "executing_level": "gemeinde",
            "case_rate_per_1000": "-3",
        },
    )
    _refused(response, "case_rate_per_1000")


def test_shares_by_target_group_rates_per_thousand_and_tiers_in_a_combination(client, world):
    price = {
        "pool_cents": 2_000_000,
        "components": [
            {
                "key": "members",
                "weight_bp": 7_500,
                "basis_units": 1_000_000,
                "target_group": "Studierende",
                "members_per_1000": "35.5",
            },
            {"key": "inhabitants", "weight_bp": 2_500, "basis_units": 40_000_000},
            {"key": "inhabitants", "amount_cents": 7, "per_units": 1_000},
            {
                "key": "tiers",
                "tiers": [
                    {"max_population": 100_000, "annual_fee_cents": 10_000},
                    {"max_population": None, "annual_fee_cents": 30_000},
                ],
            },
        ],
    }
    _solution(client, "studium", price=price)
    body = _cost(client, "studium", BOCHUM, start="2025-01-01", years=1)
    # members: 367,101 × 35.5 / 1,000 = 13,032.0855; 2,000,000 × 75 % × 13,032.0855 /
    #          1,000,000 = 19,548.12825
    # inhabitants share: 2,000,000 × 25 % × 367,101 / 40,000,000 = 4,588.7625
    # rate: 7 ct per 1,000 inhabitants: 7 × 367,101 / 1,000 = 2,569.707
    # tier above 100,000 inhabitants: 30,000
    # a year: 56,706.59775 -> 56,707 cents
    assert body["annual_cents"] == 56_707
    assert "0,07 € per 1.000 inhabitants × 367.101 inhabitants of Bochum" in body["basis"]
    assert (
        "75 % of 20.000,00 € shared by members of the target group 'Studierende'" in (body["basis"])
    )
    small = _cost(client, "studium", MUSTERSTADT, start="2025-01-01", years=1)
    # Musterstadt, 50,000: 50,000 × 35.5 / 1,000 = 1,775 members -> 1,500,000 × 1,775 /
    # 1,000,000 = 2,662.5; 500,000 × 50,000 / 40,000,000 = 625; 7 × 50 = 350; tier 10,000
    # a year: 13,637.5 -> 13,638 cents (half up)
    assert small["annual_cents"] == 13_638


def test_rounding_is_once_a_year_half_up(client, world):
    # 1 ct per 3 inhabitants, pro rata: Bochum 367,101 / 3 = 122,367 exactly a year;
    # from November 2/12 of it = 20,394.5 -> 20,395 (half up, once)
    price = {
        "first_year": "pro_rata",
        "components": [{"key": "inhabitants", "amount_cents": 1, "per_units": 3}],
    }
    _solution(client, "drittel", price=price)
    body = _cost(client, "drittel", BOCHUM, start="2025-11-30", years=2)
    assert [y["cents"] for y in body["per_year"]] == [20_395, 122_367]
    assert body["total_cents"] == 142_762


def test_a_contract_before_the_first_published_price(client, world):
    later = [{"valid_from": "2026-01-01", "components": [{"key": "flat", "amount_cents": 500}]}]
    _solution(client, "ab-2026", prices=later)
    body = _cost(client, "ab-2026", BOCHUM, start="2025-06-01", years=2)
    # 2025: no price in force yet, the first published one is used (full year: rule full)
    assert [(y["year"], y["cents"], y["price_known"]) for y in body["per_year"]] == [
        (2025, 500, False),
        (2026, 500, True),
    ]
    assert (
        "no price in force yet in 2025: the estimate uses the first published price "
        in (body["basis"])
    )


def test_an_adoption_in_progress_pays_from_its_own_contract_month(client, world):
    price = {
        "onboarding_fee_cents": 50_000,
        "first_year": "pro_rata",
        "components": [{"key": "flat", "amount_cents": 1_200_000}],
    }
    _solution(client, "vertrag", services=("10603",), price=price)
    adoption = f.adoption(client, MUSTERSTADT, "vertrag", "contracted", contracted_on="2025-03-01")
    url = f"/api/v1/organisations/{MUSTERSTADT}/candidates?service=10603&years=2"

    def estimate():
        body = client.get(url + "&start=2026-11-01").get_json()
        (candidate,) = body["services"][0]["candidates"]
        assert candidate["in_progress"]["status"] == "contracted"
        return candidate["cost"]

    # Signed in 2025: 2026 is a full year, not 2/12 from "today"; no Anbindung again.
    cost = estimate()
    assert [(y["year"], y["months"], y["cents"]) for y in cost["per_year"]] == [
        (2026, 12, 1_200_000),
        (2027, 12, 1_200_000),
    ]
    assert (cost["onboarding_cents"], cost["total_cents"]) == (0, 2_400_000)
    # Signed in March 2026: 10 of 12 months in 2026.
    response = client.patch(
        f"/api/v1/adoptions/{adoption['id']}",
        json={"contracted_on": "2026-03-01"},
        headers={"If-Match": client.get(f"/api/v1/adoptions/{adoption['id']}").headers["ETag"]},
    )
    assert response.status_code == 200, response.get_json()
    cost = estimate()
    assert cost["per_year"][0]["months"] == 10
    assert cost["total_cents"] == 1_000_000 + 1_200_000
    assert "from the contract month 03/2026" in cost["basis"]


def test_a_land_figure_that_is_missing_is_not_asked_of_the_caller(client, world):
    terms = [{"land_code": "09", "payer": "land_passes_on", "share_bp": 5_000}]
    price = {"components": [{"key": "cases", "amount_cents": 100}]}
    _solution(client, "umlage-fall", services=("10603",), price=price, reuse_terms=terms)
    response = client.get(f"/api/v1/solutions/umlage-fall/cost?for={MUSTERDORF}&cases=100")
    (reason,) = _refused(response, "for")
    assert reason.startswith("Bayern passes its own cost on, and that cannot be estimated")


def test_a_live_offering_is_not_work_in_progress(client, world):
    _solution(client, "laeuft", price={"model": "flat", "annual_fee_cents": 100})
    f.adoption(client, MUSTERSTADT, "laeuft", "live", contracted_on="2024-01-01")
    body = client.get(f"/api/v1/organisations/{MUSTERSTADT}/candidates?service=10601").get_json()
    (item,) = body["services"]
    assert item["offered"] is True
    (candidate,) = item["candidates"]
    assert candidate["in_progress"] is None
