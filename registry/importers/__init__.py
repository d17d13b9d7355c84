"""Imports from official sources and bundles; each one transaction, with a report."""
