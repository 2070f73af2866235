"""Dependency-parse helpers shared by the event rules: argument scope, orphaned subjects,
reported-speech markers, the modality (negated, hypothetical, future) of a trigger, and the
tree walks that find a verb's patient, a relative pronoun's antecedent or a journey's verb.
All are pure functions of the parse and the lexicon."""

from __future__ import annotations

from spacy.tokens import Span, Token

from kg.extract.rules import Lexicon

# entity labels of titles whose words are no events ("the 2018 Compact"); not WORK_OF_ART or
# EVENT: the small model gives those to "the 2023 Niger coup d'etat" and named wars
TITLE_LABELS = {"LAW"}


def lemma(tok: Token, lex: Lexicon) -> str:
    """A token's lower-cased lemma, with the lemmatizer's known errors on verbs (the lexicon's
    lemma_fixes) mended."""
    low = tok.lemma_.lower()
    fix = lex.lemma_fixes.get(low)
    if fix is not None and tok.pos_ in {"VERB", "AUX"} and tok.lower_.startswith(fix[1]):
        return fix[0]
    return low


def is_source_attribution(tok: Token) -> bool:
    """Whether a token sits in an "according to X" phrase."""
    return any(a.lower_ == "according" for a in tok.ancestors)


def names(tok: Token, words: frozenset[str], lex: Lexicon) -> bool:
    """Whether a token is one of `words`, by lemma or form, or as "lemma particle" ("call on")."""
    lem = lemma(tok, lex)
    if lem in words or tok.lower_ in words:
        return True
    return any(f"{lem} {c.lower_}" in words for c in tok.children if c.dep_ in {"prt", "prep"})


def event_scope(tok: Token) -> list[Token]:
    """The trigger's phrase, plus for a noun that is a verb's subject or object the verb's
    prepositional phrases ("a coup has taken place in Niger", "sparked protests by people
    who gathered in Niamey")."""
    tokens = list(tok.subtree)
    node = tok
    while node.dep_ == "compound":
        node = node.head
    if node.pos_ in {"NOUN", "PROPN", "X"} and node.dep_ in {"nsubj", "nsubjpass", "dobj"}:
        tokens += [g for c in node.head.children if c.dep_ in {"prep", "agent"}
                  for g in c.subtree]
    return tokens


def purpose_clauses(tok: Token) -> list[Token]:
    """The "to ..." clauses of the verb a noun is the object of ("began a strike to demand X")."""
    node = tok
    while node.dep_ in {"compound", "conj"} and node.head.i != node.i:
        node = node.head
    if node.pos_ not in {"NOUN", "PROPN", "X"} or node.dep_ not in {"dobj", "nsubjpass"}:
        return []
    return [t for c in node.head.children if c.dep_ in {"advcl", "xcomp"} and any(
        a.dep_ == "aux" and a.lower_ == "to" for a in c.children) for t in c.subtree]


