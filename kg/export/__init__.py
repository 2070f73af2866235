"""Exports of the graph: the interactive HTML page and the drawable view it is built from."""
