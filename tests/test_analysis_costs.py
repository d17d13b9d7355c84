"""GET /solutions/{slug}/cost?for=&years=: every price model, worked out by hand.

Rule (DESIGN §2, documented on the endpoint): the exact annual figure is rounded once,
half up, to whole cents; total = onboarding + the years (here all full years, so
onboarding + years × annual). Every expected number
below carries its arithmetic in a comment; none is computed by the code under test.
"""

import pytest

from registry.models import KoenigsteinShare
from tests import factories as f

PROBLEM = "application/problem+json"

NRW = "050000000000"
RB_DUESSELDORF = "051000000000"
KREIS = "059540000000"  # Ennepe-Ruhr-Kreis, no population on record
BOCHUM = "059110000000"
MUSTERSTADT = "059540099099"
HAMBURG = "020000000000"
BAYERN = "090000000000"

# Gemeinden at the tier boundaries (max_population 10,000 and 100,000).
TIER_TOWNS = {
    "059540001001": 9_999,
    "059540002002": 10_000,
    "059540003003": 10_001,
    "059540004004": 100_000,
    "059540005005": 100_001,
}


@pytest.fixture
def world(client, session):
    """NRW (18,000,000 inhabitants, Königstein 2024 share 21.14424 %), RB Düsseldorf
    (6,000,000), Ennepe-Ruhr-Kreis (no population), Musterstadt (360,056), Bochum
    (367,101), Gemeinden at the tier boundaries; Hamburg (1,900,000, no 2024 share)."""
    session.add(KoenigsteinShare(year=2024, land_code="05", share_e5=2_114_424))
    session.commit()
    f.land(client, "05", "Nordrhein-Westfalen", population=18_000_000)
    f.land(client, "02", "Hamburg", population=1_900_000, duties=["land", "kreis", "gemeinde"])
    f.organisation(
        client, RB_DUESSELDORF, "RB Düsseldorf", "regierungsbezirk", NRW, population=6_000_000
    )
    f.organisation(client, KREIS, "Ennepe-Ruhr-Kreis", "kreis", NRW)
    f.organisation(client, MUSTERSTADT, "Musterstadt", "gemeinde", KREIS, population=360_056)
    f.organisation(
        client,
        BOCHUM,
        "Bochum",
        "kreisfreie_stadt",
        NRW,
        population=367_101,
        population_date="2024-12-31",
    )
    for ars, population in TIER_TOWNS.items():
        f.organisation(client, ars, f"Ort {population}", "gemeinde", KREIS, population=population)
    f.service(client, "10601", name="Hundesteuer")
    services = ["10601"]
    f.solution(client, "frei", BOCHUM, services)
    f.solution(
        client,
        "frei-onboarding",
        BOCHUM,
        services,
        price={"model": "free", "onboarding_fee_cents": 120_000},
    )
    f.solution(
        client,
        "pauschal",
        BOCHUM,
        services,
        price={"model": "flat", "annual_fee_cents": 123_456, "onboarding_fee_cents": 50_000},
    )
    f.solution(
        client,
        "pro-kopf",
        BOCHUM,
        services,
        price={"model": "per_capita", "per_capita_fee_cents": 3, "onboarding_fee_cents": 250_000},
    )
    tiers = [
        {"max_population": 10_000, "annual_fee_cents": 50_000},
        {"max_population": 100_000, "annual_fee_cents": 200_000},
        {"max_population": None, "annual_fee_cents": 750_000},
    ]
    f.solution(client, "gestaffelt", BOCHUM, services, price={"model": "tiered", "tiers": tiers})
    koenigstein = {
        "model": "koenigstein",
        "total_annual_cost_cents": 10_625_000,
        "koenigstein_year": 2024,
        "onboarding_fee_cents": 500_000,
    }
    f.solution(client, "koenig", BOCHUM, services, price=koenigstein)


def _cost(client, slug, org, years=None):
    # A fixed contract date on 1 January: every year below is a full one.
    query = f"for={org}&start=2025-01-01" + (f"&years={years}" if years is not None else "")
    response = client.get(f"/api/v1/solutions/{slug}/cost?{query}")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["currency"] == "EUR"
    assert body["solution"] == slug
    assert body["organisation"]["key"] == org
    return body


def _figures(body):
    return body["onboarding_cents"], body["annual_cents"], body["years"], body["total_cents"]


def _invalid(response, field):
    assert response.status_code == 422, response.get_json()
    assert response.content_type == PROBLEM
    problem = response.get_json()
    assert problem["status"] == 422
    assert field in problem["errors"], problem
    return problem


# --- price models --------------------------------------------------------------------


def test_free(client, world):
    body = _cost(client, "frei", BOCHUM)
    assert _figures(body) == (0, 0, 5, 0)
    assert body["price_model"] == "free"
    assert body["basis"] == "free of charge; total over 5 years from 2025-01-01"
    # Free with an onboarding fee: 1,200.00 € once, 0 a year -> 120,000 whatever the years.
    assert _figures(_cost(client, "frei-onboarding", BOCHUM, 3)) == (120_000, 0, 3, 120_000)


