"""The peer: Datasette serving an SQLite copy of the same data, with canned queries that
answer the same gap and coverage questions (DESIGN §2's duties and effective offering).

The copy is built by the same deterministic generator into the registry's own SQLite
schema (same tables, same indexes); run.py checks that both answer alike before timing.
"""

from __future__ import annotations

import json
from pathlib import Path

# KIND_LEVELS of registry.logic.duties, as rows.
KIND_LEVELS = """kind_levels(kind, level) AS (VALUES ('bund', 'bund'), ('land', 'land'),
  ('kreis', 'kreis'), ('kreisfreie_stadt', 'kreis'), ('kreisfreie_stadt', 'gemeinde'),
  ('gemeindeverband', 'gemeindeverband'), ('gemeinde', 'gemeinde'))"""

# An organisation's levels: its duties override, else its kind's; plus gemeindeverband for
# one carrying gemeinde that belongs to no Gemeindeverband (registry.logic.duties).
ORG_LEVELS = """base AS (
  SELECT d.level FROM organisation_duty d JOIN o ON d.organisation_id = o.id
  UNION
  SELECT kl.level FROM kind_levels kl JOIN o ON kl.kind = o.kind
  WHERE NOT EXISTS (SELECT 1 FROM organisation_duty d JOIN o ON d.organisation_id = o.id)),
levels AS (
  SELECT level FROM base
  UNION
  SELECT 'gemeindeverband' FROM base JOIN o ON base.level = 'gemeinde'
  WHERE NOT EXISTS (SELECT 1 FROM organisation p WHERE p.id = o.parent_id
                    AND p.kind = 'gemeindeverband'))"""

# The final SELECT reads the organisation's Land through a scalar subquery: joining `o`
# there makes SQLite (3.40) evaluate `offered` again for every service row (1.2 s an
# answer at Germany size instead of 2 ms); the peer gets the query a data team would tune.
GAPS = f"""WITH {KIND_LEVELS},
o AS (SELECT id, kind, parent_id, coalesce(land_code, '') AS land FROM organisation
      WHERE ars = :ars),
{ORG_LEVELS},
offered AS (
  SELECT ss.service_id FROM o
  JOIN organisation_closure c ON c.descendant_id = o.id
  JOIN adoption a ON a.organisation_id = c.ancestor_id AND a.status = 'live'
    AND (c.depth = 0 OR a.scope = 'subordinates')
  JOIN solution s ON s.id = a.solution_id AND s.status = 'live'
  JOIN solution_service ss ON ss.solution_id = s.id
  UNION
  SELECT ss.service_id FROM o JOIN solution s ON s.builder_id = o.id AND s.status = 'live'
  JOIN solution_service ss ON ss.solution_id = s.id)
SELECT sv.ozg_id, sv.name FROM service sv
LEFT JOIN service_responsibility r ON r.service_id = sv.id
  AND r.land_code = (SELECT land FROM o)
WHERE NOT sv.voluntary
  AND coalesce(r.level, sv.executing_level) IN (SELECT level FROM levels)
  AND sv.id NOT IN (SELECT service_id FROM offered)
ORDER BY sv.ozg_id"""

COVERAGE = f"""WITH {KIND_LEVELS},
sv AS (SELECT id FROM service WHERE ozg_id = :ozg_id AND NOT voluntary),
base AS (
  SELECT organisation_id, level FROM organisation_duty
  UNION ALL
  SELECT o.id, kl.level FROM organisation o JOIN kind_levels kl ON kl.kind = o.kind
  WHERE NOT EXISTS (SELECT 1 FROM organisation_duty d WHERE d.organisation_id = o.id)),
duty AS (
  SELECT organisation_id, level FROM base
  UNION ALL
  SELECT base.organisation_id, 'gemeindeverband' FROM base
  JOIN organisation o ON o.id = base.organisation_id
  WHERE base.level = 'gemeinde'
    AND NOT EXISTS (SELECT 1 FROM base b2 WHERE b2.organisation_id = base.organisation_id
                    AND b2.level = 'gemeindeverband')
    AND NOT EXISTS (SELECT 1 FROM organisation p WHERE p.id = o.parent_id
                    AND p.kind = 'gemeindeverband')),
due AS (
  SELECT duty.organisation_id FROM duty
  JOIN organisation o ON o.id = duty.organisation_id
  JOIN sv JOIN service s ON s.id = sv.id
  LEFT JOIN service_responsibility r ON r.service_id = sv.id
    AND r.land_code = coalesce(o.land_code, '')
  WHERE duty.level = coalesce(r.level, s.executing_level)),
offering AS (
  SELECT c.descendant_id AS organisation_id FROM sv
  JOIN solution_service ss ON ss.service_id = sv.id
  JOIN solution s ON s.id = ss.solution_id AND s.status = 'live'
  JOIN adoption a ON a.solution_id = s.id AND a.status = 'live'
  JOIN organisation_closure c ON c.ancestor_id = a.organisation_id
    AND (c.depth = 0 OR a.scope = 'subordinates')
  UNION
  SELECT s.builder_id FROM sv JOIN solution_service ss ON ss.service_id = sv.id
  JOIN solution s ON s.id = ss.solution_id AND s.status = 'live')
SELECT o.land_code, count(*) AS due, count(offering.organisation_id) AS offering
FROM due JOIN organisation o ON o.id = due.organisation_id
LEFT JOIN offering ON offering.organisation_id = o.id
GROUP BY o.land_code ORDER BY o.land_code"""


def write_metadata(path: Path, database: str) -> None:
    path.write_text(
        json.dumps(
            {
                "databases": {
                    database: {
                        "queries": {
                            "gaps": {"sql": GAPS, "title": "Services an organisation lacks"},
                            "coverage": {"sql": COVERAGE, "title": "Coverage of a service"},
                        }
                    }
                }
            },
            indent=2,
        )
    )


def gaps_path(database: str, ars: str) -> str:
    return f"/{database}/gaps.json?ars={ars}&_shape=array"


def coverage_path(database: str, ozg_id: str) -> str:
    return f"/{database}/coverage.json?ozg_id={ozg_id}&_shape=array"
