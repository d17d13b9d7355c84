"""Königsteiner Schlüssel: each Land's yearly share, in hundred-thousandths of a percent."""

from sqlalchemy import CheckConstraint, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from registry.db import Base
from registry.models.vocab import LAND_CODES, sql_in

# Shares are published with five decimals of a percent; stored exactly as integers.
SHARE_SCALE = 100_000
FULL_SHARE = 100 * SHARE_SCALE


class KoenigsteinShare(Base):
    __tablename__ = "koenigstein_share"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    land_code: Mapped[str] = mapped_column(String(2), primary_key=True)
    share_e5: Mapped[int] = mapped_column(Integer)
    source: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint(sql_in("land_code", LAND_CODES), name="land_code"),
        CheckConstraint(f"share_e5 BETWEEN 0 AND {FULL_SHARE}", name="share_e5"),
        CheckConstraint("year BETWEEN 1949 AND 2200", name="year"),
    )

    @property
    def share_percent(self) -> str:
        whole, frac = divmod(self.share_e5, SHARE_SCALE)
        return f"{whole}.{frac:05d}"