def test_free_and_flat_need_no_population(client, world):
    # Ennepe-Ruhr-Kreis has no population on record; these models do not depend on it.
    assert _figures(_cost(client, "frei", KREIS)) == (0, 0, 5, 0)
    # 50,000 + 5 × 123,456 = 50,000 + 617,280 = 667,280
    assert _figures(_cost(client, "pauschal", KREIS)) == (50_000, 123_456, 5, 667_280)


def test_flat_with_default_years_and_one_year_and_thirty(client, world):
    body = _cost(client, "pauschal", BOCHUM)
    # years default 5: 50,000 + 5 × 123,456 = 667,280
    assert _figures(body) == (50_000, 123_456, 5, 667_280)
    assert body["price_model"] == "flat"
    assert body["basis"] == (
        "flat annual fee 1.234,56 €; one-time Anbindung 500,00 €; "
        "total over 5 years from 2025-01-01"
    )
    # years=1: 50,000 + 123,456 = 173,456
    body = _cost(client, "pauschal", BOCHUM, 1)
    assert _figures(body) == (50_000, 123_456, 1, 173_456)
    assert body["basis"].endswith("total over 1 year from 2025-01-01")
    # years=30: 50,000 + 30 × 123,456 = 50,000 + 3,703,680 = 3,753,680
    assert _figures(_cost(client, "pauschal", BOCHUM, 30)) == (50_000, 123_456, 30, 3_753_680)


def test_per_capita(client, world):
    body = _cost(client, "pro-kopf", BOCHUM)
    # 3 cents × 367,101 inhabitants = 1,101,303 a year;
    # 250,000 + 5 × 1,101,303 = 250,000 + 5,506,515 = 5,756,515
    assert _figures(body) == (250_000, 1_101_303, 5, 5_756_515)
    assert body["price_model"] == "per_capita"
    assert "367.101" in body["basis"] and "2024-12-31" in body["basis"]
    # years=2: 250,000 + 2 × 1,101,303 = 2,452,606
    assert _figures(_cost(client, "pro-kopf", BOCHUM, 2)) == (250_000, 1_101_303, 2, 2_452_606)


@pytest.mark.parametrize(
    ("ars", "annual"),
    [
        ("059540001001", 50_000),  # 9,999 <= 10,000: first tier
        ("059540002002", 50_000),  # exactly 10,000 = max_population: still the first tier
        ("059540003003", 200_000),  # 10,001: second tier
        ("059540004004", 200_000),  # exactly 100,000: second tier
        ("059540005005", 750_000),  # 100,001: the unbounded top tier
        (BOCHUM, 750_000),  # 367,101: the unbounded top tier
    ],
)
def test_tiered_boundaries(client, world, ars, annual):
    body = _cost(client, "gestaffelt", ars)
    # no onboarding; total = 5 × annual
    assert _figures(body) == (0, annual, 5, 5 * annual)
    assert body["price_model"] == "tiered"


def test_tiered_basis_names_the_tier(client, world):
    body = _cost(client, "gestaffelt", "059540002002")
    assert body["basis"] == (
        "tier for up to 10.000 inhabitants: Ort 10000 has 10.000; annual fee 500,00 €; "
        "total over 5 years from 2025-01-01"
    )
    top = _cost(client, "gestaffelt", "059540005005")
    assert "top tier" in top["basis"]


def test_koenigstein_for_a_land_rounds_an_exact_half_cent_up(client, world):
    body = _cost(client, "koenig", NRW)
    # 10,625,000 cents × 21.14424 % = 10,625,000 × 2,114,424 / 10,000,000
    #   = 1.0625 × 2,114,424 = 2,114,424 + 132,151.5 = 2,246,575.5 cents -> half up 2,246,576
    # total: 500,000 + 5 × 2,246,576 = 500,000 + 11,232,880 = 11,732,880
    assert _figures(body) == (500_000, 2_246_576, 5, 11_732_880)
    assert body["price_model"] == "koenigstein"
    assert body["basis"] == (
        "Königsteiner Schlüssel 2024: Nordrhein-Westfalen carries 21.14424 % of "
        "106.250,00 € a year; one-time Anbindung 5.000,00 €; total over 5 years from 2025-01-01"
    )
    # years=1: 500,000 + 2,246,576 = 2,746,576
    assert _figures(_cost(client, "koenig", NRW, 1)) == (500_000, 2_246_576, 1, 2_746_576)


