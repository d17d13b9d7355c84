"""Solutions over HTTP: price models in integer cents, maturity, references, conflicts, lists."""

import pytest

from registry.models import KoenigsteinShare
from tests import factories as f

PROBLEM = "application/problem+json"


@pytest.fixture
def bochum(client):
    """NRW, RB Arnsberg, Bochum, and two services a solution can implement."""
    f.nrw_with_bochum(client)
    f.service(client, "10601", name="Hundesteuer")
    f.service(client, "10000", "kreis", name="Elterngeld")


@pytest.fixture
def shares_2024(session):
    """Königsteiner Schlüssel 2024 for two Länder (there is no API for shares yet)."""
    session.add_all(
        [
            KoenigsteinShare(year=2024, land_code="05", share_e5=2107857, source="GWK 2024"),
            KoenigsteinShare(year=2024, land_code="04", share_e5=96368, source="GWK 2024"),
        ]
    )
    session.commit()


FREE = {"model": "free", "currency": "EUR", "onboarding_fee_cents": 0}


def _create(client, **fields):
    body = {"slug": "hundesteuer-online", "name": "Hundesteuer online", "builder": "bochum"}
    body.update({"status": "live", "services": ["10601"], **fields})
    return client.post("/api/v1/solutions", json=body)


def _price_round_trip(client, price):
    """Create with `price`; returns the price from the answer after checking GET agrees."""
    response = _create(client, price=price)
    assert response.status_code == 201, response.get_json()
    created = response.get_json()["price"]
    assert client.get("/api/v1/solutions/hundesteuer-online").get_json()["price"] == created
    return shorthand(created)


NEW_FORM = ("valid_from", "valid_to", "first_year", "pool_cents", "components")


def shorthand(price):
    """The old model's view of a price (the new form is pinned in tests/test_prices.py);
    an open period charged in full from the first year, as the old models were."""
    assert (price["valid_from"], price["valid_to"], price["first_year"]) == (None, None, "full")
    return {k: v for k, v in price.items() if k not in NEW_FORM}


def _invalid(response, field):
    assert response.status_code == 422, response.get_json()
    assert response.content_type == PROBLEM
    problem = response.get_json()
    assert problem["status"] == 422
    assert field in problem["errors"], problem
    return problem


def _invalid_price(client, price, field):
    """A price refused with 422 naming `field`; nothing was created."""
    problem = _invalid(_create(client, price=price), field)
    assert client.get("/api/v1/solutions/hundesteuer-online").status_code == 404
    return problem


# --- create, get, references ----------------------------------------------------------


def test_create_answers_201_with_location_and_references_by_key(client, bochum):
    response = _create(
        client,
        services=["10000", "10601"],
        operator="050000000000",
        efa=True,
        channel="efa_marktplatz",
        url="https://hundesteuer.example.org",
    )
    assert response.status_code == 201
    assert response.headers["Location"] == "/api/v1/solutions/hundesteuer-online"
    body = response.get_json()
    assert body["key"] == "hundesteuer-online"
    assert body["builder"] == "059110000000"
    assert body["builder_name"] == "Bochum"
    assert body["operator"] == "050000000000"
    assert body["services"] == ["10000", "10601"]
    assert body["efa"] is True
    assert body["channel"] == "efa_marktplatz"
    assert body["version"] == 1


def test_get_by_slug_returns_the_solution(client, bochum):
    _create(client, channel="fit_store")
    response = client.get("/api/v1/solutions/hundesteuer-online")
    assert response.status_code == 200
    body = response.get_json()
    assert body["slug"] == "hundesteuer-online"
    assert body["name"] == "Hundesteuer online"
    assert body["status"] == "live"
    assert body["channel"] == "fit_store"
    assert body["services"] == ["10601"]


def test_unknown_solution_is_404_problem_naming_the_slug(client):
    response = client.get("/api/v1/solutions/gibt-es-nicht")
    assert response.status_code == 404
    assert response.content_type == PROBLEM
    assert "gibt-es-nicht" in response.get_json()["detail"]


