"""Read an OZG-Dashboard export as published: CSV (any of the usual delimiters, UTF-8 with or
without BOM, UTF-16, or Windows-1252) or XLSX, into checked rows.

The format is the Dashboard Digitale Verwaltung API's (bundesAPI/digitale-verwaltung-api,
openapi.yaml, `GET /v1/data/{ars}?filetype=csv|xlsx&includeAbove&includeBelow`), schema
`DvDataDto`, whose properties are, in this order:
  leika_key            string   "LeiKa Schlüssel", e.g. '99041006017000'
  leika_name           string   "LeiKa-Name"
  ars                  string   "12-stelliger amtlicher Regionalschlüssel", e.g. '010510000000'
  ars_name             string, nullable   "Bezeichnung der Gebietskörperschaft"
  ars_federal_state    string, nullable   "2-stelliger Bundeslandcode"
  bundesland           string, nullable
  leika_bezeichnung    string, nullable
  ozgid                integer (int32), nullable   "ID der OZG-Leistung", e.g. 10000
  ozg_bezeichnung      string, nullable
  url                  string   "URL des Onlinedienstes"
  online_status        enum: ok | nicht ok   "Funktionsfähigkeit des Onlinedienstes"
  aktiv                enum: ja | nein, nullable   "ob die OZG-Leistung aktiv ist"
  art_flaechendeckung  enum: bundesweit flächendeckend | in mind. einer Kommune verfügbar |
                       landesweit flächendeckend | kreisweit flächendeckend |
                       nicht in Auswertung berücksichtigt
The spec does not say which delimiter or encoding the CSV uses, so both are detected;
anything else fails with the line it fails on. Spreadsheet programs turn key columns into
numbers; a number in `ars`, `leika_key` or `ars_federal_state` gets its leading zeros back.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from registry.importers.report import ImportFailed

COLUMNS = (
    "leika_key",
    "leika_name",
    "ars",
    "ars_name",
    "ars_federal_state",
    "bundesland",
    "leika_bezeichnung",
    "ozgid",
    "ozg_bezeichnung",
    "url",
    "online_status",
    "aktiv",
    "art_flaechendeckung",
)
REQUIRED = ("leika_key", "ars", "ozgid", "url", "online_status", "aktiv", "art_flaechendeckung")
ONLINE_STATUS = ("ok", "nicht ok")
AKTIV = ("ja", "nein")
COVERAGE = (
    "bundesweit flächendeckend",
    "landesweit flächendeckend",
    "kreisweit flächendeckend",
    "in mind. einer Kommune verfügbar",
    "nicht in Auswertung berücksichtigt",
)
WIDTHS = {"ars": 12, "leika_key": 14, "ars_federal_state": 2}
DELIMITERS = (";", ",", "\t", "|")
ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class Row:
    """One LeiKa service at one ARS at one URL, checked against the published vocabulary."""

    line: int
    leika_key: str
    ars: str
    ozgid: str | None
    ozg_bezeichnung: str | None
    url: str | None
    online_status: str
    aktiv: str | None
    coverage: str


@dataclass
class Read:
    rows: list[Row]
    rejected: list[dict[str, str]]
    encoding: str


def read(path: Path) -> Read:
    raw = path.read_bytes()
    if raw.startswith(ZIP_MAGIC):  # an XLSX, whatever its name says
        records, encoding = _xlsx(path), "xlsx"
    else:
        text, encoding = decode(raw, path.name)
        records = _csv(text, path.name)
    rows, rejected = [], []
    for line, record in records:
        row, problem = check(line, record)
        if problem:
            rejected.append({"record": f"line {line}", "reason": problem})
        elif row is not None:
            rows.append(row)
    return Read(rows, rejected, encoding)


def decode(raw: bytes, name: str) -> tuple[str, str]:
    """The text and the encoding it was in; a clear failure naming the line otherwise."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return _strict(raw[3:], "utf-8", name), "UTF-8 with BOM"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(raw, "utf-16", name), "UTF-16"
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError as error:
        not_utf8 = raw[: error.start].count(b"\n") + 1
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ImportFailed(
            name,
            line,
            f"neither UTF-8 (not from line {not_utf8}) nor Windows-1252 (byte "
            f"0x{raw[error.start]:02x}): save the export as UTF-8",
        ) from None
    return text, f"Windows-1252 (not UTF-8 from line {not_utf8})"