def experiencer(tok: Token) -> Token | None:
    """Who feels what a psych verb or adjective says ("Kenya is alarmed by ...")."""
    for node in (tok, tok.head) if tok.dep_ == "acomp" else (tok,):
        found = next((c for c in node.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if found is not None:
            return found
    return None


def possessor(tok: Token) -> Token | None:
    """A noun's possessor, also one a bare noun shares with the noun it is coordinated with ("his
    visits and talks with X": his talks too; but not "his visits and the talks", nor "their
    activities and human rights abuses", a phrase of its own)."""
    while True:
        own = next((c for c in tok.children if c.dep_ == "poss"), None)
        if own is not None or any(c.dep_ in {"det", "compound", "amod", "nmod", "nummod"}
                                  and c.i < tok.i for c in tok.children) or not (
                tok.dep_ == "conj" and tok.pos_ == tok.head.pos_ == "NOUN"):
            return own
        tok = tok.head


def has_prep(tok: Token, prep: str) -> bool:
    return any(c.dep_ == "prep" and c.lower_ == prep and any(g.dep_ == "pobj" for g in c.children)
               for c in tok.children)


def orphan_subject(verb: Token) -> Token | None:
    """The noun phrase just before a finite verb the parser gave no subject (it attached
    "Russia, Egypt and the UAE" to an earlier phrase): the first of its conjuncts."""
    for t in reversed(list(verb.sent)[: verb.i - verb.sent.start]):
        if t.pos_ in {"PUNCT", "CCONJ", "DET", "ADV"} or t.dep_ == "compound":
            continue
        if t.pos_ not in {"NOUN", "PROPN"}:
            return None
        while t.dep_ == "conj" and t.head.i < t.i:
            if is_source_attribution(t.head):
                return t  # the parser joined the actors to "according to officials"
            t = t.head
        if is_source_attribution(t) and t.dep_ != "appos":
            return None  # only the source of the report precedes the verb
        return t
    return None


def reported(tok: Token, lex: Lexicon) -> bool:
    """Whether a verb is reported in the past ("announced it would cut aid"), where "would"
    stands for the speaker's "will"."""
    node = tok
    while node.dep_ == "conj" and node.head.i != node.i:  # "would cut aid and would deny ..."
        node = node.head
    head = node.head
    return node.dep_ == "ccomp" and head.tag_ in {"VBD", "VBN"} and (
        lemma(head, lex) in lex.speech_verbs or lemma(head, lex) in lex.modality["future_heads"])


def modality_of(tok: Token, sent: Span, lex: Lexicon, ordered_by: Token | None = None
                ) -> tuple[str, bool]:
    """(asserted|negated|hypothetical, whether it is announced future action). `ordered_by` is an
    order verb above the trigger that reports it done rather than asked for."""
    mod = lex.modality
    if sent.text.rstrip().endswith("?"):
        return "hypothetical", False
    backshifted = reported(tok, lex)
    for c in tok.children:
        if c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no"):
            return "negated", False
        if c.dep_ in {"nsubj", "nsubjpass"} and any(  # "no French troops are in Mali"
                g.dep_ == "det" and g.lower_ == "no" for g in c.children):
            return "negated", False
        if c.dep_ == "aux" and c.lower_ in mod["hypothetical_aux"] and not (
                backshifted and c.lower_ == "would"):
            return "hypothetical", False
        if c.dep_ == "mark" and c.lower_ in mod["conditional_marks"]:
            return "hypothetical", False
        if c.dep_ == "amod" and c.lower_ in mod["hypothetical_adj"]:
            return "hypothetical", False
        if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "if" for m in c.children) \
                and not (names(tok, mod["request_heads"], lex) or lemma(tok, lex) in lex.speech_verbs):
            return "hypothetical", False  # "will withdraw if attacked" (but "threatened ... if")
    future = any(c.dep_ == "aux" and (c.lower_ in mod["future_aux"] or (
        backshifted and c.lower_ == "would")) for c in tok.children)
    node, steps = tok, 0
    while node.head.i != node.i and steps < 4 and node.dep_ in {
            "xcomp", "ccomp", "dobj", "pobj", "prep", "pcomp", "acl", "nsubjpass", "advcl"}:
        below, node, steps = node, node.head, steps + 1
        lem = lemma(node, lex)
        if any(c.dep_ == "neg" for c in node.children) and node.pos_ == "VERB":
            return "negated", False
        if lem in mod["refusal_heads"]:
            return "negated", False
        if node.pos_ in {"VERB", "AUX"} and any(
                c.dep_ == "aux" and c.lower_ in mod["hypothetical_aux"] for c in node.children):
            return "hypothetical", False  # "money that could be used to pay for a deployment"
        if node.pos_ in {"NOUN", "PROPN"} and any(
                c.dep_ == "det" and c.lower_ == "any" for c in node.children):
            return "hypothetical", False  # "any resumption of assistance"
        if node.pos_ in {"VERB", "AUX"} and lem not in mod["continuing_heads"] and any(
                c.dep_ == "aux" and c.lower_ in mod["future_aux"] for c in node.children):
            future = True  # "will join ministers to discuss" (but "will maintain aid" holds)
        # ("called for the forces to be withdrawn": the parser marks the clause with "for")
        asked = names(node, mod["request_heads"], lex) or any(
            f"{lem} {m.lower_}" in mod["request_heads"] for m in below.children if m.dep_ == "mark")
        if asked and not (ordered_by is not None and node.i == ordered_by.i):
            return "hypothetical", False
        # "announced it will withdraw" or "plans to withdraw" is future action, but "announced
        # that they have agreed" reports a past fact, and "went to Accra on a visit" a journey
        # ("going to" is future with its infinitive only)
        if lem in mod["future_heads"] and not (below.dep_ == "ccomp" and not any(
                c.dep_ == "aux" and (c.lower_ in mod["future_aux"] or c.lower_ == "would")
                for c in below.children)) and not (below.dep_ == "prep" and
                                                   lem in lex.travel_verbs):
            return "asserted", True
        if node.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in mod[
                "conditional_marks"] for c in node.children):
            return "hypothetical", False
    return "asserted", future


