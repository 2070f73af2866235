"""Shared fixtures: the seed article, a click runner, and a store holding the ingested seed.

Parsing with spaCy is the slow part, so the seed is ingested once per session and the tests that
only read the store share it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import api

SEED = (Path(__file__).parent.parent / "examples" / "articles"
        / "niger-us-withdrawal-russian-instructors.md")


@pytest.fixture(scope="session")
def seed_path() -> Path:
    """The seed article of examples/articles."""
    assert SEED.is_file(), SEED
    return SEED


@pytest.fixture
def runner() -> CliRunner:
    """A click runner; with click 8.2+ result.stdout and result.stderr are kept apart."""
    return CliRunner()


@pytest.fixture(scope="session")
def ingested_store(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> Path:
    """A store directory holding the seed article, ingested with kg.api.ingest (read it only)."""
    path = tmp_path_factory.mktemp("seed-store") / "kg-data"
    report = api.ingest([str(seed_path)], str(path))
    assert report.articles == 1 and not report.errors, report.errors
    return path
