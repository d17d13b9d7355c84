"""The `registry` command: database, seed, OpenAPI document, development server."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from flask import Flask, g

from registry import migrate
from registry.app import create_app
from registry.db import get_session
from registry.errors import RegistryError
from registry.paths import project_dir
from registry.uow import UnitOfWork


def _app() -> Flask:
    return create_app()


class RegistryGroup(click.Group):
    """Domain errors end a command with their message and exit code 1, not a traceback."""

    def invoke(self, ctx: click.Context):  # type: ignore[no-untyped-def]
        try:
            return super().invoke(ctx)
        except RegistryError as error:
            click.echo(f"error: {error.detail}", err=True)
            for field, messages in (error.errors or {}).items():
                click.echo(f"  {field}: {' '.join(map(str, messages))}", err=True)
            ctx.exit(1)


@click.group(cls=RegistryGroup)
def main() -> None:
    """EfA service-sharing registry."""


@main.group()
def db() -> None:
    """Database schema (Alembic migrations)."""


@db.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Migrate the database up to REVISION (default: the latest)."""
    app = _app()
    migrate.upgrade(app.config["DATABASE_URL"], revision)
    click.echo(f"database at {revision}: {_safe_url(app)}")


@db.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Migrate the database down to REVISION ('base' empties it)."""
    app = _app()
    migrate.downgrade(app.config["DATABASE_URL"], revision)
    click.echo(f"database at {revision}: {_safe_url(app)}")


@db.command("current")
def db_current() -> None:
    """Show the database's current revision."""
    migrate.current(_app().config["DATABASE_URL"])


@main.command("seed")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--synthetic",
    type=click.Choice(["germany", "quick"]),
    help="instead: a generated benchmark dataset (germany: >= 1,000,000 adoptions)",
)
@click.option("--seed", "seed_number", type=int, default=1, show_default=True)
@click.option(
    "--data",
    type=click.Path(file_okay=False, path_type=Path),
    help="folder with the GV100AD and OZG catalogue files [default: seed/official]",
)
@click.option("--no-data", is_flag=True, help="generate the tree and catalogue too")
@click.option(
    "--land",
    "lands",
    multiple=True,
    help="only the bodies of this Land (code 01-16, repeatable; every Land itself stays) "
    "[default: all of Germany]",
)
def seed_command(
    directory: Path | None,
    synthetic: str | None,
    seed_number: int,
    data: Path | None,
    no_data: bool,
    lands: tuple[str, ...],
) -> None:
    """Load all of Germany (GV100AD), the OZG catalogue with who executes each service per
    Land, the real solutions and the labelled demo scenario from seed/ (idempotent).

    With --synthetic, load a deterministic generated dataset into an empty database instead.
    """
    from registry.models.vocab import LAND_CODES

    unknown = [code for code in lands if code not in LAND_CODES]
    if unknown:
        raise click.BadParameter(
            f"{', '.join(unknown)}: a Land code is 01 to 16", param_hint="--land"
        )
    if synthetic:
        _synthetic(
            synthetic, seed_number, None if no_data else data or project_dir("seed") / "official"
        )
        return
    from registry.seed import seed

    with _unit_of_work() as work:
        report = seed(work.session, directory, lands=frozenset(lands) if lands else None)
        work.commit()
    for name, counts in report.items():
        figures = ", ".join(f"{count} {what}" for what, count in sorted(counts.items()))
        click.echo(f"{name}: {figures or 'nothing'}")


def _synthetic(profile: str, seed_number: int, data: Path | None) -> None:
    from registry.synthetic.build import build
    from registry.synthetic.profiles import PROFILES

    with _unit_of_work() as work:
        session = work.session
        loaded = build(session, PROFILES[profile], seed_number, data)
        work.commit()
        if session.get_bind().dialect.name == "postgresql":
            # After a bulk load: the visibility map, so that index-only scans stay index-only.
            with session.get_bind().connect() as connection:
                connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                    "VACUUM ANALYZE"
                )
    for source in loaded.sources:
        click.echo(source)
    for table, count in loaded.counts.items():
        click.echo(f"{table}: {count:,}")
    click.echo(
        f"{loaded.rows:,} rows in {loaded.seconds:.1f} s ({loaded.rows_per_second:,.0f} rows/s)"
    )


@contextmanager
def _unit_of_work() -> Iterator[UnitOfWork]:
    """The command's unit of work (trusted: the operator runs it), in an app context whose
    session records `cli` as the actor of its audit events; committed once, by the command."""
    with _app().app_context():
        g.actor = "cli"
        yield UnitOfWork.trusted_for(get_session())


@main.group()
def duties() -> None:
    """Who executes which service, per Land."""


@duties.command("summary")
@click.option("--land", "lands", multiple=True, help="Land code 01-16 (repeatable) [default: all]")
def duties_summary(lands: tuple[str, ...]) -> None:
    """Services per executing level in a Land, and what each kind of body is due for."""
    from registry.logic import responsibilities
    from registry.models.vocab import LAND_CODES

    unknown = [code for code in lands if code not in LAND_CODES]
    if unknown:
        raise click.BadParameter(
            f"{', '.join(unknown)}: a Land code is 01 to 16", param_hint="--land"
        )
    with _unit_of_work() as work:
        for code in lands or LAND_CODES:
            for line in responsibilities.lines(responsibilities.summary(work.session, code)):
                click.echo(line)
            click.echo("")


@main.group()
def tokens() -> None:
    """API tokens (stored only as hashes)."""


