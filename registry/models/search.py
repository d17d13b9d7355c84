"""Keep the folded search columns in step with the fields they are made of."""

from typing import Any

from sqlalchemy import event

from registry.models.organisation import Organisation
from registry.models.service import Service
from registry.models.solution import Solution
from registry.text import fold

SEARCHED_FIELDS: dict[type, tuple[str, ...]] = {
    Organisation: ("name", "slug", "ars"),
    Service: ("name", "ozg_id", "lebenslage", "themenfeld", "leika_names"),
    Solution: ("name", "slug", "description"),
}


def refresh(target: Any) -> None:
    fields = SEARCHED_FIELDS[type(target)]
    target.search_name = fold(target.name)
    target.search_text = fold(" ".join(search_words(getattr(target, f)) for f in fields))


def search_words(value: Any) -> str:
    if isinstance(value, list):  # LeiKa names
        return " ".join(map(str, value))
    return str(value or "")


for _model in SEARCHED_FIELDS:
    event.listen(_model, "before_insert", lambda _m, _c, target: refresh(target))
    event.listen(_model, "before_update", lambda _m, _c, target: refresh(target))
