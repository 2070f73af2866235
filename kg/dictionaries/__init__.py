"""Importers that turn the field's external dictionaries (PETRARCH2's CAMEO verb patterns and the
Phoenix actor dictionaries) into kg's generated rule and gazetteer data."""
