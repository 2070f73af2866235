"""A spaCy component that starts a new sentence after a line break.

Headlines, bylines and list items rarely end with a full stop; without this the parser glues them
to the next paragraph's first sentence.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.component("kg_newline_sentences")
def newline_sentences(doc: Doc) -> Doc:
    """Mark the token after any whitespace token holding a newline as a sentence start."""
    for tok in doc[:-1]:
        if "\n" in tok.text and tok.is_space or "\n" in tok.whitespace_:
            doc[tok.i + 1].is_sent_start = True
    return doc
