"""Every analysis endpoint issues a bounded number of SQL statements, whatever the data size.

Each test asks one endpoint on a small world that already has every feature the query
touches (a kreisfreie Stadt, a Kreis with Gemeinden, a city-state override, rollouts,
each price model, a Land contract), counts the statements, then adds much more data
(30 Gemeinden, 10 services, 5 solutions, 62 adoptions) and asks again: the count must
not grow, and stays below a small bound. Set-based queries, no per-row loops.
"""

import csv
import io

import pytest

from registry.models import KoenigsteinShare
from tests import factories as f

# A small constant: a few lookups, one statement per set-based question, and the
# relationship loaders (one statement each, for all rows at once).
BOUND = 15

NRW = "050000000000"
HAMBURG = "020000000000"
EN_KREIS = "059540000000"
WITTEN = "059540036036"
BOCHUM = "059110000000"
MUELHEIM = "051170000000"
DATAPORT = "dataport"
ELTERNGELD, HUNDESTEUER = "10000", "10601"

NEW_GEMEINDEN = [f"05954{n:04d}{n:03d}" for n in range(100, 130)]  # 30
NEW_SERVICES = [f"2{n:04d}" for n in range(10)]  # 10, Gemeinde level
NEW_SOLUTIONS = ["neu-frei", "neu-flat", "neu-kopf", "neu-tiered", "neu-koenig"]  # 5


@pytest.fixture
def small(client, session):
    build_small(client, session)


def build_small(client, session):
    """The small world (tests/test_plan_cache.py builds it on a database of its own)."""
    session.add_all(
        [
            KoenigsteinShare(year=2024, land_code="05", share_e5=2_114_424),
            KoenigsteinShare(year=2023, land_code="05", share_e5=2_109_000),
            KoenigsteinShare(year=2024, land_code="02", share_e5=256_000),
        ]
    )
    session.commit()
    f.land(client, "05", "Nordrhein-Westfalen", population=18_000_000)
    f.land(client, "02", "Hamburg", population=1_900_000, duties=["land", "kreis", "gemeinde"])
    f.post(
        client, "organisations", {"slug": DATAPORT, "name": "Dataport", "kind": "non_territorial"}
    )
    f.organisation(client, EN_KREIS, "Ennepe-Ruhr-Kreis", "kreis", NRW, population=320_000)
    f.organisation(client, WITTEN, "Witten", "gemeinde", EN_KREIS, population=96_000)
    f.organisation(client, BOCHUM, "Bochum", "kreisfreie_stadt", NRW, population=367_101)
    f.organisation(
        client, MUELHEIM, "Mülheim an der Ruhr", "kreisfreie_stadt", NRW, population=170_000
    )
    f.service(client, ELTERNGELD, "kreis", name="Elterngeld")
    f.service(client, HUNDESTEUER, name="Hundesteuer")
    f.service(client, "10100", "land", name="Landesleistung")
    f.service(client, "10200", name="Wohngeld")
    koenigstein = {"model": "koenigstein", "total_annual_cost_cents": 1_000_000}
    f.solution(
        client,
        "elfe",
        HAMBURG,
        [ELTERNGELD],
        name="ELFE – Einfach Leistungen für Eltern",
        efa=True,
        requires_land_contract=True,
        price={**koenigstein, "koenigstein_year": 2024},
    )
    tiers = [
        {"max_population": 100_000, "annual_fee_cents": 10_000},
        {"max_population": None, "annual_fee_cents": 50_000},
    ]
    f.solution(
        client,
        "hundesteuer-online",
        DATAPORT,
        [HUNDESTEUER],
        efa=True,
        price={"model": "tiered", "tiers": tiers},
    )
    f.solution(
        client,
        "hund-mh",
        MUELHEIM,
        [HUNDESTEUER],
        efa=True,
        price={**koenigstein, "koenigstein_year": 2023},
    )
    f.adoption(client, NRW, "elfe", "contracted")
    f.adoption(client, EN_KREIS, "hundesteuer-online", scope="subordinates")
    f.adoption(client, MUELHEIM, "elfe")
    f.solution(client, "wohngeld-online", DATAPORT, ["10200"], efa=True)
    f.adoption(client, BOCHUM, "wohngeld-online")


