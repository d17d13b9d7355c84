"""An integrator's view: a client generated from the committed spec, against a live server."""

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from registry.paths import project_dir
from tests.conftest import seeded_server

SPEC = project_dir("openapi") / "openapi.json"


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """Build the client in a fresh folder with openapi-python-client, as an integrator would."""
    folder = tmp_path_factory.mktemp("client")
    tool = Path(sys.executable).parent / "openapi-python-client"
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(
        [
            str(tool),
            "generate",
            "--path",
            str(SPEC),
            "--meta",
            "none",
            "--output-path",
            str(folder / "efa_client"),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "will not be generated" not in result.stdout + result.stderr
    sys.path.insert(0, str(folder))
    yield importlib.import_module("efa_client")
    sys.path.remove(str(folder))


@pytest.fixture
def live_server(backend, tmp_path):
    with seeded_server(backend, tmp_path, "integrator", frozenset({"05"})) as live:
        yield live


def test_generated_client_lists_reads_gaps_and_creates_an_adoption(generated, live_server):
    base_url, token = live_server
    client_mod = importlib.import_module("efa_client.client")
    models = importlib.import_module("efa_client.models")
    organisations = importlib.import_module("efa_client.api.organisations.get_api_v1_organisations")
    gaps = importlib.import_module("efa_client.api.analysis.get_api_v1_organisations_org_gaps")
    create = importlib.import_module("efa_client.api.adoptions.post_api_v1_adoptions")

    anonymous = client_mod.Client(base_url=base_url)
    land = models.GetApiV1OrganisationsLand("05")
    kind = models.GetApiV1OrganisationsKind("kreisfreie_stadt")
    page = organisations.sync(client=anonymous, land=land, kind=kind, page_size=100)
    assert page.pagination.total_items == 22  # NRW's kreisfreie Städte
    assert "Bochum" in {o.name for o in page.items}

    bochum_gaps = gaps.sync(org="059110000000", client=anonymous)
    assert bochum_gaps.organisation.name == "Bochum"
    assert bochum_gaps.due > bochum_gaps.offered >= 1
    assert all(g.service.ozg_id for g in bochum_gaps.gaps)

    admin = client_mod.AuthenticatedClient(base_url=base_url, token=token)
    body = models.Adoption(
        organisation="051170000000",
        solution="elfe",
        status=models.AdoptionStatus.CONTRACTED,
        provenance=models.AdoptionProvenance.SELF_DECLARED,
    )
    created = create.sync_detailed(client=admin, body=body)
    assert created.status_code == 201, created.content
    assert created.parsed.organisation_name == "Mülheim an der Ruhr"
    refused = create.sync_detailed(
        client=anonymous_as_authenticated(client_mod, base_url), body=body
    )
    assert refused.status_code == 401


def anonymous_as_authenticated(client_mod, base_url):
    return client_mod.AuthenticatedClient(base_url=base_url, token="efa_not-a-token")
