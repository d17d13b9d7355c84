"""OZG-Dashboard import: files in the published DvDataDto vocabulary become evidence.

The fixture follows the spec column by column (tests/data/dashboard/README.md); the other
delimiters, encodings and the XLSX variant are derived from it here, so that every form of
the same content must give the same report.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from registry.importers import dashboard, dashboard_file
from registry.importers.dashboard_file import COLUMNS
from registry.importers.report import ImportFailed

pytestmark = pytest.mark.world("nrw")

EXPORT = Path(__file__).parent / "data" / "dashboard" / "export_nrw.csv"
AS_OF = date(2026, 11, 30)
BOCHUM, MUELHEIM, NRW, KREIS_RE = "059110000000", "051170000000", "050000000000", "055620000000"
HERTEN, MARL, WALTROP = "055620020020", "055620024024", "055620032032"
UNKNOWN_HOST = "hundesteuer.example.org/herten/anmeldung"


def rows() -> list[list[str]]:
    return list(csv.reader(io.StringIO(EXPORT.read_text(encoding="utf-8")), delimiter=";"))


def write_csv(path: Path, data: list[list[str]], delimiter: str, encoding: str) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(data)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, data: list[list[str]]) -> Path:
    book = Workbook()
    sheet = book.active
    for values in data:
        typed: list[object] = list(values)
        # as a spreadsheet program stores them: ozgid an integer, empty cells empty
        if values is not data[0]:
            typed[7] = int(values[7]) if values[7] else None
            typed = [None if v == "" else v for v in typed]
        sheet.append(typed)
    book.save(path)
    return path


def adoptions_of(client, solution: str) -> dict[str, dict]:
    items = client.get(f"/api/v1/adoptions?solution={solution}&page_size=500").get_json()
    return {a["organisation"]: a for a in items["items"]}


def test_fixture_has_the_published_columns_in_their_order():
    assert tuple(rows()[0]) == COLUMNS


def test_export_becomes_evidence_and_nothing_is_invented(session, client):
    report = dashboard.import_file(session, EXPORT, AS_OF)
    session.commit()
    assert report.rejected == []
    assert report.skipped == {
        "not evidence of an online service: online_status 'nicht ok'": 1,
        "not evidence of an online service: aktiv 'nein'": 1,
        "not evidence of an online service: aktiv not stated": 1,
        "art_flaechendeckung 'nicht in Auswertung berücksichtigt'": 1,
        "no ozgid (LeiKa service not mapped to an OZG-Leistung)": 1,
        "ARS not in the registry (another GV100AD edition?)": 1,
        "the same row again (includeAbove / includeBelow)": 1,
    }
    # ok + ja at a URL a real solution's pattern knows: evidence for that solution
    digital = adoptions_of(client, "elterngeld-digital")
    assert BOCHUM in digital and MUELHEIM not in digital  # Mülheim's row says "nicht ok"
    bochum = digital[BOCHUM]
    assert (bochum["status"], bochum["scope"], bochum["provenance"]) == (
        "live",
        "self",
        "dashboard",
    )
    assert bochum["confirmed_on"] == "2026-11-30"
    assert bochum["evidence_url"].startswith("https://www.elterngeld-digital.de/ams/")
    # An unknown address: one solution per host and path, no builder, not EfA, curate it
    unknown = client.get("/api/v1/solutions?builder_unknown=true").get_json()["items"]
    assert [(s["builder"], s["efa"], s["url_patterns"], s["services"]) for s in unknown] == [
        (None, False, [UNKNOWN_HOST], ["10160"])
    ]
    by_url = adoptions_of(client, unknown[0]["slug"])
    assert set(by_url) == {HERTEN, MARL}  # Waltrop: aktiv nein; Dorsten: aktiv empty
    # kreisweit flächendeckend on the Kreis's own row: a roll-out; on Haltern's own row: not
    ewa = adoptions_of(client, "ewa")
    assert ewa[KREIS_RE]["scope"] == "subordinates"
    assert ewa[KREIS_RE]["provenance"] == "dashboard"  # real evidence replaces the demo claim
    assert ewa["055620016016"]["scope"] == "self"
    # landesweit flächendeckend on the Land's row: a roll-out; Bochum's repeat: its own
    portal = adoptions_of(client, "wirtschafts-service-portal-nrw")
    assert portal[NRW]["scope"] == "subordinates"
    assert portal[BOCHUM]["scope"] == "self"


def test_second_import_of_the_same_export_changes_nothing(session):
    dashboard.import_file(session, EXPORT, AS_OF)
    again = dashboard.import_file(session, EXPORT, AS_OF)
    assert (again.counts["created"], again.counts["updated"]) == (0, 0)
    assert again.counts["unchanged"] > 0


@pytest.mark.parametrize(
    ("delimiter", "encoding", "read_as"),
    [
        (",", "utf-8", "UTF-8"),
        (";", "utf-8-sig", "UTF-8 with BOM"),
        ("\t", "utf-16", "UTF-16"),
        (";", "cp1252", "Windows-1252 (not UTF-8 from line 2)"),
        (",", "cp1252", "Windows-1252 (not UTF-8 from line 2)"),
    ],
)
def test_every_delimiter_and_encoding_reads_the_same(tmp_path, delimiter, encoding, read_as):
    expected = dashboard_file.read(EXPORT)
    variant = write_csv(tmp_path / "export.csv", rows(), delimiter, encoding)
    found = dashboard_file.read(variant)
    assert found.encoding == read_as
    assert found.rows == expected.rows and found.rejected == []


def test_xlsx_reads_like_the_csv(tmp_path):
    expected = dashboard_file.read(EXPORT)
    found = dashboard_file.read(write_xlsx(tmp_path / "export.xlsx", rows()))
    assert found.encoding == "xlsx"
    assert found.rows == expected.rows


def test_numeric_key_cells_get_their_leading_zeros_back(tmp_path):
    book = Workbook()
    book.active.append(list(COLUMNS))
    values: list[object] = list(rows()[1])
    values[2], values[4], values[7] = 59110000000, 5, 10000  # ARS 059110000000, Land 05
    book.active.append(values)
    book.save(tmp_path / "numbers.xlsx")
    (row,) = dashboard_file.read(tmp_path / "numbers.xlsx").rows
    assert (row.ars, row.ozgid) == (BOCHUM, "10000")


def test_a_file_in_neither_encoding_fails_naming_the_line(tmp_path):
    raw = EXPORT.read_bytes().splitlines(keepends=True)
    raw[3] = raw[3].replace(b"Herten", b"Hert\x81n")  # 0x81: undefined in Windows-1252
    (tmp_path / "broken.csv").write_bytes(b"".join(raw))
    with pytest.raises(ImportFailed, match=r"line 4: neither UTF-8.*nor Windows-1252"):
        dashboard_file.read(tmp_path / "broken.csv")


def test_a_file_that_is_no_export_says_which_columns_are_missing(tmp_path):
    (tmp_path / "other.csv").write_text("ars;name\n059110000000;Bochum\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match="columns missing: leika_key, ozgid, url"):
        dashboard_file.read(tmp_path / "other.csv")


def test_values_outside_the_vocabulary_are_rejected_with_line_and_field(tmp_path, session):
    data = rows()
    data[1][10] = "online"  # the old guess of the format: not a published value
    data[3][2] = "05562"
    data[5][12] = "flächendeckend"
    path = write_csv(tmp_path / "bad.csv", data, ";", "utf-8")
    report = dashboard.import_file(session, path, AS_OF)
    assert [(r["record"], r["reason"]) for r in report.rejected] == [
        ("line 2", "online_status 'online' is not ok / nicht ok"),
        ("line 4", "ars '05562' is not 12 digits"),
        ("line 6", "art_flaechendeckung 'flächendeckend' is none of the published values"),
    ]


def test_nicht_ok_in_a_later_export_marks_the_earlier_evidence(tmp_path, session, client):
    dashboard.import_file(session, EXPORT, AS_OF)
    session.commit()
    data = rows()
    data[1][10] = "nicht ok"  # Bochum's Elterngeld row, a month later
    later = write_csv(tmp_path / "later.csv", data, ";", "utf-8")
    report = dashboard.import_file(session, later, date(2026, 12, 31))
    session.commit()
    assert report.counts["contradicted"] == 1
    bochum = adoptions_of(client, "elterngeld-digital")[BOCHUM]
    assert (bochum["status"], bochum["contradicted_on"]) == ("live", "2026-12-31")
    assert "nicht ok" in bochum["note"]
    # confirmed again by the next export: no longer in doubt
    dashboard.import_file(session, EXPORT, date(2027, 1, 31))
    session.commit()
    bochum = adoptions_of(client, "elterngeld-digital")[BOCHUM]
    assert (bochum["contradicted_on"], bochum["confirmed_on"]) == (None, "2027-01-31")


def test_claims_of_other_sources_are_not_overwritten(session, client):
    from tests import factories as f

    f.adoption(client, BOCHUM, "elterngeld-digital", status="contracted")
    report = dashboard.import_file(session, EXPORT, AS_OF)
    assert report.skipped["already recorded by another source (contract)"] == 1
    assert adoptions_of(client, "elterngeld-digital")[BOCHUM]["provenance"] == "contract"


@pytest.fixture
def world_cli(connection, monkeypatch):
    """The `registry` command on the seeded world's database (what it commits stays)."""
    from registry import cli

    url = connection.engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("REGISTRY_DATABASE_URL", url)
    return lambda *args: CliRunner().invoke(cli.main, list(args))