def grow(client):
    """30 Gemeinden, 10 services, 5 solutions (each price model), 62 adoptions."""
    for n, ars in enumerate(NEW_GEMEINDEN):
        f.organisation(client, ars, f"Gemeinde {n}", "gemeinde", EN_KREIS, population=5_000 + n)
    for ozg_id in NEW_SERVICES:
        f.service(client, ozg_id, name=f"Neue Leistung {ozg_id}")
    prices = [
        {"model": "free"},
        {"model": "flat", "annual_fee_cents": 12_345},
        {"model": "per_capita", "per_capita_fee_cents": 2},
        {
            "model": "tiered",
            "tiers": [
                {"max_population": 5_010, "annual_fee_cents": 1_000},
                {"max_population": None, "annual_fee_cents": 2_000},
            ],
        },
        {"model": "koenigstein", "total_annual_cost_cents": 500_000, "koenigstein_year": 2023},
    ]
    for j, (slug, price) in enumerate(zip(NEW_SOLUTIONS, prices, strict=True)):
        services = [HUNDESTEUER, NEW_SERVICES[2 * j], NEW_SERVICES[2 * j + 1]]
        f.solution(
            client,
            slug,
            DATAPORT,
            services,
            efa=True,
            requires_land_contract=j % 2 == 0,
            price=price,
        )
    statuses = ["live", "contracted", "live", "ended", "live", "onboarding"]
    count = 0
    for i, ars in enumerate(NEW_GEMEINDEN):
        for k in (0, 1):
            slug = NEW_SOLUTIONS[(i + k) % 5]
            f.adoption(client, ars, slug, statuses[count % len(statuses)])
            count += 1
    assert count == 60
    # Two more, so that the compared organisations' offerings grow too.
    f.adoption(client, WITTEN, "neu-frei")
    f.adoption(client, BOCHUM, "neu-flat")


def _measure(reader, count_statements, path):
    count_statements.statements.clear()
    response = reader.get(f"/api/v1/{path}")
    assert response.status_code == 200, response.get_json()
    return len(count_statements), response.get_json()


def _bounded(client, reader, count_statements, path):
    """The answers before and after growth; asserts the statement counts.

    `reader` is anonymous (reads are public), so that only the endpoint's own statements
    are counted, not an authentication lookup.
    """
    before, small_answer = _measure(reader, count_statements, path)
    grow(client)
    after, big_answer = _measure(reader, count_statements, path)
    listing = "\n".join(" ".join(s.split())[:160] for s in count_statements.statements)
    assert after == before, f"{before} statements before growth, {after} after:\n{listing}"
    assert after <= BOUND, f"{after} statements:\n{listing}"
    return small_answer, big_answer


def test_gaps_statements(client, anonymous, small, count_statements):
    small_answer, big_answer = _bounded(
        client, anonymous, count_statements, f"organisations/{BOCHUM}/gaps?top=3"
    )
    # Bochum: due Elterngeld, Hundesteuer, Wohngeld; offers Wohngeld: 2 gaps. After: 10
    # more Gemeinde services due (13); neu-flat (live) brings Hundesteuer, 20002, 20003:
    # 13 - 4 offered = 9 gaps.
    assert len(small_answer["gaps"]) == 2
    assert len(big_answer["gaps"]) == 9


def test_candidates_statements(client, anonymous, small, count_statements):
    # The same set-based questions as /gaps (12 statements) should do: the candidates of
    # every gap are one computation, not two.
    small_answer, big_answer = _bounded(
        client, anonymous, count_statements, f"organisations/{BOCHUM}/candidates"
    )
    assert len(big_answer["services"]) > len(small_answer["services"])


def test_candidates_for_one_service_statements(client, anonymous, small, count_statements):
    small_answer, big_answer = _bounded(
        client,
        anonymous,
        count_statements,
        f"organisations/{WITTEN}/candidates?service={HUNDESTEUER}",
    )
    assert len(small_answer["services"][0]["candidates"]) == 2
    assert len(big_answer["services"][0]["candidates"]) == 7


def test_budget_statements(client, anonymous, small, count_statements):
    # The gaps' questions, nothing per line: the budget only chooses and adds up.
    small_answer, big_answer = _bounded(
        client, anonymous, count_statements, f"organisations/{BOCHUM}/budget"
    )
    assert small_answer["gaps"] == 2 and big_answer["gaps"] == 9
    closed = sum(len(line["services"]) for line in big_answer["lines"])
    assert closed + len(big_answer["uncovered"]) == 9 and closed > 2


