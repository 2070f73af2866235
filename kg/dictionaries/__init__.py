"""Importers that turn external actor dictionaries into kg gazetteer files."""