def test_services_are_returned_ordered_by_ozg_id_on_create_patch_and_get(client, bochum):
    created = _create(client, services=["10601", "10000"]).get_json()
    assert created["services"] == ["10000", "10601"]
    assert client.get("/api/v1/solutions/hundesteuer-online").get_json()["services"] == [
        "10000",
        "10601",
    ]
    patched = client.patch(
        "/api/v1/solutions/hundesteuer-online", json={"services": ["10601", "10000"]}
    ).get_json()
    assert patched["services"] == ["10000", "10601"]


def test_services_listed_twice_are_stored_once(client, bochum):
    response = _create(client, services=["10601", "10601"])
    assert response.status_code == 201
    assert response.get_json()["services"] == ["10601"]


def test_unknown_service_is_422_naming_its_position_and_creates_nothing(client, bochum):
    response = _create(client, services=["10601", "99999"])
    problem = _invalid(response, "services.1")
    assert set(problem["errors"]) == {"services.1"}
    assert client.get("/api/v1/solutions/hundesteuer-online").status_code == 404


def test_malformed_ozg_id_in_services_is_422_naming_its_position(client, bochum):
    _invalid(_create(client, services=["1060"]), "services.0")


def test_unknown_builder_is_422_naming_builder_and_creates_nothing(client, bochum):
    problem = _invalid(_create(client, builder="059990000000"), "builder")
    assert "059990000000" in problem["errors"]["builder"][0]
    assert client.get("/api/v1/solutions/hundesteuer-online").status_code == 404


def test_unknown_operator_is_422_naming_operator(client, bochum):
    _invalid(_create(client, operator="dataport"), "operator")


def test_invalid_slug_is_422(client, bochum):
    _invalid(_create(client, slug="Hundesteuer Online"), "slug")


def test_unknown_status_and_channel_are_422(client, bochum):
    problem = _invalid(_create(client, status="beta", channel="app_store"), "status")
    assert set(problem["errors"]) == {"status", "channel"}


def test_unknown_field_is_422_naming_it(client, bochum):
    problem = _invalid(_create(client, used_by=["Dortmund"]), "used_by")
    assert set(problem["errors"]) == {"used_by"}


def test_duplicate_slug_is_409_naming_slug(client, bochum):
    assert _create(client).status_code == 201
    response = _create(client, name="Noch einmal")
    assert response.status_code == 409
    assert response.content_type == PROBLEM
    assert "slug" in response.get_json()["errors"]
    assert client.get("/api/v1/solutions/hundesteuer-online").get_json()["name"] == (
        "Hundesteuer online"
    )


def test_patch_to_an_existing_slug_is_409_naming_slug(client, bochum):
    _create(client)
    f.solution(client, "abgaben-portal", "bochum", ["10601"])
    response = client.patch("/api/v1/solutions/abgaben-portal", json={"slug": "hundesteuer-online"})
    assert response.status_code == 409
    assert "slug" in response.get_json()["errors"]


