"""Marshmallow fields for the official identifiers and for references by public key."""

from typing import Any

from marshmallow import fields, validate

from registry.models.vocab import LAND_CODES

ARS = r"^[0-9]{12}$"
AGS = r"^[0-9]{8}$"
LEIKA = r"^[0-9]{14}$"
OZG_ID = r"^[0-9]{5}$"
SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
ORG_KEY = r"^(?:[0-9]{12}|[a-z0-9]+(?:-[a-z0-9]+)*)$"


def _string(validators: Any, docs: dict[str, Any], **kwargs: Any) -> fields.String:
    """A string field whose caller may add to (or override) the default documentation."""
    return fields.String(
        validate=validators, metadata={**docs, **kwargs.pop("metadata", {})}, **kwargs
    )


def ars(**kwargs: Any) -> fields.String:
    return _string(
        validate.Regexp(ARS, error="An ARS has exactly 12 digits."),
        {
            "description": "Amtlicher Regionalschlüssel, 12 digits",
            "example": "059110000000",
        },
        **kwargs,
    )


def ags(**kwargs: Any) -> fields.String:
    return _string(
        validate.Regexp(AGS, error="An AGS has exactly 8 digits."),
        {"description": "Amtlicher Gemeindeschlüssel, 8 digits", "example": "05911000"},
        **kwargs,
    )


def land_code(**kwargs: Any) -> fields.String:
    return _string(
        validate.OneOf(LAND_CODES, error="A Land code is 01 to 16."),
        {"description": "Land code, 01 to 16 (the ARS's first two digits)"},
        **kwargs,
    )


def leika_key(**kwargs: Any) -> fields.String:
    return _string(
        validate.Regexp(LEIKA, error="A LeiKa key has exactly 14 digits."),
        {"description": "LeiKa key, 14 digits", "example": "99102112000000"},
        **kwargs,
    )


def ozg_id(**kwargs: Any) -> fields.String:
    return _string(
        validate.Regexp(OZG_ID, error="An OZG-ID has exactly 5 digits."),
        {"description": "OZG-ID of the OZG-Leistung, 5 digits", "example": "10000"},
        **kwargs,
    )


def slug(**kwargs: Any) -> fields.String:
    return _string(
        [
            validate.Length(max=100),
            validate.Regexp(SLUG, error="A slug is lowercase a-z, 0-9 and single hyphens."),
        ],
        {"description": "lowercase ASCII key", "example": "elfe"},
        **kwargs,
    )


def cents(description: str, **kwargs: Any) -> fields.Integer:
    return fields.Integer(
        strict=True,
        validate=validate.Range(min=0, max=10**15, error="Money is integer cents, 0 or more."),
        metadata={"description": f"{description}, integer euro cents", "example": 250000},
        **kwargs,
    )


class Ref(fields.String):
    """A reference to another record by its public key: a string both ways."""

    def __init__(
        self,
        pattern: str = ORG_KEY,
        error: str = "An organisation key is a 12-digit ARS or a slug.",
        **kwargs: Any,
    ) -> None:
        super().__init__(validate=validate.Regexp(pattern, error=error), **kwargs)

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else value.key


class Whole(fields.Nested):
    """A nested value object that is always replaced as a whole, so a PATCH's partial
    loading must not relax its own required fields."""

    def _deserialize(self, value: Any, attr: Any, data: Any, partial: Any = None, **kwargs: Any):
        return super()._deserialize(value, attr, data, partial=False, **kwargs)