def test_koenigstein_for_a_city_below_the_land_rounds_once(client, world):
    body = _cost(client, "koenig", MUSTERSTADT)
    # Land part 2,246,575.5 (exact, see above) × 360,056 / 18,000,000
    #   = 808,892,988,228 / 18,000,000 = 44,938.49935 -> 44,938
    # (rounding the Land part first would give 2,246,576 × 360,056 / 18,000,000
    #   = 44,938.50935 -> 44,939: the rule rounds once)
    # total: 500,000 + 5 × 44,938 = 500,000 + 224,690 = 724,690
    assert _figures(body) == (500_000, 44_938, 5, 724_690)
    assert "360.056" in body["basis"] and "18.000.000" in body["basis"]


def test_koenigstein_for_a_regierungsbezirk_rounds_a_half_cent_up(client, world):
    body = _cost(client, "koenig", RB_DUESSELDORF)
    # 2,246,575.5 × 6,000,000 / 18,000,000 = 2,246,575.5 / 3 = 748,858.5 -> 748,859
    # total: 500,000 + 5 × 748,859 = 500,000 + 3,744,295 = 4,244,295
    assert _figures(body) == (500_000, 748_859, 5, 4_244_295)


def test_koenigstein_for_a_land_needs_no_population(client, world, session):
    # Bayern, share 15 % in 2024, no population on record. A Land pays total × share:
    # 10,625,000 × 15 % = 1,593,750; total 500,000 + 5 × 1,593,750 = 8,468,750.
    session.add(KoenigsteinShare(year=2024, land_code="09", share_e5=1_500_000))
    session.commit()
    f.land(client, "09", "Bayern")
    assert _figures(_cost(client, "koenig", BAYERN)) == (500_000, 1_593_750, 5, 8_468_750)


# --- refusals ------------------------------------------------------------------------


@pytest.mark.parametrize("slug", ["pro-kopf", "gestaffelt", "koenig"])
def test_population_based_model_without_population_is_422_naming_for(client, world, slug):
    problem = _invalid(client.get(f"/api/v1/solutions/{slug}/cost?for={KREIS}"), "for")
    assert "population" in " ".join(problem["errors"]["for"])


def test_city_below_a_land_without_population_is_422_naming_for(client, world, session):
    session.add(KoenigsteinShare(year=2024, land_code="09", share_e5=1_500_000))
    session.commit()
    f.land(client, "09", "Bayern")
    f.organisation(client, "091620000000", "München", "kreisfreie_stadt", BAYERN, population=1)
    problem = _invalid(client.get("/api/v1/solutions/koenig/cost?for=091620000000"), "for")
    assert "Bayern" in " ".join(problem["errors"]["for"])


def test_koenigstein_year_without_share_for_the_land_is_422_naming_for(client, world):
    # Hamburg has a population, but no 2024 share on record.
    problem = _invalid(client.get(f"/api/v1/solutions/koenig/cost?for={HAMBURG}"), "for")
    message = " ".join(problem["errors"]["for"])
    assert "2024" in message and "02" in message


def test_koenigstein_for_a_body_outside_any_land_is_422_naming_for(client, world):
    current = client.get("/api/v1/organisations/bund")
    response = client.patch(
        "/api/v1/organisations/bund",
        json={"population": 83_000_000},
        headers={"If-Match": current.headers["ETag"]},
    )
    assert response.status_code == 200, response.get_json()
    problem = _invalid(client.get("/api/v1/solutions/koenig/cost?for=bund"), "for")
    assert "no Land" in " ".join(problem["errors"]["for"])


def test_for_is_required(client, world):
    _invalid(client.get("/api/v1/solutions/pauschal/cost"), "for")
    _invalid(client.get("/api/v1/solutions/pauschal/cost?years=2"), "for")


def test_for_must_be_a_key(client, world):
    _invalid(client.get("/api/v1/solutions/pauschal/cost?for=Not%20A%20Key"), "for")


@pytest.mark.parametrize("years", ["0", "31", "-1", "zwei", "2.5"])
def test_years_out_of_range_is_422_naming_years(client, world, years):
    _invalid(client.get(f"/api/v1/solutions/pauschal/cost?for={BOCHUM}&years={years}"), "years")


def test_unknown_solution_is_404_problem_naming_it(client, world):
    response = client.get(f"/api/v1/solutions/gibt-es-nicht/cost?for={BOCHUM}")
    assert response.status_code == 404
    assert response.content_type == PROBLEM
    assert "gibt-es-nicht" in response.get_json()["detail"]
    # Neither known: the solution (the path) is named, as before the organisation.
    response = client.get("/api/v1/solutions/gibt-es-nicht/cost?for=059999999999")
    assert response.status_code == 404
    assert "gibt-es-nicht" in response.get_json()["detail"]


def test_unknown_organisation_in_for_is_a_problem_naming_it(client, world):
    # Unknown organisations are 404 wherever they are named (issue: "404 naming it").
    response = client.get("/api/v1/solutions/pauschal/cost?for=059999999999")
    assert response.status_code == 404
    assert response.content_type == "application/problem+json"
    assert "059999999999" in response.get_json()["detail"]