def test_cost_statements(client, anonymous, small, count_statements):
    _bounded(client, anonymous, count_statements, f"solutions/elfe/cost?for={WITTEN}")
    # An estimate needs the solution's prices and terms, not its builder, operator,
    # services or URL patterns (a join and a round trip each, half of a cost answer).
    solution_reads = [s for s in count_statements.statements if "FROM solution" in s]
    assert len(solution_reads) == 1, solution_reads
    # The solution's own row: nothing joined to it (its subquery ends at its WHERE).
    own_row = solution_reads[0].split("FROM solution", 1)[1].split(")", 1)[0]
    assert " JOIN " not in own_row and "WHERE solution.slug" in own_row, own_row
    assert not any("solution_url_pattern" in s for s in count_statements.statements)
    # The organisation and its Land (population, key share) read with the solution: one
    # statement for both (registry.logic.costs.priced_for) after the audit sequence.
    organisation_reads = [s for s in count_statements.statements if "FROM organisation" in s]
    assert organisation_reads == solution_reads, organisation_reads


def test_coverage_statements(client, anonymous, small, count_statements):
    small_answer, big_answer = _bounded(
        client, anonymous, count_statements, f"services/{HUNDESTEUER}/coverage"
    )
    assert small_answer["due"] == 4  # Witten, Bochum, Mülheim, Hamburg
    assert big_answer["due"] == 34
    # the service's levels per Land, not its LeiKa keys (not part of the answer)
    assert not any("service_leika_key" in s for s in count_statements.statements)
    # the service with its levels per Land; the due organisations with the Länder's
    # names; those offering it; the solutions they use (and the audit sequence)
    assert len(count_statements) == 5, count_statements.statements


def test_coverage_with_filters_statements(client, anonymous, small, count_statements):
    _bounded(
        client,
        anonymous,
        count_statements,
        f"services/{HUNDESTEUER}/coverage?region={NRW}&kind=gemeinde",
    )


def test_scorecard_statements(client, anonymous, small, count_statements):
    small_answer, big_answer = _bounded(
        client, anonymous, count_statements, f"organisations/{WITTEN}/scorecard"
    )
    assert small_answer["rank_in_land"]["peers"] == 1
    assert big_answer["rank_in_land"]["peers"] == 31


def test_compare_statements(client, anonymous, small, count_statements):
    small_answer, big_answer = _bounded(
        client, anonymous, count_statements, f"organisations/{WITTEN}/compare/{BOCHUM}"
    )
    # Before: Witten has Hundesteuer (EN-Kreis rollout), Bochum Wohngeld.
    assert (len(small_answer["b_offers_a_lacks"]), len(small_answer["a_offers_b_lacks"])) == (1, 1)
    # After: Witten adds 20000, 20001 (neu-frei); Bochum Hundesteuer, 20002, 20003 (neu-flat).
    assert (len(big_answer["b_offers_a_lacks"]), len(big_answer["a_offers_b_lacks"])) == (3, 2)


def test_compare_city_state_statements(client, anonymous, small, count_statements):
    _bounded(client, anonymous, count_statements, f"organisations/{HAMBURG}/compare/{MUELHEIM}")


def test_rankings_statements(client, anonymous, small, count_statements):
    small_answer, big_answer = _bounded(
        client, anonymous, count_statements, "rankings?page_size=100"
    )
    assert big_answer["pagination"]["total_items"] == small_answer["pagination"]["total_items"] + 30


def test_rankings_with_filters_statements(client, anonymous, small, count_statements):
    _bounded(client, anonymous, count_statements, f"rankings?region={NRW}&kind=gemeinde")


def test_search_statements(client, anonymous, small, count_statements):
    small_answer, big_answer = _bounded(client, anonymous, count_statements, "search?q=leistung")
    assert big_answer["pagination"]["total_items"] > small_answer["pagination"]["total_items"]