def _strict(raw: bytes, encoding: str, name: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ImportFailed(name, line, f"not valid {encoding} (it says it is)") from None


HEADER_SEARCH = 20  # lines above the header (a title, a date) that a spreadsheet may add


def _csv(text: str, name: str) -> list[tuple[int, dict[str, Any]]]:
    candidates = [line for line in text.splitlines() if line.strip()][:HEADER_SEARCH]
    delimiter = max(
        DELIMITERS, key=lambda d: max((_known(line, d) for line in candidates), default=0)
    )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    lines = [(reader.line_num, values) for values in reader if any(v.strip() for v in values)]
    return _records(lines, name)


def _records(lines: list[tuple[int, list[Any]]], name: str) -> list[tuple[int, dict[str, Any]]]:
    """Rows as dicts by the header: the first row naming the required columns (a title or
    a date a spreadsheet program put above it is passed over), else the first row."""
    if not lines:
        raise ImportFailed(name, None, "the file is empty")
    start = next(
        (i for i, (_, values) in enumerate(lines[:HEADER_SEARCH]) if not _title_row(values)), 0
    )
    line, values = lines[start]
    header = _header(values, name, line)
    out = []
    for number, values in lines[start + 1 :]:
        if len(values) > len(header) and any(str(v or "").strip() for v in values[len(header) :]):
            out.append((number, {"__extra__": values[len(header) :]}))
            continue
        out.append((number, dict(zip(header, values, strict=False))))
    return out


def _title_row(values: list[Any]) -> bool:
    """Not the header: it names fewer columns than the export must have."""
    return sum(1 for v in values if _column(v) in REQUIRED) < len(REQUIRED)


def _known(header_line: str, delimiter: str) -> int:
    fields = next(csv.reader([header_line], delimiter=delimiter), [])
    return sum(1 for f in fields if _column(f) in COLUMNS)


def _column(name: Any) -> str:
    return str(name or "").strip().lstrip("\ufeff").lower()


def _header(values: list[Any], name: str, line: int) -> list[str]:
    header = [_column(v) for v in values]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ImportFailed(
            name,
            line,
            f"not an OZG-Dashboard export (DvDataDto): columns missing: {', '.join(missing)}; "
            f"found: {', '.join(h for h in header if h) or 'none'}",
        )
    return header


def _xlsx(path: Path) -> list[tuple[int, dict[str, Any]]]:
    from openpyxl import load_workbook  # only XLSX imports need it

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise ImportFailed(path.name, None, f"not a readable XLSX file ({error})") from None
    try:
        sheet = book.worksheets[0]
        lines = [
            (number, list(values))
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
            if any(v is not None and str(v).strip() for v in values)
        ]
        return _records(lines, path.name)
    finally:
        book.close()


def _text(record: dict[str, Any], name: str) -> str | None:
    value = record.get(name)
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if name in WIDTHS or name == "ozgid":
        # a spreadsheet program's number: "10000.0", or a key that lost its leading zero
        text = re.sub(r"^([0-9]+)\.0+$", r"\1", text)
        if name in WIDTHS and text.isdigit() and len(text) == WIDTHS[name] - 1:
            text = "0" + text
    return text or None


def check(line: int, record: dict[str, Any]) -> tuple[Row | None, str | None]:
    """The row, or why it is rejected: a value outside the published schema."""
    if "__extra__" in record:
        return None, "more values than columns (a delimiter inside an unquoted value?)"
    values = {name: _text(record, name) for name in COLUMNS}
    problems = []
    ars, leika_key, ozgid = values["ars"], values["leika_key"], values["ozgid"]
    if not (ars and re.fullmatch(r"[0-9]{12}", ars)):
        problems.append(f"ars '{ars or ''}' is not 12 digits")
    if not (leika_key and re.fullmatch(r"[0-9]{14}", leika_key)):
        problems.append(f"leika_key '{leika_key or ''}' is not 14 digits")
    if ozgid is not None and not re.fullmatch(r"[0-9]{5}", ozgid):
        problems.append(f"ozgid '{ozgid}' is not a 5-digit OZG-ID")
    status = (values["online_status"] or "").lower()
    if status not in ONLINE_STATUS:
        problems.append(f"online_status '{values['online_status'] or ''}' is not ok / nicht ok")
    aktiv = (values["aktiv"] or "").lower() or None
    if aktiv is not None and aktiv not in AKTIV:
        problems.append(f"aktiv '{values['aktiv']}' is not ja / nein / empty")
    coverage = " ".join((values["art_flaechendeckung"] or "").split())
    if coverage.lower() not in [c.lower() for c in COVERAGE]:
        problems.append(f"art_flaechendeckung '{coverage}' is none of the published values")
    else:
        coverage = next(c for c in COVERAGE if c.lower() == coverage.lower())
    url = values["url"]
    if url is not None and not re.match(r"https?://[^\s/]+", url, re.IGNORECASE):
        problems.append(f"url '{url}' is not a web address")
    if problems:
        return None, "; ".join(problems)
    return (
        Row(
            line,
            leika_key or "",
            ars or "",
            ozgid,
            values["ozg_bezeichnung"],
            url,
            status,
            aktiv,
            coverage,
        ),
        None,
    )
