"""EfA service-sharing registry."""

from registry.app import create_app

__all__ = ["create_app"]
