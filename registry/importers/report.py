"""What an import did: counts, and what it rejected or skipped with the reason."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from registry.errors import RegistryError


class ImportFailed(RegistryError):
    """A malformed input: nothing of the import lands."""

    status = 422
    type = "urn:efa-registry:problem:import-failed"
    title = "Import failed"

    def __init__(self, source: str, line: int | None, reason: str) -> None:
        where = f"{source}, line {line}" if line else source
        super().__init__(f"{where}: {reason}", {"line": [str(line)]} if line else None)


class ImportRejected(RegistryError):
    """Some records were rejected: nothing landed; the report says which and why."""

    status = 422
    type = "urn:efa-registry:problem:import-rejected"
    title = "Import rejected"

    def __init__(self, report: Report) -> None:
        figures: dict[str, Any] = report.as_dict()
        super().__init__(
            f"{len(report.rejected)} record(s) rejected; nothing was imported.", None, **figures
        )


@dataclass
class Report:
    counts: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)  # reason -> how many
    warnings: Counter[str] = field(default_factory=Counter)  # landed, but look at it
    notes: list[str] = field(default_factory=list)  # how the input was read
    rejected: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "created": self.counts["created"],
            "updated": self.counts["updated"],
            "unchanged": self.counts["unchanged"],
            "skipped": dict(self.skipped),
            "warnings": dict(self.warnings),
            "rejected": self.rejected,
        }

    @property
    def used(self) -> int:
        """Records written or confirmed: 0 means the input gave nothing usable."""
        return sum(n for what, n in self.counts.items() if what != "skipped")

    @contextmanager
    def attempt(self, session: Session, record: str) -> Iterator[None]:
        """Write one record in a savepoint; a refusal is reported with its reason, and
        the import goes on so that the report lists every rejected record."""
        try:
            with session.begin_nested():
                yield
        except RegistryError as error:
            reasons = "; ".join(
                f"{field}: {' '.join(map(str, messages))}"
                for field, messages in (error.errors or {}).items()
            )
            self.rejected.append({"record": record, "reason": reasons or error.detail})
        except (KeyError, TypeError) as error:  # a record without a required key
            self.rejected.append({"record": record, "reason": f"missing {error}"})

    def lines(self) -> list[str]:
        out = list(self.notes)
        out.append(
            f"created {self.counts['created']}, updated {self.counts['updated']}, "
            f"unchanged {self.counts['unchanged']}"
        )
        out += [
            f"{what} {n}"
            for what, n in sorted(self.counts.items())
            if what not in ("created", "updated", "unchanged")
        ]
        out += [f"skipped {n}: {reason}" for reason, n in sorted(self.skipped.items())]
        out += [f"warning {n}: {reason}" for reason, n in sorted(self.warnings.items())]
        out += [f"rejected {r['record']}: {r['reason']}" for r in self.rejected]
        return out
