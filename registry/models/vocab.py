"""Controlled vocabularies shared by models, schemas and the database's check constraints."""

ORGANISATION_KINDS = (
    "bund",
    "land",
    "regierungsbezirk",
    "kreis",
    "kreisfreie_stadt",
    "gemeindeverband",
    "gemeinde",
    "non_territorial",
)
TERRITORIAL_KINDS = ORGANISATION_KINDS[:-1]
# Who executes a service (DESIGN §2). `gemeindeverband`: Ämter, Samtgemeinden,
# Verbandsgemeinden, Verwaltungsgemeinschaften carrying the task for their member Gemeinden.
LEVELS = ("bund", "land", "kreis", "gemeindeverband", "gemeinde")
# Where a service's national level comes from: the LeiKa Typisierung where it decides
# (1 -> bund; 5, 6 -> municipal), the curated seed (authority and law as the reason), an
# admin's hand, or nothing known (`assumed`: municipal by default, to be curated).
LEVEL_SOURCES = ("typisierung", "curated", "set", "assumed")
SOLUTION_STATUSES = ("development", "pilot", "live", "retired")
CHANNELS = ("fit_store", "efa_marktplatz", "direct", "open_source")
MATURITY_MODELS = {"1.1": 4, "2.0": 7}  # model version -> highest level
ADOPTION_STATUSES = ("interested", "contracted", "onboarding", "live", "ended")
SCOPES = ("self", "subordinates")
PROVENANCES = (
    "self_declared",
    "builder_declared",
    "contract",
    "dashboard",
    "pvog",
    "press",
    # Not in the original design: demo data must be recognisable as such by consumers.
    "illustrative",
)
THEMENFELDER = (
    "Arbeit & Ruhestand",
    "Bauen & Wohnen",
    "Bildung",
    "Ein- & Auswanderung",
    "Engagement & Hobby",
    "Familie & Kind",
    "Forschung & Förderung",
    "Gesundheit",
    "Mobilität & Reisen",
    "Querschnitt",
    "Recht & Ordnung",
    "Steuern & Zoll",
    "Umwelt",
    "Unternehmensführung & -entwicklung",
)
LAND_CODES = tuple(f"{n:02d}" for n in range(1, 17))


def sql_in(column: str, values: tuple[str, ...] | list[str]) -> str:
    """A CHECK clause body: column IN ('a', 'b')."""
    quoted = ", ".join("'" + v.replace("'", "''") + "'" for v in values)
    return f"{column} IN ({quoted})"
