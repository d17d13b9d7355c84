"""German text folded for search: case, umlauts and light inflection do not matter."""

import re
import unicodedata

UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
NON_WORD = re.compile(r"[^a-z0-9]+")
# Inflection endings, longest first; a stem keeps at least four letters, so that
# "eltern" becomes "elter", not "elt" (which would match inside "Umwelt").
SUFFIXES = ("ern", "en", "er", "es", "e", "n", "s")
MIN_STEM = 4


def fold(text: str | None) -> str:
    """'Mülheim an der Ruhr' -> ' muelheim an der ruhr ' (padded, so ' x' finds word starts)."""
    if not text:
        return " "
    lowered = text.lower().translate(UMLAUTS)
    ascii_only = unicodedata.normalize("NFKD", lowered).encode("ascii", "ignore").decode()
    return " " + " ".join(NON_WORD.sub(" ", ascii_only).split()) + " "


def stem(word: str) -> str:
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return word[: -len(suffix)]
    return word


def query_terms(query: str) -> list[str]:
    """The folded, stemmed words of a search query; each must occur in a match."""
    return [stem(word) for word in fold(query).split()]