# The core answers' statements: the audit sequence, the organisation with its Land and
# the Land's key shares (in the statement of the gaps, of the one service, of the priced
# solution or of the scorecard), the gaps (or the one service), the candidate pairs with
# their counts and adoptions, the adopters named: on PostgreSQL nearby and similar ones
# in one statement, on SQLite in up to three. The scorecard: its standings and the
# services offered in the lookup's statement. The budget: the gap answer's, no one named.
# A comparison: the two organisations, then what each offers that the other lacks.
@pytest.mark.parametrize(
    ("path", "on_postgresql", "on_sqlite"),
    [
        (f"organisations/{BOCHUM}/gaps?top=3", 4, 6),
        (f"organisations/{WITTEN}/candidates?service={HUNDESTEUER}", 4, 6),
        (f"solutions/elfe/cost?for={WITTEN}", 2, 2),
        (f"organisations/{WITTEN}/scorecard", 2, 2),
        (f"organisations/{BOCHUM}/budget", 3, 3),
        (f"organisations/{WITTEN}/compare/{BOCHUM}", 5, 5),
    ],
)
def test_the_core_answers_statements(
    client, anonymous, small, count_statements, backend, path, on_postgresql, on_sqlite
):
    _bounded(client, anonymous, count_statements, path)
    listing = "\n".join(" ".join(s.split())[:100] for s in count_statements.statements)
    most = on_postgresql if backend == "postgresql" else on_sqlite
    assert len(count_statements) <= most, listing


def test_the_municipality_page_statements(client, anonymous, small, count_statements, backend):
    """The page of a municipality (registry/web): its scorecard and its gaps with three
    priced candidates each, over five years. The organisation with its Land is the head
    row of the gap statement (registry.logic.gaps.asked), as in the API's gap answer: an
    `Organisation` loaded by the ORM read its Land in a statement of its own, and then
    the lookup was one of its own as well."""

    def page() -> list[str]:
        count_statements.statements.clear()
        response = anonymous.get(f"/kommune/{BOCHUM}")
        assert response.status_code == 200
        assert "Bochum" in response.get_data(as_text=True)
        return list(count_statements.statements)

    before = page()
    grow(client)
    after = page()
    listing = "\n".join(" ".join(s.split())[:100] for s in after)
    assert len(after) == len(before), listing
    # The organisation is read once, in the gap statement (registry.logic.gaps.asked).
    organisation_reads = [s for s in after if s.startswith("SELECT organisation.")]
    assert not organisation_reads, listing
    in_gaps = [s for s in after if s.startswith("WITH me AS \n(SELECT organisation.id AS id, ")]
    assert len(in_gaps) == 1, listing
    # The scorecard (its standings and the services offered) is one statement, by id.
    cards = [s for s in after if s.startswith("WITH me AS \n(SELECT organisation.id AS id \n")]
    assert len(cards) == 1, listing
    assert len(after) <= (4 if backend == "postgresql" else 6), listing


def test_the_answers_in_one_statement_equal_the_lookup_then_the_gaps(client, app, session, small):
    """registry.logic.gaps.asked reads the organisation (with its Land and the Land's key
    shares) in the gap statement, asked_one_service in the one service's: the same
    answers as looking it up first (`asking`, then `gaps` or `one_service`), for every
    kind (the Land: its own shares; Dataport: no Land), every sort, and a 404 for an
    unknown key (before an unknown service)."""
    from registry.api import render
    from registry.errors import NotFound
    from registry.logic import gaps
    from registry.logic.asking import asking

    grow(client)
    # A service NRW gives to its Kreise (illustrative): its level depends on the Land.
    reason = "illustrative: a Land law giving it to the Kreise"
    in_nrw = [{"land_code": "05", "level": "kreis", "reason": reason}]
    f.service(client, "30000", "gemeinde", name="Per Land", responsibilities=in_nrw)
    keys = [NRW, HAMBURG, EN_KREIS, WITTEN, BOCHUM, MUELHEIM, DATAPORT, NEW_GEMEINDEN[0]]
    compared = 0
    with app.app_context():
        for key in keys:
            org = asking(session, key)
            for args in ({"top": 3}, {"top": None, "sort": "cost"}, {"top": 1, "years": 2}):
                one = gaps.asked(session, key, **args)
                assert one.organisation == org, key
                expected = render.gaps(gaps.gaps(session, org, **args), args["top"])
                assert render.gaps(one, args["top"]) == expected, (key, args)
                compared += len(expected["gaps"])
            for ozg_id in (ELTERNGELD, HUNDESTEUER, NEW_SERVICES[0], "30000"):
                got = gaps.asked_one_service(session, key, ozg_id)
                assert got == (org, *gaps.one_service(session, org, ozg_id)), (key, ozg_id)
            with pytest.raises(NotFound) as unknown:
                gaps.asked_one_service(session, key, "99999")
            assert "No service with key '99999'" in str(unknown.value.args[0]), key
        nrw_shares = ((2023, 2_109_000), (2024, 2_114_424))
        assert asking(session, NRW).land_shares == nrw_shares
        assert asking(session, WITTEN).land_shares == nrw_shares
        assert asking(session, DATAPORT).land_shares == ()
        assert hash(asking(session, WITTEN))  # a frozen dataclass stays hashable
        with pytest.raises(NotFound):
            gaps.asked(session, "059540099099", top=3)
        with pytest.raises(NotFound):
            gaps.asked(session, "no-such-slug", top=3)
        _, local, _ = gaps.asked_one_service(session, WITTEN, "30000")
        assert local.executing_level == "kreis"  # NRW's level, not the default
        _, local, _ = gaps.asked_one_service(session, HAMBURG, "30000")
        assert local.executing_level == "gemeinde"
        # An unknown organisation is named before an unknown service, as before.
        with pytest.raises(NotFound) as unknown:
            gaps.asked_one_service(session, "059540099099", "99999")
        assert "No organisation with key '059540099099'" in str(unknown.value.args[0])
    assert compared > 30  # gaps with candidates were compared, not only empty answers


