"""Bundles: export -> empty database -> import -> export is byte-identical; HTTP too."""

import csv
import io
import json

import pytest
from sqlalchemy import func, select

from registry import migrate
from registry.db import make_engine, make_sessionmaker
from registry.importers import bundle
from registry.models import AuditEvent
from tests.conftest import drop_database, fresh_database_url, run_database_name
from tests.test_offering_figures import assert_exact

seeded = pytest.mark.world("nrw")


@pytest.fixture
def empty_database(backend, tmp_path):
    url = fresh_database_url(backend, run_database_name("bundle"), tmp_path)
    migrate.upgrade(url)
    engine = make_engine(url)
    yield make_sessionmaker(engine)
    engine.dispose()
    drop_database(backend, url)


def _files(directory):
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


@seeded
def test_export_import_export_is_byte_identical(session, empty_database, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    counts = bundle.export_dir(session, first)
    assert counts == {
        "koenigstein_shares": 16,
        # GV100AD narrowed to NRW and Bremen (every Land stays) + Bund + 6 other bodies
        "organisations": 457,
        "services": 557,  # the whole OZG catalogue
        "solutions": 63,
        "adoptions": 37,
    }
    with empty_database() as target:
        report = bundle.import_records(target, bundle.read_dir(first))
        assert report.rejected == []
        assert report.counts["created"] == 16 + 457 + 557 + 63 + 37
        target.commit()
        bundle.export_dir(target, second)
        again = bundle.import_records(target, bundle.read_dir(first))
        assert (again.counts["created"], again.counts["updated"]) == (0, 0)
    assert _files(first) == _files(second)


@seeded
def test_ndjson_is_sorted_by_key_and_csv_opens_in_german_spreadsheets(session, tmp_path):
    bundle.export_dir(session, tmp_path)
    lines = (tmp_path / "organisations.ndjson").read_text(encoding="utf-8").splitlines()
    keys = [json.loads(line).get("ars") for line in lines]
    with_ars = [k for k in keys if k]
    assert with_ars == sorted(with_ars)
    raw = (tmp_path / "services.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads the umlauts right
    header = raw.decode("utf-8-sig").splitlines()[0]
    assert header.split(";")[:4] == [
        "case_rate_assumed",
        "case_rate_per_1000",
        "case_rate_source",
        "description",
    ]
    services = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    elterngeld = next(row for row in services if row["ozg_id"] == "10000")
    assert "09: land (" in elterngeld["responsibilities"]  # Bayern's own row, readable
    solutions = (tmp_path / "solutions.csv").read_text(encoding="utf-8-sig")
    assert "price_model" in solutions.splitlines()[0]


@seeded
def test_rejected_record_means_nothing_lands(session, tmp_path):
    bundle.export_dir(session, tmp_path)
    services = tmp_path / "services.ndjson"
    lines = services.read_text(encoding="utf-8").splitlines()
    broken = json.loads(lines[3])
    broken["executing_level"] = "mond"
    lines[3] = json.dumps(broken)
    lines.append(json.dumps({**json.loads(lines[0]), "ozg_id": "99999", "name": "Neu"}))
    services.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = bundle.import_records(session, bundle.read_dir(tmp_path))
    assert report.rejected == [
        {
            "record": "service line 4",
            "reason": "executing_level: Must be one of: "
            "bund, land, kreis, gemeindeverband, gemeinde.",
        }
    ]


@seeded
def test_http_export_streams_and_import_round_trips(client, anonymous):
    assert anonymous.get("/api/v1/export").status_code == 401
    response = client.get("/api/v1/export")
    assert response.status_code == 200
    assert response.mimetype == "application/x-ndjson"
    body = response.get_data(as_text=True)
    assert len(body.encode()) > 1_000_000  # above the limit of other requests
    types = [json.loads(line)["type"] for line in body.splitlines()]
    assert types.count("organisation") == 457 and types.count("adoption") == 37
    report = client.post("/api/v1/import", data=body, content_type="application/x-ndjson")
    assert report.status_code == 200
    assert report.get_json() == {
        "created": 0,
        "updated": 0,
        "unchanged": 16 + 457 + 557 + 63 + 37,
        "skipped": {},
        "warnings": {},
        "rejected": [],
    }


def test_http_import_with_a_bad_record_is_422_and_lands_nothing(client):
    good = {
        "type": "service",
        "record": {
            "ozg_id": "10160",
            "name": "Hundehaltung",
            "themenfeld": "Engagement & Hobby",
            "executing_level": "gemeinde",
        },
    }
    bad = {
        "type": "service",
        "record": {
            "ozg_id": "1",
            "name": "x",
            "themenfeld": "Querschnitt",
            "executing_level": "gemeinde",
        },
    }
    body = "\n".join(json.dumps(x) for x in (good, bad)) + "\n"
    response = client.post("/api/v1/import", data=body, content_type="application/x-ndjson")
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    problem = response.get_json()
    assert problem["rejected"][0]["record"] == "service line 2"
    assert "ozg_id" in problem["rejected"][0]["reason"]
    assert client.get("/api/v1/services/10160").status_code == 404


def test_http_import_adds_a_koenigstein_year_and_refuses_a_bad_share(client):
    share = {
        "type": "koenigstein_share",
        "record": {"year": 2024, "land_code": "05", "share_percent": "21.00000"},
    }
    ok = client.post("/api/v1/import", data=json.dumps(share), content_type="application/x-ndjson")
    assert ok.status_code == 200 and ok.get_json()["created"] == 1
    share["record"]["land_code"] = "17"
    bad = client.post("/api/v1/import", data=json.dumps(share), content_type="application/x-ndjson")
    assert bad.status_code == 422
    assert "land_code" in bad.get_json()["rejected"][0]["reason"]


def _many_adoptions(directory, session):
    """The bundle plus 600 new adoptions (300 Gemeinden adopting ELFE and eWA): bulk."""
    from registry.models import Organisation

    gemeinden = session.scalars(
        select(Organisation.ars).where(Organisation.kind == "gemeinde").order_by(Organisation.ars)
    ).all()[:300]
    empty = dict.fromkeys(
        ("confirmed_on", "contracted_on", "contradicted_on", "ended_on", "evidence_url", "note")
    )
    base = {"status": "live", "scope": "self", "provenance": "illustrative"}
    lines = [
        bundle.line(
            {**empty, **base, "organisation": ars, "solution": slug, "live_on": "2024-01-01"}
        )
        for slug in ("elfe", "ewa")
        for ars in gemeinden
    ]
    path = directory / "adoptions.ndjson"
    path.write_text(path.read_text(encoding="utf-8") + "\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


@seeded
def test_a_large_bundle_goes_the_bulk_way_with_audit_and_round_trips(
    session, empty_database, tmp_path
):
    first, second = tmp_path / "first", tmp_path / "second"
    bundle.export_dir(session, first)
    added = _many_adoptions(first, session)
    with empty_database() as target:
        report = bundle.import_records(target, bundle.read_dir(first))
        assert report.rejected == []
        target.commit()
        events = target.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.entity_type == "adoption")
        )
        assert events == 37 + added  # every adoption has its create event, bulk or not
        bundle.export_dir(target, second)
        assert_exact(target)
    # what was imported is what the registry now exports (sorted by key, so equal text)
    imported, exported = (
        set(_lines(first / "adoptions.ndjson")),
        set(_lines(second / "adoptions.ndjson")),
    )
    assert (sorted(imported - exported)[:3], sorted(exported - imported)[:3]) == ([], [])
    assert len(_lines(second / "adoptions.ndjson")) == 37 + added


@seeded
def test_one_bad_record_among_many_lands_nothing(session, empty_database, tmp_path):
    bundle.export_dir(session, tmp_path)
    _many_adoptions(tmp_path, session)
    path = tmp_path / "adoptions.ndjson"
    lines = path.read_text(encoding="utf-8").splitlines()
    bad = json.loads(lines[-1])
    bad["live_on"], bad["ended_on"] = "2024-01-01", "2023-01-01"
    lines[-1] = json.dumps(bad)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with empty_database() as target:
        report = bundle.import_records(target, bundle.read_dir(tmp_path))
        assert report.rejected == [
            {
                "record": f"adoption line {len(lines)}",
                "reason": "ended_on: ended_on (2023-01-01) lies before live_on (2024-01-01).",
            }
        ]


def _lines(path):
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line]
