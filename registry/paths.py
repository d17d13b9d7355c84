"""Where the project's own folders (migrations/, seed/, openapi/) are on this machine."""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def project_dir(name: str) -> Path:
    """REGISTRY_<NAME>_DIR, else beside the package (a checkout), else the working directory."""
    override = os.environ.get(f"REGISTRY_{name.upper()}_DIR")
    if override:
        return Path(override)
    beside = PROJECT_ROOT / name
    return beside if beside.is_dir() else Path.cwd() / name