def test_the_gap_csv_names_who_near_runs_the_best_candidate_and_asks_no_more(
    anonymous, small, count_statements
):
    """The spreadsheet's last column names who near the organisation runs each gap's best
    candidate; it shows nobody like it, so the similar municipalities (the pool read as
    `above` and `below` the organisation's population) are not looked up."""
    count_statements.statements.clear()
    answer = anonymous.get(f"/kommune/{BOCHUM}/luecken.csv")
    assert answer.status_code == 200
    spreadsheet = list(count_statements.statements)
    rows = list(
        csv.reader(io.StringIO(answer.get_data(as_text=True).lstrip("\ufeff")), delimiter=";")
    )
    gaps = anonymous.get(f"/api/v1/organisations/{BOCHUM}/gaps?years=5&top=1").get_json()["gaps"]
    near = [
        ", ".join(n["name"] for n in g["top_candidates"][0]["nearby_adopters"])
        if g["top_candidates"]
        else ""
        for g in gaps
    ]
    assert [row[-1] for row in rows[1:]] == near
    assert any(near), "the small world names someone near Bochum"
    count_statements.statements.clear()
    assert anonymous.get(f"/kommune/{BOCHUM}").status_code == 200
    assert any(" AS above" in s for s in count_statements.statements)  # the page asks
    assert not any(" AS above" in s for s in spreadsheet), "\n".join(spreadsheet)


def test_whom_a_gap_answer_names_is_one_of_the_three(client, app, session, small):
    """`named` says whom to name (registry.logic.gaps.Naming): nearby and similar
    adopters (the default), the nearby ones only, or nobody; the candidates and their
    order are the same. Anything else is refused, not taken for one of them (a caller
    still passing the boolean of before, say)."""
    from registry.logic import gaps

    grow(client)

    def named(found, attribute):
        return {
            (service_id, c.solution.slug): [n.key for n in getattr(c, attribute)]
            for service_id, listed in found.candidates.items()
            for c in listed[:3]
        }

    with app.app_context():
        for key in (BOCHUM, WITTEN, NEW_GEMEINDEN[0]):
            both = gaps.asked(session, key, top=3)
            assert both.candidates.keys(), key
            near = gaps.asked(session, key, top=3, named="nearby")
            nobody = gaps.asked(session, key, top=3, named="nobody")
            for found in (near, nobody):
                assert list(named(found, "nearby")) == list(named(both, "nearby")), key
            assert named(near, "nearby") == named(both, "nearby"), key
            assert not any(named(near, "similar").values()), key
            assert not any(named(nobody, "nearby").values()), key
            assert not any(named(nobody, "similar").values()), key
        assert any(named(gaps.asked(session, BOCHUM, top=3), "nearby").values())
        for wrong in (False, True, "all"):
            with pytest.raises(ValueError, match="named"):
                gaps.asked(session, BOCHUM, top=3, named=wrong)
