"""The materialised offering figures stay exactly what a full recount gives, after every
kind of write that can change them (registry.models.stats, registry.logic.aggregates)."""

from sqlalchemy import select

from registry.logic import aggregates, duties
from registry.models import OfferingCount, Organisation, OrganisationOffered
from registry.models.stats import Stale
from tests import factories as f

NRW, KREIS, BOCHUM = "050000000000", "059540000000", "059110000000"
W1, W2, W3 = "059540001001", "059540002002", "059540003003"
G1, G2, K1 = "10001", "10002", "10003"


def figures(session):
    counts = session.execute(
        select(
            OfferingCount.solution_id,
            OfferingCount.service_id,
            OfferingCount.land_code,
            OfferingCount.organisations,
        ).order_by(OfferingCount.solution_id, OfferingCount.service_id)
    ).all()
    offered = session.execute(
        select(Organisation.ars, OrganisationOffered.offered)
        .join(Organisation, Organisation.id == OrganisationOffered.organisation_id)
        .where(OrganisationOffered.offered > 0)
        .order_by(Organisation.ars)
    ).all()
    return set(counts), dict(offered)


def due_counts(session):
    """Per organisation due for anything (it has a row): how many services, as the
    scorecard counts them."""
    due = duties.due_counts()
    return dict(
        session.execute(
            select(Organisation.ars, due.c.due)
            .join(due, due.c.organisation_id == Organisation.id)
            .join(OrganisationOffered, OrganisationOffered.organisation_id == Organisation.id)
        ).all()
    )


def assert_exact(session):
    # All stored rows (due_offering's copied names and places too), then the counts.
    assert aggregates.equals_full_recount(session)
    kept = figures(session)
    aggregates.recount(session, Stale(everything=True))
    assert kept == figures(session)
    return kept


def adopters(client, org, service):
    answer = client.get(f"/api/v1/organisations/{org}/candidates?service={service}").get_json()
    found = answer["services"][0]["candidates"]
    return {c["solution"]: (c["adopters"], c["adopters_in_land"]) for c in found}


def test_figures_follow_every_write(client, session):
    f.land(client, "05", population=18_000_000)
    f.organisation(client, KREIS, "Ennepe-Ruhr-Kreis", "kreis", NRW, population=300_000)
    f.organisation(client, W1, "Witten", "gemeinde", KREIS, population=90_000)
    f.organisation(client, W2, "Hattingen", "gemeinde", KREIS, population=50_000)
    f.organisation(client, BOCHUM, "Bochum", "kreisfreie_stadt", NRW, population=360_000)
    f.service(client, G1)
    f.service(client, G2)
    f.service(client, K1, "kreis")
    f.solution(client, "alpha", NRW, [G1, G2], efa=True)
    f.solution(client, "beta", NRW, [K1], efa=True)
    assert assert_exact(session) == (set(), {})
    # Every organisation due for something has its row, with its due count: the Land is
    # due for none of these services, the Kreis for K1, its Gemeinden for G1 and G2.
    assert due_counts(session) == {KREIS: 1, W1: 2, W2: 2, BOCHUM: 3}

    own = f.adoption(client, W1, "alpha")
    _, offered = assert_exact(session)
    assert offered == {W1: 2}
    assert adopters(client, BOCHUM, G1) == {"alpha": (1, 1)}

    wide = f.adoption(client, KREIS, "alpha", scope="subordinates")
    _, offered = assert_exact(session)
    assert offered == {W1: 2, W2: 2}  # the Kreis is not due for Gemeinde services itself
    assert adopters(client, BOCHUM, G2) == {"alpha": (2, 2)}

    # A new Gemeinde under the Kreis is reached by its roll-out at once.
    f.organisation(client, W3, "Sprockhövel", "gemeinde", KREIS, population=25_000)
    _, offered = assert_exact(session)
    assert offered == {W1: 2, W2: 2, W3: 2}
    assert adopters(client, BOCHUM, G2) == {"alpha": (3, 3)}
    assert client.delete(f"/api/v1/organisations/{W3}").status_code == 204
    assert assert_exact(session)[1] == {W1: 2, W2: 2}

    wide_path = f"/api/v1/adoptions/{wide['id']}"
    assert client.patch(wide_path, json={"status": "ended"}).status_code == 200
    assert assert_exact(session)[1] == {W1: 2}

    assert client.patch(wide_path, json={"status": "live"}).status_code == 200
    assert client.patch("/api/v1/solutions/alpha", json={"services": [G1]}).status_code == 200
    assert assert_exact(session)[1] == {W1: 1, W2: 1}

    assert client.patch(f"/api/v1/organisations/{W2}", json={"parent": NRW}).status_code == 200
    assert assert_exact(session)[1] == {W1: 1}  # moved out from under the Kreis' roll-out

    assert client.patch("/api/v1/solutions/alpha", json={"status": "pilot"}).status_code == 200
    assert assert_exact(session)[1] == {}

    assert client.patch("/api/v1/solutions/alpha", json={"status": "live"}).status_code == 200
    assert client.delete(f"/api/v1/adoptions/{own['id']}").status_code == 204
    assert assert_exact(session)[1] == {W1: 1}  # still under the Kreis' roll-out

    f.adoption(client, BOCHUM, "beta")
    counts, offered = assert_exact(session)
    assert offered == {W1: 1, BOCHUM: 1}
    assert {(land, n) for _, _, land, n in counts} == {("05", 1)}

    # Duties replaced: Bochum no longer carries Kreis services, so beta does not count.
    patch = client.patch(f"/api/v1/organisations/{BOCHUM}", json={"duties": ["gemeinde"]})
    assert patch.status_code == 200, patch.get_json()
    counts, offered = assert_exact(session)
    assert offered == {W1: 1} and len(counts) == 1  # alpha for Witten only: beta gone
    patch = client.patch(f"/api/v1/organisations/{BOCHUM}", json={"duties": None})
    assert patch.status_code == 200, patch.get_json()
    assert assert_exact(session)[1] == {W1: 1, BOCHUM: 1}

    # A service's level moves who is due for it, and so everyone's due count.
    assert due_counts(session) == {KREIS: 1, W1: 2, BOCHUM: 3, W2: 2}
    patch = client.patch(f"/api/v1/services/{K1}", json={"executing_level": "gemeinde"})
    assert patch.status_code == 200, patch.get_json()
    # Bochum carries the Gemeinde level too: it still offers K1; the Kreis is due for none
    assert assert_exact(session)[1] == {W1: 1, BOCHUM: 1}
    assert due_counts(session) == {W1: 3, BOCHUM: 3, W2: 3}
    assert client.delete(f"/api/v1/services/{G2}").status_code == 204
    assert assert_exact(session)[1] == {W1: 1, BOCHUM: 1}
    assert due_counts(session) == {W1: 2, BOCHUM: 2, W2: 2}


def test_a_failed_write_leaves_the_figures_alone(client, session):
    f.land(client, "05", population=18_000_000)
    f.organisation(client, W1, "Witten", "gemeinde", NRW, population=90_000)
    f.service(client, G1)
    f.solution(client, "alpha", NRW, [G1], efa=True)
    f.adoption(client, W1, "alpha")
    before = assert_exact(session)
    bad = {"organisation": W1, "solution": "alpha", "status": "live", "provenance": "contract"}
    assert client.post("/api/v1/adoptions", json=bad).status_code == 409
    assert figures(session) == before
