"""List pages issue a bounded number of SQL statements, however many parents they show."""

from tests import factories as f
from tests.test_analysis_statements import _measure

NRW = "050000000000"


def test_organisation_list_loads_parents_at_once(client, anonymous, count_statements):
    f.land(client)
    f.organisation(client, "059540000000", "Ennepe-Ruhr-Kreis", "kreis", NRW)
    f.organisation(client, "059540036036", "Witten", "gemeinde", "059540000000")
    before, small = _measure(anonymous, count_statements, "organisations?kind=gemeinde")
    # Ten more Gemeinden, each under a Kreis of its own: ten more distinct parents.
    for n in range(10):
        kreis = f"05{n + 960:03d}0000000"
        f.organisation(client, kreis, f"Kreis {n}", "kreis", NRW)
        f.organisation(client, f"05{n + 960:03d}0001001", f"Gemeinde {n}", "gemeinde", kreis)
    after, big = _measure(anonymous, count_statements, "organisations?kind=gemeinde")
    assert len(small["items"]) == 1 and len(big["items"]) == 11
    assert {item["parent_name"] for item in big["items"]} == {
        "Ennepe-Ruhr-Kreis",
        *(f"Kreis {n}" for n in range(10)),
    }
    listing = "\n".join(" ".join(s.split())[:120] for s in count_statements.statements)
    # the audit sequence and the page, which carries the number of all matches
    assert after == before <= 2, f"{before} statements before, {after} after:\n{listing}"
    assert big["pagination"]["total_items"] == 11
    # a page past the end counts the matches in a statement of its own
    past = anonymous.get("/api/v1/organisations?kind=gemeinde&page_size=5&page=4").get_json()
    assert past["items"] == [] and past["pagination"]["total_items"] == 11
    last = anonymous.get("/api/v1/organisations?kind=gemeinde&page_size=5&page=3").get_json()
    assert len(last["items"]) == 1 and last["pagination"]["total_pages"] == 3
