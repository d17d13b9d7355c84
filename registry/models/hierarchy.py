"""The organisation hierarchy as a closure table: every (ancestor, descendant) pair.

Analysis queries ask "is any ancestor of O rolling this out?" for thousands of O at once;
a closure table answers that with one indexed join instead of a recursive query.
It is maintained by registry.logic.hierarchy on every change of the tree.
"""

from sqlalchemy import CheckConstraint, ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from registry.db import Base


class OrganisationClosure(Base):
    __tablename__ = "organisation_closure"

    ancestor_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True
    )
    descendant_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    depth: Mapped[int] = mapped_column(Integer)

    __table_args__ = (CheckConstraint("depth >= 0", name="depth"),)