@tokens.command("create")
@click.option("--role", type=click.Choice(["admin", "editor"]), required=True)
@click.option("--org", "org_key", help="ARS or slug of the organisation (editors)")
@click.option("--name", help="a unique name; it appears as the actor in the audit trail")
def tokens_create(role: str, org_key: str | None, name: str | None) -> None:
    """Create a token and print its secret once."""
    from registry.logic import lookup
    from registry.logic import tokens as token_logic

    with _unit_of_work() as work:
        org = lookup.organisation(work.session, org_key, field="org") if org_key else None
        name = name or f"{role}-{org.key if org else 'registry'}-{secrets.token_hex(3)}"
        token, raw = token_logic.create(work.session, role=role, name=name, organisation=org)
        work.commit()
    click.echo(f"token '{token.name}' ({role}{', ' + org_key if org_key else ''}):")
    click.echo(raw)
    click.echo("Store it now: it is kept only as a hash and cannot be shown again.", err=True)


@tokens.command("list")
def tokens_list() -> None:
    """List tokens (names, roles, organisations; never secrets)."""
    from registry.logic import tokens as token_logic

    with _unit_of_work() as work:
        for token in token_logic.list_tokens(work.session):
            described = token_logic.describe(token)
            state = f"revoked {described['revoked_at']}" if token.revoked_at else "active"
            click.echo(f"{token.name}\t{token.role}\t{described['organisation'] or '-'}\t{state}")


@tokens.command("revoke")
@click.argument("name")
def tokens_revoke(name: str) -> None:
    """Revoke a token by name; it answers 401 from now on."""
    from registry.logic import tokens as token_logic

    with _unit_of_work() as work:
        token_logic.revoke(work.session, name)
        work.commit()
    click.echo(f"revoked '{name}'")


@main.group("import")
def import_group() -> None:
    """Import official data and bundles (each import is one transaction)."""


@import_group.command("gv100ad")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_gv100ad(file: Path) -> None:
    """Organisations from the Destatis Gemeindeverzeichnis (GV100AD fixed-width file)."""
    from registry.importers import gv100ad

    _finish(gv100ad.import_file, file)


@import_group.command("ozg-catalog")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
def import_ozg_catalog(directory: Path) -> None:
    """Services from the OZG catalogue CSV files (OZG-Leistungen, LeiKa mapping)."""
    from registry.importers import ozg_catalog

    _finish(ozg_catalog.import_dir, directory)


def _finish(run, *args):  # type: ignore[no-untyped-def]
    """Run an import in one transaction: commit it whole, or nothing when any was rejected."""
    with _unit_of_work() as work:
        report = run(work.session, *args)
        if report.rejected:
            work.rollback()
        else:
            work.commit()
    for line in report.lines():
        click.echo(line)
    if report.rejected:
        raise click.ClickException("nothing was imported: fix the rejected records first")
    return report


@import_group.command("dashboard")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="the export's date: confirmed_on of the evidence [default: today]",
)
def import_dashboard(file: Path, as_of) -> None:  # type: ignore[no-untyped-def]
    """Adoptions (and unknown-builder solutions) from an OZG-Dashboard export, CSV or XLSX."""
    from registry.importers import dashboard

    report = _finish(dashboard.import_file, file, as_of.date() if as_of else None)
    if not report.used:
        raise click.ClickException("nothing in the file could be used (see the skipped reasons)")


@import_group.command("bundle")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
def import_bundle(directory: Path) -> None:
    """Records from a bundle directory (the NDJSON files `registry export` writes)."""
    from registry.importers import bundle

    _finish(lambda session, d: bundle.import_records(session, bundle.read_dir(d)), directory)


@main.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def export_command(directory: Path) -> None:
    """Every entity as NDJSON (sorted by key) and as CSV for spreadsheets."""
    from registry.importers import bundle

    with _unit_of_work() as work:
        counts = bundle.export_dir(work.session, directory)
    for stem, count in counts.items():
        click.echo(f"{stem}: {count}")


@main.command("openapi")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="file to write (default: openapi/openapi.json)",
)
def openapi_command(out: Path | None) -> None:
    """Write the OpenAPI document the app serves to openapi/openapi.json."""
    out = out or project_dir("openapi") / "openapi.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(openapi_text(_app()), encoding="utf-8")
    click.echo(f"wrote {out}")


def openapi_text(app: Flask) -> str:
    with app.app_context():
        spec = app.extensions["flask-smorest"]["apis"][""]["ext_obj"].spec.to_dict()
    return json.dumps(spec, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option(
    "--workers", type=int, help="gunicorn worker processes [default: 1 on SQLite, else 2]"
)
def serve(host: str, port: int, workers: int | None) -> None:
    """Serve with gunicorn (threads per worker: 4); `gunicorn registry.wsgi:app` works too."""
    from registry.server import serve as run

    embedded = _app().config["DATABASE_URL"].startswith("sqlite")
    run(host, port, workers=workers or (1 if embedded else 2))


@main.command("up")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.pass_context
def up(ctx: click.Context, host: str, port: int) -> None:
    """Migrate, seed and serve: the one command for a first look."""
    ctx.invoke(db_upgrade)
    ctx.invoke(seed_command)
    click.echo(f"API docs: http://{host}:{port}/docs")
    ctx.invoke(serve, host=host, port=port)


def _safe_url(app: Flask) -> str:
    from sqlalchemy.engine import make_url

    return make_url(app.config["DATABASE_URL"]).render_as_string(hide_password=True)
