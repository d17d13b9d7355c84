"""List pages issue a bounded number of SQL statements, however many parents they show."""

from tests import factories as f

NRW = "050000000000"


def _count(reader, count_statements, path):
    count_statements.statements.clear()
    response = reader.get(f"/api/v1/{path}")
    assert response.status_code == 200, response.get_json()
    return len(count_statements), response.get_json()


def test_organisation_list_loads_parents_at_once(client, anonymous, count_statements):
    f.land(client)
    f.organisation(client, "059540000000", "Ennepe-Ruhr-Kreis", "kreis", NRW)
    f.organisation(client, "059540036036", "Witten", "gemeinde", "059540000000")
    before, small = _count(anonymous, count_statements, "organisations?kind=gemeinde")
    # Ten more Gemeinden, each under a Kreis of its own: ten more distinct parents.
    for n in range(10):
        kreis = f"05{n + 960:03d}0000000"
        f.organisation(client, kreis, f"Kreis {n}", "kreis", NRW)
        f.organisation(client, f"05{n + 960:03d}0001001", f"Gemeinde {n}", "gemeinde", kreis)
    after, big = _count(anonymous, count_statements, "organisations?kind=gemeinde")
    assert len(small["items"]) == 1 and len(big["items"]) == 11
    assert {item["parent_name"] for item in big["items"]} == {
        "Ennepe-Ruhr-Kreis",
        *(f"Kreis {n}" for n in range(10)),
    }
    listing = "\n".join(" ".join(s.split())[:120] for s in count_statements.statements)
    assert after == before <= 5, f"{before} statements before, {after} after:\n{listing}"