def announced(tok: Token, lex: Lexicon) -> bool:
    """Whether a measure is announced as taken: the object of a performative verb ("announced",
    not "will announce"), its reported "would" clause, or what it has decided to do ("has decided
    to cut relations")."""
    node = tok
    while node.dep_ == "conj" and node.head.i != node.i:
        node = node.head
    head = node.head
    if lemma(head, lex) not in lex.performative_verbs or any(
            c.dep_ == "aux" and (c.lower_ in lex.modality["future_aux"] or c.lower_ == "would")
            for c in head.children):
        return False
    return node.dep_ == "dobj" or (node.dep_ in {"ccomp", "xcomp"} and head.tag_ in {"VBD", "VBN"})


def preparing(tok: Token, lex: Lexicon) -> bool:
    """Whether the trigger is what its actor gets ready to do ("prepared to resume shelling")."""
    node = tok
    while node.dep_ in {"xcomp", "advcl", "prep", "pcomp", "pobj"} and node.head.i != node.i:
        node = node.head
        if lemma(node, lex) in lex.preparation_heads:
            return True
    return False


def ultimatum(tok: Token) -> bool:
    """Whether the trigger's clause is made conditional on the other side ("unless ...")."""
    clause = tok
    while clause.pos_ not in {"VERB", "AUX"} and clause.head.i != clause.i:
        clause = clause.head
    for node in (clause, *(a for a in clause.ancestors if a.pos_ in {"VERB", "AUX"})):
        for adv in (c for c in node.children if c.dep_ == "advcl"):
            if any(m.dep_ == "mark" and m.lower_ == "unless" for m in adv.children):
                return True
        if node.dep_ not in {"xcomp", "ccomp", "conj"}:
            break
    return False


def relative_antecedent(noun: Token) -> Token:
    """Who a relative clause's pronoun stands for: its head noun, or where that noun only
    places the subject among others, the subject ("X are among those (in the region) who ...",
    "X is one of the countries that ...")."""
    node = noun
    for _ in range(3):  # up through "those in the region" to "among those"
        prep = node.head
        if node.dep_ != "pobj" or prep.dep_ != "prep":
            break
        holder = prep.head
        if prep.lower_ == "of" and holder.lower_ == "one" and holder.dep_ == "attr":
            holder = holder.head  # "is one of the countries that ..."
        elif prep.lower_ != "among":
            node = holder  # "those in the region who ...": the region only places them
            continue
        if holder.lemma_ == "be":
            return next((c for c in holder.children if c.dep_ == "nsubj"), noun)
        break
    return noun


def in_a_name(tok: Token) -> bool:
    """Whether a word is part of a title rather than an event: inside a law's name ("the 2018
    Compact"), or a capitalised word modifying a name ("the Libya Sanctions List",
    "Operation Peace Spring")."""
    if tok.ent_type_ in TITLE_LABELS:
        return True
    return tok.i > tok.sent.start and tok.is_title and tok.dep_ == "compound" \
        and tok.head.pos_ == "PROPN" and tok.head.is_title


def journey_verb(tok: Token, lex: Lexicon) -> Token | None:
    """The verb of travelling whose purpose `tok` names ("arrived ... on a visit", "flew
    to Moscow for talks"), if any."""
    while tok.dep_ == "conj" and tok.head.i != tok.i:  # "for talks and a visit"
        tok = tok.head
    prep = tok.head
    if tok.dep_ == "pobj" and prep.dep_ == "prep" and prep.lower_ in lex.purpose_preps \
            and lemma(prep.head, lex) in lex.travel_verbs:
        return prep.head
    return None


def patient_token(tok: Token, lex: Lexicon) -> Token | None:
    """The token naming what a verb acts on (its object, or subject in the passive)."""
    if tok.pos_ in {"NOUN", "PROPN"}:
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                return next((g for g in c.children if g.dep_ == "pobj"), None)
        return None
    for c in tok.children:
        if c.dep_ in {"dobj", "nsubjpass", "attr", "oprd"} and \
                c.lower_ not in lex.relative_pronouns:
            return c
        if c.dep_ == "nsubjpass" and tok.dep_ == "relcl":
            return tok.head
    if tok.dep_ == "acl" and tok.tag_ == "VBN":
        return tok.head  # "troops stationed in Niger"
    return None


