"""Importers that turn external coding dictionaries into kg's generated rule data."""
