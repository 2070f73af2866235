"""kg: turn news articles about regional security into one provenance-rich knowledge graph."""

__version__ = "0.1.0"
