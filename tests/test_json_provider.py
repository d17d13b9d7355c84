"""The orjson provider encodes answers as Flask's default provider would."""

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from flask.json.provider import DefaultJSONProvider

from registry.app import create_app


@dataclass
class Point:
    x: int
    label: str


VALUES = [
    {"ä": "Mülheim an der Ruhr", "b": [1, 2.5, None, True]},
    {"price": Decimal("7.25"), "on": date(2026, 1, 2)},
    {"at": datetime(2026, 12, 2, 10, 30, tzinfo=UTC)},
    Point(3, "drei"),
    {1: "int key", "z": {"nested": [0.7227, 0.1]}},
    ["a", {"z": 1, "a": 2}],  # key order kept, not sorted
]


@pytest.fixture(scope="module")
def app():
    return create_app({"DATABASE_URL": "sqlite://"})


@pytest.mark.parametrize("value", VALUES, ids=range(len(VALUES)))
def test_same_bytes_as_flask_default(app, value):
    default = DefaultJSONProvider(app)
    default.sort_keys, default.ensure_ascii = False, False
    with app.app_context():
        ours = app.json.response(value)
        theirs = default.response(value)
    assert ours.get_data() == theirs.get_data()
    assert ours.mimetype == "application/json"
    assert app.json.dumps(value) == default.dumps(value, separators=(",", ":"))


def test_floats_keep_their_value(app):
    values = [1e-05, 123456789.125, 0.30000000000000004]
    assert json.loads(app.json.dumps(values)) == values


def test_indent_falls_back_to_the_standard_encoder(app):
    assert app.json.dumps({"a": 1}, indent=2) == '{\n  "a": 1\n}'