def test_patch_changes_only_sent_fields(client, bochum):
    _create(client, channel="direct", efa=True)
    response = client.patch("/api/v1/solutions/hundesteuer-online", json={"status": "retired"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "retired"
    assert body["channel"] == "direct"
    assert body["efa"] is True
    assert body["services"] == ["10601"]
    assert body["builder"] == "059110000000"
    assert body["version"] == 2


def test_patch_replaces_services_as_a_whole(client, bochum):
    _create(client, services=["10601"])
    response = client.patch("/api/v1/solutions/hundesteuer-online", json={"services": ["10000"]})
    assert response.status_code == 200
    assert response.get_json()["services"] == ["10000"]
    assert client.get("/api/v1/solutions/hundesteuer-online").get_json()["services"] == ["10000"]


def test_patch_with_unknown_service_is_422_and_changes_nothing(client, bochum):
    _create(client, services=["10601"])
    response = client.patch(
        "/api/v1/solutions/hundesteuer-online", json={"services": ["10000", "99999"]}
    )
    _invalid(response, "services.1")
    assert client.get("/api/v1/solutions/hundesteuer-online").get_json()["services"] == ["10601"]


# --- price models -----------------------------------------------------------------------


def test_without_price_the_solution_is_free(client, bochum):
    response = _create(client)
    assert shorthand(response.get_json()["price"]) == FREE


def test_free_price_round_trips(client, bochum):
    price = _price_round_trip(client, {"model": "free", "onboarding_fee_cents": 0})
    assert price == {"model": "free", "currency": "EUR", "onboarding_fee_cents": 0}


def test_flat_price_round_trips(client, bochum):
    price = _price_round_trip(
        client, {"model": "flat", "annual_fee_cents": 250000, "onboarding_fee_cents": 100000}
    )
    assert price == {
        "model": "flat",
        "currency": "EUR",
        "onboarding_fee_cents": 100000,
        "annual_fee_cents": 250000,
    }


def test_per_capita_price_round_trips(client, bochum):
    price = _price_round_trip(client, {"model": "per_capita", "per_capita_fee_cents": 3})
    assert price == {
        "model": "per_capita",
        "currency": "EUR",
        "onboarding_fee_cents": 0,
        "per_capita_fee_cents": 3,
    }


def test_tiered_price_with_null_last_bound_round_trips(client, bochum):
    tiers = [
        {"max_population": 20000, "annual_fee_cents": 100000},
        {"max_population": 100000, "annual_fee_cents": 250000},
        {"max_population": None, "annual_fee_cents": 600000},
    ]
    price = _price_round_trip(client, {"model": "tiered", "tiers": tiers})
    assert price == {
        "model": "tiered",
        "currency": "EUR",
        "onboarding_fee_cents": 0,
        "tiers": tiers,
    }


def test_tiered_price_with_omitted_last_bound_round_trips(client, bochum):
    price = _price_round_trip(
        client,
        {
            "model": "tiered",
            "tiers": [
                {"max_population": 100000, "annual_fee_cents": 250000},
                {"annual_fee_cents": 600000},
            ],
        },
    )
    assert price["tiers"] == [
        {"max_population": 100000, "annual_fee_cents": 250000},
        {"max_population": None, "annual_fee_cents": 600000},
    ]


def test_tiered_price_with_a_single_unbounded_tier_round_trips(client, bochum):
    price = _price_round_trip(
        client, {"model": "tiered", "tiers": [{"max_population": None, "annual_fee_cents": 5}]}
    )
    assert price["tiers"] == [{"max_population": None, "annual_fee_cents": 5}]


def test_koenigstein_price_round_trips_for_a_year_with_shares(client, bochum, shares_2024):
    price = _price_round_trip(
        client,
        {
            "model": "koenigstein",
            "total_annual_cost_cents": 120000000,
            "koenigstein_year": 2024,
            "onboarding_fee_cents": 500000,
        },
    )
    assert price == {
        "model": "koenigstein",
        "currency": "EUR",
        "onboarding_fee_cents": 500000,
        "total_annual_cost_cents": 120000000,
        "koenigstein_year": 2024,
    }


def test_koenigstein_year_without_shares_is_422_naming_it(client, bochum, shares_2024):
    problem = _invalid_price(
        client,
        {"model": "koenigstein", "total_annual_cost_cents": 120000000, "koenigstein_year": 2016},
        "price.koenigstein_year",
    )
    assert "2016" in problem["errors"]["price.koenigstein_year"][0]


def test_currency_eur_is_accepted(client, bochum):
    price = _price_round_trip(
        client, {"model": "flat", "annual_fee_cents": 1000, "currency": "EUR"}
    )
    assert price["currency"] == "EUR"


def test_other_currency_is_422(client, bochum):
    _invalid_price(
        client,
        {"model": "flat", "annual_fee_cents": 1000, "currency": "USD"},
        "price.currency",
    )


def test_parameter_of_another_model_is_422_naming_it(client, bochum):
    problem = _invalid_price(
        client,
        {"model": "flat", "annual_fee_cents": 1000, "per_capita_fee_cents": 3},
        "price.per_capita_fee_cents",
    )
    assert set(problem["errors"]) == {"price.per_capita_fee_cents"}


def test_free_model_with_an_annual_fee_is_422_naming_it(client, bochum):
    _invalid_price(client, {"model": "free", "annual_fee_cents": 1000}, "price.annual_fee_cents")


def test_tiers_on_a_flat_price_are_422_naming_tiers(client, bochum):
    _invalid_price(
        client,
        {
            "model": "flat",
            "annual_fee_cents": 1000,
            "tiers": [{"max_population": None, "annual_fee_cents": 5}],
        },
        "price.tiers",
    )


def test_missing_annual_fee_of_flat_is_422_naming_it(client, bochum):
    _invalid_price(client, {"model": "flat"}, "price.annual_fee_cents")


def test_missing_tiers_of_tiered_is_422_naming_them(client, bochum):
    _invalid_price(client, {"model": "tiered"}, "price.tiers")


def test_missing_koenigstein_parameters_are_422_naming_each(client, bochum, shares_2024):
    problem = _invalid_price(client, {"model": "koenigstein"}, "price.total_annual_cost_cents")
    assert set(problem["errors"]) == {"price.total_annual_cost_cents", "price.koenigstein_year"}


def test_missing_model_is_422_naming_it(client, bochum):
    _invalid_price(client, {"annual_fee_cents": 1000}, "price.model")


def test_unknown_model_is_422_naming_it(client, bochum):
    _invalid_price(client, {"model": "subscription"}, "price.model")


def test_negative_fee_is_422_naming_it(client, bochum):
    _invalid_price(client, {"model": "flat", "annual_fee_cents": -1}, "price.annual_fee_cents")


def test_negative_onboarding_fee_is_422_naming_it(client, bochum):
    _invalid_price(
        client, {"model": "free", "onboarding_fee_cents": -100}, "price.onboarding_fee_cents"
    )


def test_fractional_fee_is_422_naming_it(client, bochum):
    _invalid_price(client, {"model": "flat", "annual_fee_cents": 12.5}, "price.annual_fee_cents")


def test_fee_as_a_string_is_422_naming_it(client, bochum):
    _invalid_price(client, {"model": "flat", "annual_fee_cents": "1250"}, "price.annual_fee_cents")


def test_tiers_not_ascending_are_422_naming_tiers(client, bochum):
    _invalid_price(
        client,
        {
            "model": "tiered",
            "tiers": [
                {"max_population": 100000, "annual_fee_cents": 250000},
                {"max_population": 20000, "annual_fee_cents": 100000},
                {"max_population": None, "annual_fee_cents": 600000},
            ],
        },
        "price.tiers",
    )


def test_tiers_with_equal_bounds_are_422_naming_tiers(client, bochum):
    _invalid_price(
        client,
        {
            "model": "tiered",
            "tiers": [
                {"max_population": 100000, "annual_fee_cents": 250000},
                {"max_population": 100000, "annual_fee_cents": 300000},
                {"max_population": None, "annual_fee_cents": 600000},
            ],
        },
        "price.tiers",
    )


def test_bounded_last_tier_is_422_naming_tiers(client, bochum):
    _invalid_price(
        client,
        {
            "model": "tiered",
            "tiers": [
                {"max_population": 20000, "annual_fee_cents": 100000},
                {"max_population": 100000, "annual_fee_cents": 250000},
            ],
        },
        "price.tiers",
    )


def test_unbounded_tier_before_the_last_is_422_naming_tiers(client, bochum):
    _invalid_price(
        client,
        {
            "model": "tiered",
            "tiers": [
                {"max_population": None, "annual_fee_cents": 100000},
                {"max_population": None, "annual_fee_cents": 250000},
            ],
        },
        "price.tiers",
    )


def test_empty_tiers_are_422_naming_tiers(client, bochum):
    _invalid_price(client, {"model": "tiered", "tiers": []}, "price.tiers")


def test_negative_tier_fee_is_422_naming_the_tier(client, bochum):
    _invalid_price(
        client,
        {"model": "tiered", "tiers": [{"max_population": None, "annual_fee_cents": -5}]},
        "price.tiers.0.annual_fee_cents",
    )


def test_patch_price_replaces_the_whole_price(client, bochum):
    _create(client, price={"model": "flat", "annual_fee_cents": 250000, "onboarding_fee_cents": 5})
    response = client.patch(
        "/api/v1/solutions/hundesteuer-online", json={"price": {"model": "free"}}
    )
    assert response.status_code == 200
    assert shorthand(response.get_json()["price"]) == FREE
    stored = client.get("/api/v1/solutions/hundesteuer-online").get_json()
    assert shorthand(stored["price"]) == FREE
    assert stored["prices"] == [stored["price"]]


def test_patch_price_from_tiered_to_flat_drops_the_tiers(client, bochum):
    _create(
        client,
        price={"model": "tiered", "tiers": [{"max_population": None, "annual_fee_cents": 5}]},
    )
    response = client.patch(
        "/api/v1/solutions/hundesteuer-online",
        json={"price": {"model": "flat", "annual_fee_cents": 700}},
    )
    assert response.status_code == 200
    assert shorthand(response.get_json()["price"]) == {
        "model": "flat",
        "currency": "EUR",
        "onboarding_fee_cents": 0,
        "annual_fee_cents": 700,
    }
    assert response.get_json()["price"]["components"] == [{"key": "flat", "amount_cents": 700}]


def test_patch_price_to_tiered_with_omitted_last_bound(client, bochum):
    _create(client)
    response = client.patch(
        "/api/v1/solutions/hundesteuer-online",
        json={
            "price": {
                "model": "tiered",
                "tiers": [
                    {"max_population": 100000, "annual_fee_cents": 250000},
                    {"annual_fee_cents": 600000},
                ],
            }
        },
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["price"]["tiers"] == [
        {"max_population": 100000, "annual_fee_cents": 250000},
        {"max_population": None, "annual_fee_cents": 600000},
    ]


def test_patch_price_without_model_is_422_naming_it(client, bochum):
    _create(client, price={"model": "flat", "annual_fee_cents": 250000})
    response = client.patch(
        "/api/v1/solutions/hundesteuer-online", json={"price": {"annual_fee_cents": 300000}}
    )
    _invalid(response, "price.model")
    stored = client.get("/api/v1/solutions/hundesteuer-online").get_json()
    assert stored["price"]["annual_fee_cents"] == 250000


def test_patch_tier_without_fee_is_422_naming_it(client, bochum):
    _create(client)
    response = client.patch(
        "/api/v1/solutions/hundesteuer-online",
        json={"price": {"model": "tiered", "tiers": [{"max_population": None}]}},
    )
    _invalid(response, "price.tiers.0.annual_fee_cents")


def test_patch_with_invalid_price_changes_nothing(client, bochum):
    _create(client, price={"model": "flat", "annual_fee_cents": 250000})
    before = client.get("/api/v1/solutions/hundesteuer-online").get_json()
    response = client.patch(
        "/api/v1/solutions/hundesteuer-online",
        json={"price": {"model": "per_capita", "annual_fee_cents": 5}},
    )
    problem = _invalid(response, "price.per_capita_fee_cents")
    assert "price.annual_fee_cents" in problem["errors"]
    assert client.get("/api/v1/solutions/hundesteuer-online").get_json() == before


# --- maturity ---------------------------------------------------------------------------


def test_maturity_5_in_model_1_1_is_422_naming_maturity(client, bochum):
    _invalid(_create(client, maturity=5, maturity_model="1.1"), "maturity")
    assert client.get("/api/v1/solutions/hundesteuer-online").status_code == 404


def test_maturity_6_in_model_2_0_is_accepted(client, bochum):
    response = _create(client, maturity=6, maturity_model="2.0")
    assert response.status_code == 201
    body = response.get_json()
    assert (body["maturity"], body["maturity_model"]) == (6, "2.0")


def test_maturity_8_is_422_in_every_model(client, bochum):
    _invalid(_create(client, maturity=8, maturity_model="2.0"), "maturity")


def test_unknown_maturity_model_is_422(client, bochum):
    _invalid(_create(client, maturity=1, maturity_model="3.0"), "maturity_model")


def test_maturity_without_model_is_422_naming_maturity(client, bochum):
    _invalid(_create(client, maturity=3), "maturity")


def test_patch_maturity_beyond_the_model_is_422_and_changes_nothing(client, bochum):
    _create(client, maturity=3, maturity_model="1.1")
    response = client.patch(
        "/api/v1/solutions/hundesteuer-online", json={"maturity": 5, "maturity_model": "1.1"}
    )
    _invalid(response, "maturity")
    body = client.get("/api/v1/solutions/hundesteuer-online").get_json()
    assert (body["maturity"], body["maturity_model"]) == (3, "1.1")


def test_patch_moves_maturity_to_model_2_0(client, bochum):
    _create(client, maturity=3, maturity_model="1.1")
    response = client.patch(
        "/api/v1/solutions/hundesteuer-online", json={"maturity": 6, "maturity_model": "2.0"}
    )
    assert response.status_code == 200
    assert (response.get_json()["maturity"], response.get_json()["maturity_model"]) == (6, "2.0")


def test_patch_maturity_alone_is_422_asking_for_both(client, bochum):
    _create(client, maturity=3, maturity_model="1.1")
    _invalid(client.patch("/api/v1/solutions/hundesteuer-online", json={"maturity": 4}), "maturity")


# --- delete -----------------------------------------------------------------------------


def test_delete_with_adoptions_is_409_naming_the_adoption(client, bochum):
    _create(client)
    adoption = f.adoption(client, "bochum", "hundesteuer-online")
    response = client.delete("/api/v1/solutions/hundesteuer-online")
    assert response.status_code == 409
    assert response.content_type == PROBLEM
    problem = response.get_json()
    assert problem["referenced_by"] == [{"entity": "adoption", "key": str(adoption["id"])}]
    assert client.get("/api/v1/solutions/hundesteuer-online").status_code == 200
    assert client.get(f"/api/v1/adoptions/{adoption['id']}").status_code == 200


def test_delete_without_adoptions_is_204_and_keeps_the_services(client, bochum):
    _create(
        client,
        services=["10601", "10000"],
        price={"model": "tiered", "tiers": [{"max_population": None, "annual_fee_cents": 5}]},
    )
    response = client.delete("/api/v1/solutions/hundesteuer-online")
    assert response.status_code == 204
    assert client.get("/api/v1/solutions/hundesteuer-online").status_code == 404
    assert client.get("/api/v1/services/10601").status_code == 200
    assert client.delete("/api/v1/services/10601").status_code == 204


def test_delete_of_unknown_solution_is_404_problem(client):
    response = client.delete("/api/v1/solutions/gibt-es-nicht")
    assert response.status_code == 404
    assert response.content_type == PROBLEM


# --- list -------------------------------------------------------------------------------


@pytest.fixture
def three_solutions(client, bochum):
    f.solution(client, "elfe", "050000000000", ["10000"], efa=True, channel="fit_store")
    f.solution(
        client,
        "hundesteuer-online",
        "bochum",
        ["10601"],
        status="pilot",
        efa=True,
        channel="efa_marktplatz",
    )
    f.solution(client, "bochum-portal", "bochum", ["10601", "10000"], channel="direct")


def _slugs(client, query):
    response = client.get(f"/api/v1/solutions?{query}")
    assert response.status_code == 200, response.get_json()
    return [s["slug"] for s in response.get_json()["items"]]


def test_list_is_ordered_by_slug_and_paginated(client, three_solutions):
    page = client.get("/api/v1/solutions?page_size=2").get_json()
    assert page["pagination"] == {"page": 1, "page_size": 2, "total_items": 3, "total_pages": 2}
    assert [s["slug"] for s in page["items"]] == ["bochum-portal", "elfe"]
    assert _slugs(client, "page_size=2&page=2") == ["hundesteuer-online"]


def test_list_filters_by_builder_ars_or_slug(client, three_solutions):
    assert _slugs(client, "builder=bochum") == ["bochum-portal", "hundesteuer-online"]
    assert _slugs(client, "builder=050000000000") == ["elfe"]


def test_list_filters_by_status(client, three_solutions):
    assert _slugs(client, "status=pilot") == ["hundesteuer-online"]


def test_list_filters_by_efa(client, three_solutions):
    assert _slugs(client, "efa=true") == ["elfe", "hundesteuer-online"]
    assert _slugs(client, "efa=false") == ["bochum-portal"]


def test_list_filters_by_service(client, three_solutions):
    assert _slugs(client, "service=10000") == ["bochum-portal", "elfe"]


def test_list_filters_by_channel(client, three_solutions):
    assert _slugs(client, "channel=direct") == ["bochum-portal"]


def test_list_combines_filters(client, three_solutions):
    assert _slugs(client, "builder=bochum&service=10601&efa=true") == ["hundesteuer-online"]


def test_list_items_carry_services_and_price(client, three_solutions):
    items = client.get("/api/v1/solutions?builder=bochum").get_json()["items"]
    assert items[0]["services"] == ["10000", "10601"]
    assert shorthand(items[0]["price"]) == FREE


def test_list_rejects_bad_filters(client):
    response = client.get("/api/v1/solutions?status=beta&channel=app&service=1&colour=red")
    assert response.status_code == 422
    assert response.content_type == PROBLEM
    assert set(response.get_json()["errors"]) == {"status", "channel", "service", "colour"}