def test_cli_exits_non_zero_when_rows_are_rejected_and_lands_nothing(
    tmp_path, world_cli, anonymous
):
    data = rows()
    data[2][10] = "offline"
    path = write_csv(tmp_path / "bad.csv", data, ";", "utf-8")
    result = world_cli("import", "dashboard", str(path))
    assert result.exit_code != 0
    assert "rejected line 3: online_status 'offline' is not ok / nicht ok" in result.output
    assert "nothing was imported" in result.output
    assert anonymous.get("/api/v1/solutions?builder_unknown=true").get_json()["items"] == []


def test_cli_exits_non_zero_when_nothing_could_be_used(tmp_path, world_cli):
    data = [rows()[0], rows()[12]]  # only a row "nicht in Auswertung berücksichtigt"
    path = write_csv(tmp_path / "useless.csv", data, ";", "utf-8")
    result = world_cli("import", "dashboard", str(path))
    assert result.exit_code != 0
    assert "skipped 1: art_flaechendeckung 'nicht in Auswertung berücksichtigt'" in result.output
    assert "nothing in the file could be used" in result.output


def test_a_title_above_the_header_and_numbers_saved_as_text_are_read(tmp_path):
    expected = dashboard_file.read(EXPORT)
    data = [["Dashboard Digitale Verwaltung – Export vom 30.11.2026"], [], *rows()]
    data[3][2] = data[3][2].lstrip("0")  # 59110000000: Excel dropped the leading zero
    data[3][7] += ".0"  # 10000.0: and wrote the integer as a float
    found = dashboard_file.read(write_csv(tmp_path / "titled.csv", data, ";", "utf-8"))
    assert [r.ars for r in found.rows] == [r.ars for r in expected.rows]
    assert [r.ozgid for r in found.rows] == [r.ozgid for r in expected.rows]
    assert found.rows[0].line == 4  # line numbers stay those of the file
    book = Workbook()
    book.active.append(["Export vom 30.11.2026"])
    for values in rows():
        book.active.append(values)
    book.save(tmp_path / "titled.xlsx")
    assert dashboard_file.read(tmp_path / "titled.xlsx").rows[0].ars == BOCHUM
