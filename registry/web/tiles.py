"""The 16 Länder as a tile map: one square each, roughly where the Land lies, shaded by
the share of due organisations offering a service. Rendered on the server as SVG (fill
attributes only: the pages' CSP allows no inline styles); the table beside it is the text
alternative.
"""

from __future__ import annotations

from dataclasses import dataclass

# (row, column) on a 5 × 5 grid, north at the top; Land codes as in the ARS.
GRID = {
    "01": ("SH", 0, 2),
    "04": ("HB", 1, 1),
    "02": ("HH", 1, 2),
    "13": ("MV", 1, 3),
    "05": ("NW", 2, 0),
    "03": ("NI", 2, 1),
    "15": ("ST", 2, 2),
    "12": ("BB", 2, 3),
    "11": ("BE", 2, 4),
    "07": ("RP", 3, 0),
    "06": ("HE", 3, 1),
    "16": ("TH", 3, 2),
    "14": ("SN", 3, 3),
    "10": ("SL", 4, 0),
    "08": ("BW", 4, 1),
    "09": ("BY", 4, 2),
}
SIZE, GAP = 64, 4
# Five steps from light to dark blue; text white from the fourth (contrast ≥ 4.5:1).
SHADES = ("#e8f0fb", "#b9d0f0", "#7ea8e0", "#2f6bbd", "#173f7a")
NO_DUTY = "#f2f2f2"


@dataclass(frozen=True)
class Tile:
    code: str
    abbreviation: str
    x: int
    y: int
    fill: str
    text_fill: str
    label: str  # "NW 48 %"


def tiles(percent_by_land: dict[str, float | None]) -> list[Tile]:
    found = []
    for code, (abbreviation, row, column) in GRID.items():
        value = percent_by_land.get(code)
        if value is None:
            fill, label = NO_DUTY, "–"
        else:
            shown = int(value + 0.5)  # half up, as the table's percent
            fill = SHADES[min(4, shown // 20)]
            label = f"{shown}\u00a0%"
        dark = fill in SHADES[3:]
        found.append(
            Tile(
                code,
                abbreviation,
                column * (SIZE + GAP),
                row * (SIZE + GAP),
                fill,
                "#ffffff" if dark else "#1a1a1a",
                label,
            )
        )
    return found


WIDTH = HEIGHT = 5 * (SIZE + GAP) - GAP