def coordinated_clauses(tok: Token, lex: Lexicon) -> set[int]:
    """Indices of the verb phrases that share the trigger's subject, but for the subject:
    "the junta expelled French troops and pursued closer ties to Russia" is no act on Russia.
    A clause with a subject of its own is left alone: "Niger asked the US to leave and the
    US agreed" (to Niger)."""
    def own_subject(verb: Token) -> bool:
        return any(c.dep_ in {"nsubj", "nsubjpass", "csubj", "expl"} for c in verb.children)

    out: set[int] = set()
    for c in tok.children:
        if c.dep_ == "conj" and c.pos_ in {"VERB", "AUX"} and not own_subject(c):
            out |= {t.i for t in c.subtree}
    if tok.dep_ == "conj" and tok.pos_ in {"VERB", "AUX"} and not own_subject(tok) \
            and tok.head.pos_ in {"VERB", "AUX"}:
        out.add(tok.head.i)
        for c in tok.head.children:
            if c.i != tok.i and c.dep_ not in lex.shared_clause_deps:
                out |= {t.i for t in c.subtree}
    return out


def speech_verb(tok: Token, lex: Lexicon) -> Token | None:
    """The verb of saying whose reported clause `tok` is in, if any."""
    node, steps = tok, 0
    while node.head.i != node.i and steps < 4:
        dep, node, steps = node.dep_, node.head, steps + 1
        if dep == "ccomp" and lemma(node, lex) in lex.speech_verbs:
            return node
    return None


def at_border(tok: Token | None, lex: Lexicon) -> bool:
    """Whether a target was found as the far side of a border ("the border with Mali", "the
    border of Kosovo", "the Kosovo border")."""
    if tok is None:
        return False
    if lemma(tok, lex) in lex.border_nouns:
        return True
    if tok.dep_ in {"compound", "amod", "nmod", "poss"} and lemma(tok.head, lex) in lex.border_nouns:
        return True
    head = tok.head if tok.dep_ == "pobj" and tok.head.lower_ in {"with", "of"} else None
    return head is not None and lemma(head.head, lex) in lex.border_nouns


def joining_verb(tok: Token, lex: Lexicon) -> Token | None:
    """The verb by which the agent joins others in the act `tok` ("joined X in condemning")."""
    prep = tok.head if tok.dep_ == "pcomp" else None
    if prep is None or prep.lower_ not in lex.joining_preps or \
            lemma(prep.head, lex) not in lex.joining_verbs:
        return None
    return prep.head


def _in_progress(node: Token, lex: Lexicon) -> bool:
    """Whether a word beside `node` says it is in progress ("the ongoing withdrawal", "is under
    way")."""
    words = lex.status["under_way_words"]
    for c in node.children:
        if c.dep_ in {"amod", "advmod", "acomp"} and c.lower_ in words:
            return True
        if c.dep_ == "prep" and any(f"{c.lower_} {g.lower_}" in words
                                    for g in c.children if g.dep_ == "pobj"):
            return True
    return False


def movement_stage(tok: Token, lex: Lexicon) -> str | None:
    """How far the words around a movement trigger say it has gone: "under-way" ("began
    withdrawing", "the beginning of the process of withdrawing", "the withdrawal is under way",
    "are withdrawing") or "completed" ("completed the withdrawal", "withdrew", "have been
    withdrawn"); None where they do not say.

    The nearest head that begins or completes it decides, climbing from the trigger through its
    complement, subject or object and through "of" phrases, not through other prepositions ("the
    coup began after the withdrawal" says nothing of the withdrawal); then the trigger's own
    tense and aspect."""
    heads, done = lex.status["under_way_heads"], lex.status["completion_heads"]
    node, check = tok, False
    for _ in range(6):
        if check and lemma(node, lex) in heads:
            return "under-way"
        if check and lemma(node, lex) in done:
            return "completed"
        if _in_progress(node, lex):
            return "under-way"
        head, check = node.head, True
        if head.i == node.i:
            break
        if node.dep_ in {"pobj", "pcomp"} and head.lower_ == "of" and head.head.i != head.i:
            node = head.head  # "the beginning of (the process of) withdrawing"
        elif node.dep_ in {"xcomp", "dobj", "nsubj", "nsubjpass", "compound"}:
            node = head
        elif node.dep_ == "conj":
            # "began withdrawing and repatriating": as the first conjunct; but the first
            # conjunct itself ("began talks and withdrew") is another act
            node, check = head, False
        else:
            break
    if tok.pos_ not in {"VERB", "AUX"}:
        return None
    aux = [c for c in tok.children if c.dep_ in {"aux", "auxpass"}]
    if any(a.lower_ == "being" for a in aux) or (
            tok.tag_ == "VBG" and any(a.lemma_ == "be" for a in aux)):
        return "under-way"  # "are withdrawing", "are being withdrawn"
    if tok.tag_ == "VBD" or (tok.tag_ == "VBN" and any(
            a.lemma_ == "have" or (a.dep_ == "auxpass" and a.tag_ == "VBD") for a in aux)):
        return "completed"  # "withdrew", "have left", "were withdrawn"
    return None
