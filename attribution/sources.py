"""Attributions inside one sentence: the cue, its source, and whether the source is named.

Works on a spaCy sentence (dependency parse and entities) and the quotation ranges of the
article. The source is the subject of a cue verb (climbing through participles such as
"..., calling it ..."), the agent of a passive cue, or the object of "according to". A
relative pronoun subject is the source itself ("who" in "Mr. Kamin, who emphasized ..."),
named or not as the phrase it stands for, and a relative clause that attributes is no part
of the phrase it follows, as PolNeAR marks them (562 of the 568 train sources ending in
"who", "which" or "that" are the bare pronoun; 1 of 18,359 sources holds another cue). A cue
inside a quotation belongs to the quoted speaker's words and is not an attribution of the
sentence. Passive attribution with no agent ("he is accused of", "it is believed") is not an
attribution (docs/ANNOTATION.md: editorial). A first-person source outside quotation marks is the
author's own voice. Named vs anonymous follows docs/ANNOTATION.md section 2; pronouns are left for
``resolve.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from . import lexicon as lx
from .document import Attribution, Category, Evidence, Pronoun, Span
from .parse import doc_text, span_ents
from .spans import phrase_tokens, trim_source

_PERSON_ENTS = frozenset({"PERSON"})
_ORG_ENTS = frozenset({"ORG", "GPE", "FAC", "WORK_OF_ART", "PRODUCT", "LAW", "EVENT"})
_SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
_CLIMB_DEPS = frozenset({"advcl", "xcomp", "conj", "pcomp", "acl"})
_CLAUSE_DEPS = frozenset({"ccomp", "parataxis"})
# Prepositions that say whose a report is ("reports by Reuters", "from the ministry", "in
# the Guardian"); others give its topic or time ("reports on Saturday", "of gunfire").
_OWNING_PREPOSITIONS = frozenset({"by", "from", "in"})
_PERSON, _GROUP, _THING = Category.PERSON, Category.GROUP, Category.THING
_ANY_KIND = frozenset(Category)


@dataclass
class Mention:
    """A person, group or organisation mention that a later pronoun may refer to."""

    span: tuple[int, int]
    category: Category
    named: bool
    subject: bool
    bare_name: bool = False
    gender: str | None = None  # "m" or "f" where a title or role noun says (gender_of)
    pronoun: bool = False  # a he/she subject: no antecedent itself, but it tells a gender


def is_bare_name(head: Token) -> bool:
    """A proper name with no article ("Rubio", not "the Pentagon"), not a place or nationality:
    the small model sometimes tags such a surname as an organisation."""
    return (
        head.pos_ == "PROPN"
        and head.ent_type_ not in ("GPE", "NORP", "LOC")
        and not any(c.dep_ == "det" for c in head.children)
    )


def _depth(token: Token) -> int:
    depth = 0
    while token.head.i != token.i and depth < 50:
        token = token.head
        depth += 1
    return depth


def _in_ranges(pos: int, ranges: Sequence[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in ranges)


def relative_antecedent(token: Token) -> Token | None:
    """The noun a relative pronoun subject stands for ("Mr. Kamin" for the "who" of "Mr.
    Kamin, who emphasized ..."), or None where the token is no such pronoun."""
    clause = token.head
    if (token.tag_ in ("WP", "WDT") and token.dep_ in _SUBJECT_DEPS
            and clause.dep_ == "relcl" and clause.head.i != clause.i):
        return clause.head
    return None


def antecedent_range(pronoun: Token) -> tuple[int, int] | None:
    """Character range of the phrase a relative pronoun subject stands for, or None."""
    antecedent = relative_antecedent(pronoun)
    return None if antecedent is None else _phrase(antecedent, stop=pronoun)


def _phrase(token: Token, stop: Token | None = None, cut: Sequence[Token] = ()) -> tuple[int, int]:
    """Character range of the token's subtree, trimmed of edge punctuation, short of ``stop``
    and without the subtrees of ``cut``."""
    idx = {t.i for t in token.subtree}
    if stop is not None and token.i < stop.i:
        idx = {i for i in idx if i < stop.i}
    for clause in cut:
        idx -= {t.i for t in clause.subtree}
    # Keep a contiguous run around the head token.
    lo = hi = token.i
    while lo - 1 in idx:
        lo -= 1
    while hi + 1 in idx:
        hi += 1
    doc = token.doc
    while lo < hi and (doc[lo].is_punct or doc[lo].dep_ == "cc" or doc[lo].is_space):
        lo += 1
    while hi > lo and (doc[hi].is_punct or doc[hi].is_space) and doc[hi].text not in ")”’\"'":
        hi -= 1
    return doc[lo].idx, doc[hi].idx + len(doc[hi].text)


def _object_phrase(sent: SpacySpan, cue: tuple[int, int], obj: Token) -> tuple[int, int]:
    """The object phrase of a prepositional cue ("according to X"), short of the content
    when the cue opens the sentence: where the parser hung the whole rest of the sentence on
    the object ("According to Rush Limbaugh, the move reeks of fear", "reeks" read as a
    noun), or the clause's subject ("According to the researchers, sacrifice and
    mummification ... was common", the subject read as a list with the object), the phrase
    ends at the first comma after the object's head."""
    start, end = _phrase(obj)
    words = [t for t in sent if not t.is_punct and not t.is_space]
    after = next((t for t in words if t.idx >= end), None)
    if words and cue[0] == words[0].idx and (
            after is None or after.pos_ in ("VERB", "AUX")):
        comma = next((t for t in sent if t.i > obj.i and t.text == ","), None)
        if comma is not None and comma.idx < end:
            end = _phrase(obj, stop=comma)[1]
    return start, end


def _cue_range(verb: Token, particle: Token | None = None) -> tuple[int, int]:
    """The cue verb, with auxiliaries just before it ("has said") and a particle ("point to")."""
    doc = verb.doc
    lo = verb.i
    while lo - 1 >= 0 and doc[lo - 1].head.i == verb.i and doc[lo - 1].dep_ in ("aux", "neg"):
        lo -= 1
    end_tok = particle if particle is not None and particle.i > verb.i else verb
    after = doc[end_tok.i + 1] if end_tok.i + 1 < len(doc) else None
    if after is not None and after.text == ":":  # "said:", as PolNeAR marks it
        end_tok = after
    return doc[lo].idx, end_tok.idx + len(end_tok.text)


def _subject(verb: Token, quotes: Sequence[tuple[int, int]] = ()) -> tuple[Token | None, bool]:
    """The source token of a cue verb and whether the cue is an agentless passive.

    A subject inside a quotation is part of the quoted words ("Three," said the coach) and is
    passed over. A gerund after a preposition ("left after saying") takes the subject of the
    verb the preposition hangs from, never that verb's agent.
    """
    v = verb
    through_prep = False  # an agent of the verb a gerund hangs from is not who spoke
    for step in range(5):
        agent = [] if through_prep else [c for c in v.children if c.dep_ == "agent"]
        if agent:
            objs = [c for c in agent[0].children if c.dep_ == "pobj"]
            return (objs[0] if objs else None), False
        subjects = [
            c for c in v.children if c.dep_ in _SUBJECT_DEPS and not _in_ranges(c.idx, quotes)
        ]
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in v.children)
        if step == 0 and passive:
            return None, True
        if subjects:
            return _named_subject(subjects), False
        if v.dep_ == "relcl" and v.head.pos_ in ("NOUN", "PROPN", "PRON"):
            # "any reason to think that": an infinitive's noun need not be who thinks;
            # "the first person to say" and "the ministry to announce" are.
            infinitive = any(c.dep_ == "aux" and c.tag_ == "TO" for c in v.children)
            if infinitive and v.head.pos_ == "NOUN" and v.head.lemma_.lower() not in (
                    lx.ANONYMOUS_NOUNS | lx.INSTITUTION_NOUNS):
                return None, False
            return v.head, False
        if _finite_on_subject(v):
            return v.head, False
        issued = _issued_object(v)
        if issued is not None:
            v = issued
            continue
        if v.dep_ in _CLIMB_DEPS and v.head.i != v.i:
            v = v.head
            if v.dep_ == "prep" and v.head.pos_ in ("VERB", "AUX") and v.head.i != v.i:
                v = v.head  # "left the room after saying that ...": the verb's subject
                through_prep = True
            continue
        break
    return None, False


def _finite_on_subject(verb: Token) -> bool:
    """Whether the parser hung a finite verb on its own subject as a modifier, with the verb's
    content as the sentence's root: "The city's security chief, Abdullah al-Jahafi,
    announced on Tuesday there were suspects in custody" (the root is "were")."""
    noun, root = verb.head, verb.head.head
    return (verb.dep_ == "acl" and verb.tag_ in ("VBD", "VBN")
            and noun.pos_ in ("NOUN", "PROPN") and noun.dep_ in ("nsubj", "nsubjpass")
            and noun.i < verb.i < root.i and root.pos_ in ("VERB", "AUX")
            # the root has a subject of its own: the noun cannot be it ("there were")
            and any(c.dep_ in ("expl", "nsubj", "nsubjpass") and c.i != noun.i
                    for c in root.children)
            and not any(c.dep_ in _SUBJECT_DEPS for c in verb.children))


def _issued_object(verb: Token) -> Token | None:
    """The verb that put out what a participle of speech hangs on ("issued a statement
    saying", "sent a letter urging"; lexicon.ISSUING_VERBS): its subject is the speaker.
    None where the participle hangs elsewhere."""
    noun = verb.head
    if verb.dep_ != "acl" or verb.tag_ != "VBG" or noun.dep_ != "dobj":
        return None
    issuer = noun.head
    return issuer if issuer.lemma_.lower() in lx.ISSUING_VERBS and issuer.i < verb.i else None


def _named_subject(subjects: Sequence[Token]) -> Token:
    """The first subject, or the name after it where the parser split a title from its name
    into two subjects ("Conservative Party leader and Prime Minister Boris Johnson said",
    "The Labour Party's leader, Jeremy Corbyn announced"): the name is who spoke."""
    first = subjects[0]
    name = next((s for s in subjects[1:] if s.pos_ == "PROPN" and s.i > first.i), None)
    if first.pos_ == "NOUN" and name is not None and all(
            t.is_punct or t.dep_ in ("cc", "compound", "poss", "case", "det", "amod")
            or t.pos_ == "PROPN" for t in first.doc[first.i + 1:name.i]):
        return name
    return first


def _anonymity_marked(sent_text: str, source_text: str) -> bool:
    """The source phrase is vague ("familiar with") or the sentence withholds the identity."""
    low_src = source_text.lower()
    if any(m in low_src for m in lx.VAGUE_SOURCE_MARKERS + lx.WITHHELD_IDENTITY_MARKERS):
        return True
    low = sent_text.lower()
    return any(m in low for m in lx.WITHHELD_IDENTITY_MARKERS)


def _has_named_apposition(head: Token) -> bool:
    """Whether a name stands in apposition with a common noun, directly ("a source, John Roe")
    or through a title in apposition ("news source Daily Xtra's editorial director, Rachel
    Giese")."""
    for child in head.children:
        if (
            child.dep_ in ("appos", "compound", "npadvmod")
            and child.pos_ == "PROPN"
            and (child.ent_type_ in _PERSON_ENTS or child.i > head.i)
        ):
            return True
        if child.dep_ == "appos" and child.pos_ == "NOUN" and _has_named_apposition(child):
            return True
    return False


def gender_of(head: Token) -> str | None:
    """"m" or "f" where the phrase headed by ``head`` says which: a title or role noun in it
    ("Mr. Smith", "his wife"), or one it stands in apposition with ("Mr. Smith's wife,
    Anna"); None where nothing does."""
    words = [t for t in head.subtree if t.i <= head.i and t.i >= head.left_edge.i]
    near = [head.head] if head.dep_ == "appos" else []
    near += [c for c in head.children if c.dep_ == "appos"]
    for token in [*words, *near]:
        found = lx.WORD_GENDER.get(token.lower_) or lx.WORD_GENDER.get(token.lemma_.lower())
        if found:
            return found
    return None


def is_acronym(token: Token) -> bool:
    """An organisation's initials ("WHO", "NATO", "UNICEF"): two or more capitals in a
    sentence that is not itself in capitals (an all-caps headline's "WE" stays a pronoun)."""
    word = token.text
    if len(word) < 2 or not word.isalpha() or not word.isupper():
        return False
    letters = [ch for ch in token.sent.text if ch.isalpha()]
    return sum(ch.isupper() for ch in letters) < 0.5 * len(letters)


def no_source(head: Token) -> bool:
    """Whether a subject is nobody's voice (lexicon.NON_SOURCE_SUBJECTS): "Nobody who has read
    the figures believes that", "No one disputes", "History shows that ..." are the writer's
    own argument; a name ("History", a channel) is not read so."""
    low = head.lower_
    if low == "one":
        return any(c.dep_ == "det" and c.lower_ == "no" for c in head.children)
    return low in lx.NON_SOURCE_SUBJECTS and not head.ent_type_


Reading = tuple[bool | None, Pronoun | None, Category]  # (named, pronoun, category)


def classify_phrase(parsed: SpacySpan, offset: int, start: int, end: int) -> Reading | None:
    """``classify_source`` for the phrase at text offsets [start, end) of a parsed sentence
    whose document begins at text offset ``offset``; None where the phrase is not in it."""
    span = phrase_tokens(parsed, offset, start, end)
    if span is None:
        return None
    # The sentence's own words say whether it withholds a name, not the paragraphs parsed
    # with it ("told off the record" in one sentence leaves the next one's source named).
    return classify_source(_phrase_head(span), span.start_char, span.end_char, parsed.text)


def _phrase_head(span: SpacySpan) -> Token:
    """The word a source phrase is read by: its root, or, where the parser split a title
    from its name into two subjects ("Conservative Party leader and Prime Minister Boris
    Johnson", "The Labour Party's leader, Jeremy Corbyn"), the person's name among its
    heads, as ``_named_subject`` reads the rules' own sources."""
    heads = [t for t in span if t.head.i < span.start or t.head.i >= span.end or t.head == t]
    if len(heads) > 1:
        name = next((t for t in heads if t.ent_type_ in _PERSON_ENTS), None)
        if name is not None:
            return name
    return span.root


def named_in_context(reading: Reading, kind: str | None,
                     earlier: list[tuple[bool, Category]],
                     fallback: Callable[[], bool]) -> bool:
    """Whether a source is named (docs/ANNOTATION.md section 2), the one reading of named-ness
    that labels and the PolNeAR gold share (docs/gold_labels.md). A phrase is as
    ``classify_source`` read it, and joins ``earlier``, the (named, category) of the sources
    read so far; a pronoun of ``kind`` takes the named-ness of the latest earlier source of a
    kind it may refer to, else ``fallback()``."""
    named, pronoun, category = reading
    if pronoun is None and named is not None:
        earlier.append((named, category))
        return named
    wanted = lx.ANTECEDENT_KINDS.get(kind or "", _ANY_KIND)
    fits = [n for n, c in earlier if c in wanted]
    return fits[-1] if fits else bool(fallback())


_PRONOUN_READINGS: dict[frozenset[str], Reading] = {
    lx.PERSON_PRONOUNS: (None, Pronoun.PERSON, Category.PERSON),
    lx.GROUP_PRONOUNS: (None, Pronoun.GROUP, Category.GROUP),
    lx.THING_PRONOUNS: (None, Pronoun.THING, Category.THING),
    lx.SPEAKER_PRONOUNS: (None, Pronoun.SPEAKER, Category.PERSON),
}


def _settled_by_form(head: Token) -> Reading | None:
    """The reading of a source that its form settles before anything else: an
    organisation's initials ("WHO says") and a person noun joined to a name ("Economist and
    professor Jane Roe") are named; a pronoun is read as its antecedent later."""
    if is_acronym(head) or _acronym_document(head):
        return True, None, Category.THING
    if head.pos_ == "NOUN" and any(c.dep_ == "conj" and c.ent_type_ in _PERSON_ENTS
                                   for c in head.children):
        return True, None, Category.PERSON
    return next((reading for words, reading in _PRONOUN_READINGS.items()
                 if head.lower_ in words), None)


def may_be_surname(word: str) -> bool:
    """Whether a one-word source could be a person's surname the tagger missed ("Fallows
    remarked", "Woods said"): capitalised, a word, and no noun of the source lexicons."""
    low = word.lower()
    return (word[:1].isupper() and word.isalpha() and len(word) > 1
            and low not in lx.ANONYMOUS_NOUNS and low not in lx.INSTITUTION_NOUNS
            and low not in lx.DOCUMENT_NOUNS)


def surname_of(name: str) -> str | None:
    """The last word of a person's name of two words or more, which a later mention may use
    alone; None for a one-word name."""
    words = name.split()
    return words[-1] if len(words) > 1 else None


def _acronym_document(head: Token) -> bool:
    """An organisation's document whose initials the tagger read as a wh-word ("the official
    WHO report", parsed as "the official who report"): named, as its owner is."""
    doc = head.doc
    return any(t.tag_ in ("WP", "WDT") and is_acronym(t) and t.i + 1 < len(doc)
               and doc[t.i + 1].lower_ in lx.DOCUMENT_NOUNS for t in head.subtree)


def _office_of(head: Token) -> bool:
    """A role noun owned by an organisation or a place, with no indefinite word: one office
    the text identifies, speaking for it ("Ryanair's chief executive", "the party's leader",
    as "the ministry's spokesperson"); "a Ryanair executive", "his agent" and "Trump's
    lawyer" identify nobody."""
    if _determiners(head) & lx.INDEFINITE_DETERMINERS:
        return False
    owner = next((c for c in head.children if c.dep_ == "poss"), None)
    if owner is None or owner.pos_ == "PRON" or owner.ent_type_ in _PERSON_ENTS:
        return False
    return (owner.ent_type_ in ("ORG", "GPE", "NORP")
            or owner.lemma_.lower() in lx.INSTITUTION_NOUNS)


def _determiners(head: Token) -> set[str]:
    return {c.lower_ for c in head.children if c.dep_ in ("det", "nummod", "quantmod")}


def _unowned_reports(head: Token, lemma: str, plural: bool) -> bool:
    """A bare plural of reports, accounts or outlets that says nobody's ("according to reports",
    "media reports say", "local media reported"): no determiner, owner, "by ..." or "from ..."
    and no modifier that names whose ("police reports", "official accounts", "state media")."""
    if not plural or (lemma not in lx.UNOWNED_SOURCE_NOUNS
                      and head.lower_ not in lx.UNOWNED_SOURCE_NOUNS):
        return False
    return all(c.dep_ not in ("det", "poss", "prep", "nummod", "compound", "amod", "nmod")
               or c.lower_ in lx.UNOWNING_MODIFIERS
               or (c.dep_ == "prep" and c.lower_ not in _OWNING_PREPOSITIONS)
               for c in head.children)


def _of_people(head: Token) -> bool:
    """A collective noun with the people it is made of after "of" ("the group of protesters",
    "a team of scientists"): its members are not named by it."""
    return any(c.dep_ == "prep" and c.lower_ == "of" and any(
        o.dep_ == "pobj" and (o.tag_ in ("NNS", "NNPS") or o.lemma_.lower() in lx.ANONYMOUS_NOUNS)
        and not o.ent_type_ for o in c.children) for c in head.children)


def _agent_plural(head: Token) -> bool:
    """A bare plural of people by what they study or hold ("Egyptologists have reported",
    "Islamists say") that the tagger took for a one-word organisation: a vague group."""
    return (head.tag_ in ("NNS", "NNPS") and head.lower_.endswith(lx.AGENT_PLURAL_ENDINGS)
            and not head.is_upper and not any(c.dep_ in ("det", "poss", "compound")
                                              for c in head.children))


def classify_source(head: Token, start: int, end: int, sent_text: str) -> Reading:
    """Named-ness, pronoun type and category of the source phrase headed by ``head``.

    Returns ``(named, pronoun, category)``. ``named`` is None for a pronoun.
    """
    antecedent = relative_antecedent(head)
    if antecedent is not None:  # "who" is named or not as the phrase it stands for
        return classify_source(antecedent, *_phrase(antecedent, stop=head), sent_text)
    source_text = doc_text(head.doc)[start:end]
    low = head.lower_
    plural = head.tag_ in ("NNS", "NNPS") or low in ("they", "them", "many", "some", "others")
    settled = _settled_by_form(head)
    marked = _anonymity_marked(sent_text, source_text)
    # Initials name an organisation unless the sentence withholds who spoke ("PAP reported
    # being told off the record").
    if settled is not None and not (settled[0] and marked):
        return settled
    if marked:
        return False, None, _GROUP if plural else _PERSON
    lemma = head.lemma_.lower()
    vague = lemma in lx.ANONYMOUS_NOUNS or low in lx.ANONYMOUS_NOUNS
    # A common noun the entity recogniser took for a name ("Scholars have long debated")
    # stays the vague group it names.
    misread = (head.pos_ == "NOUN" and vague) or _agent_plural(head)
    if (head.pos_ == "PROPN" or head.ent_type_) and not misread:
        if head.ent_type_ in _PERSON_ENTS:
            return True, None, Category.PERSON  # also "Steve Peers said", tagged as a plural
        if head.ent_type_ == "NORP" or (head.tag_ == "NNPS" and head.ent_type_ not in _ORG_ENTS):
            return False, None, Category.GROUP  # "Democrats said", "Venezuelans say": a vague group
        if head.ent_type_ in _ORG_ENTS or head.ent_type_ == "NORP":
            return True, None, _GROUP if plural else _THING
        if head.pos_ == "PROPN":
            return True, None, Category.PERSON
    if vague:
        if _has_named_apposition(head) or (not plural and _office_of(head)):
            return True, None, Category.PERSON
        return False, None, _GROUP if plural else _PERSON
    # an indefinite word, or a bare plural with no owner, leaves a phrase unidentified
    dets = _determiners(head)
    has_poss = any(c.dep_ == "poss" for c in head.children)
    unidentified = bool(dets & lx.INDEFINITE_DETERMINERS) or (plural and not dets and not has_poss)
    if _unowned_reports(head, lemma, plural) or (
            lemma in lx.COLLECTIVE_NOUNS and (unidentified or _of_people(head))):
        return False, None, _GROUP
    if lemma in lx.INSTITUTION_NOUNS or lemma in lx.DOCUMENT_NOUNS:
        return True, None, _GROUP if plural else _THING
    if head.pos_ in ("NUM", "DET", "PRON") or low in lx.INDEFINITE_DETERMINERS:
        return False, None, _GROUP if plural else _PERSON
    if unidentified:
        return False, None, _GROUP if plural else _PERSON
    return True, None, _GROUP if plural else _THING


def action_cue(tokens: Iterable[Token]) -> bool:
    """Whether a cue phrase is a verb of action or desire ("has steadfastly refused", "voted
    against", "wants"): its first verb that is not an auxiliary is in lexicon.ACTION_CUES and
    no word of it speaks, thinks or writes ("sent a letter urging", "tried to make the case").
    Such a cue makes no attribution under docs/ANNOTATION.md."""
    tokens = [t for t in tokens if t.is_alpha]
    lemmas = [t.lemma_.lower() for t in tokens]
    verb = next((t.lemma_.lower() for t in tokens if t.pos_ == "VERB"), None)
    head = verb or next(iter(lemmas), "")
    return head in lx.ACTION_CUES and not any(
        w in lx.ANY_FRAME_CUES or w in lx.SPEECH_NOUNS for w in lemmas)


def _cue_verbs(tokens: Iterable[Token]) -> list[Token]:
    """The verbs of a cue phrase that are cue verbs."""
    return [t for t in tokens if t.pos_ in ("VERB", "AUX") and t.lemma_.lower() in lx.CUE_VERBS]


def unframed_cue(tokens: Iterable[Token], quoted: bool = False) -> bool:
    """Whether a cue phrase is no attribution in its sentence: a verb of action or desire
    (``action_cue``), a verb of consent, proposal or request without a clause or a gerund
    ("proposed legislation", "agreed to support", "asked the Queen for a prorogation"), or a
    negated cue with no clause but a question (``_unsaid``), or one under a modal of possibility
    or obligation (``_hypothetical``). ``quoted``: the sentence holds a
    quotation, which a speech verb frames ("“Why?” Graham asked")."""
    tokens = list(tokens)
    if action_cue(tokens) or _unquoted_speech_act(tokens):
        return True
    verbs = _cue_verbs(tokens)
    return bool(verbs) and all(
        _verb_cue(t, quoted) is None and (
            t.lemma_.lower() in lx.FRAME_CHECKED_CUES or _unsaid(t) or _hypothetical(t))
        for t in verbs)


def _unquoted_speech_act(tokens: Sequence[Token]) -> bool:
    """A cue that is an act done in words reporting no claim (lexicon.SPEECH_ACT_CUES:
    "thanked voters in a speech", "congratulated his rival"), in a sentence that quotes none
    of the words: any quotation mark in its parse counts, also one whose quotation the rules
    set aside for want of a speaker, which ``unframed_cue``'s ``quoted`` leaves out."""
    verb = next((t for t in tokens if t.pos_ == "VERB"), None)
    return (verb is not None and verb.lemma_.lower() in lx.SPEECH_ACT_CUES
            and not any(t.is_quote or t.text in "“”" for t in verb.sent))


def thing_object_cue(tokens: Iterable[Token], quoted: bool = False) -> bool:
    """Whether every cue verb of a cue phrase is one whose object is often an act or a thing
    (lexicon.ACT_OBJECT_CUES) and governs only a noun object that is no statement: "The
    driver claimed the title", "Higher prices explain the gap", "rejects the prime
    minister's resignation"; "rejected the claim", "explained his reasoning" still report
    (lexicon.CONTENT_NOUNS)."""
    verbs = _cue_verbs(tokens)

    def acting(verb: Token) -> bool:
        objects = [c for c in verb.children if c.dep_ == "dobj"]
        return (verb.lemma_.lower() in lx.ACT_OBJECT_CUES and _verb_cue(verb, quoted) is None
                and bool(objects) and all(o.pos_ == "NOUN" for o in objects)
                # an object past a comma is a misparse of content ("saying, if elected, she
                # would put new guidelines in place")
                and not any(t.is_punct for o in objects
                            for t in verb.doc[min(verb.i, o.i):max(verb.i, o.i)])
                and not any(c.dep_ in _CLAUSE_DEPS or c.dep_ in ("xcomp", "dative")
                            for c in verb.children))

    return bool(verbs) and all(acting(t) for t in verbs)


def unsaid_cue(tokens: Iterable[Token]) -> bool:
    """Whether every cue verb of a cue phrase says nothing: negated with no clause but a
    question ("would not say whether") or under a modal of possibility or obligation ("one
    could argue that"); its subject reports nothing."""
    verbs = _cue_verbs(tokens)
    return bool(verbs) and all(_unsaid(t) or _hypothetical(t) for t in verbs)


def _hypothetical(verb: Token) -> bool:
    """A cue under a modal of possibility or obligation says what someone could or should say,
    not what they said ("It could ask the county to share the cost", "critics might argue
    that"); "would" stays a report ("she would later say that")."""
    return any(c.dep_ == "aux" and c.lower_ in lx.HYPOTHETICAL_MODALS for c in verb.children)


def _unsaid(verb: Token) -> bool:
    """A negated cue that says nothing: no clause, or only a question ("did not immediately
    announce whom they would support", "would not say whether"); "never said that ..." still
    reports what was said. A verb of finding says nothing with only a question after it,
    negated or not ("to determine how rules could be broken")."""
    clauses = [c for c in verb.children if c.dep_ in _CLAUSE_DEPS]
    asks_only = all(c.left_edge.lower_ in lx.QUESTION_WORDS for c in clauses)
    bare_question = not clauses and any(c.dep_ == "advmod" and c.lower_ in lx.QUESTION_WORDS
                                        for c in verb.children)  # "anyone ... knows why"
    # "want to know whether" puts the question to someone: it reports the asking
    asking = verb.dep_ == "xcomp" and verb.head.lemma_.lower() in ("want", "wish", "need")
    if (verb.lemma_.lower() in lx.FINDING_CUES and asks_only and (clauses or bare_question)
            and not asking):
        return True  # "probes to determine how rules could be broken"
    doc = verb.doc
    # the negation belongs to the verb's own group ("did not immediately say", "can't quite
    # say"), not to words before a quotation's frame ('"Probably not," Ms. Moore said')
    if not any(c.dep_ == "neg" and c.i < verb.i and all(
            t.dep_ in ("aux", "auxpass", "advmod", "neg") for t in doc[c.i + 1:verb.i])
            for c in verb.children):
        return False
    return asks_only


def _verb_cue(tok: Token, quoted: bool) -> tuple[Evidence, Token | None] | None:
    """Evidence that a cue-lemma verb attributes content here, and its particle; None if not."""
    lemma = tok.lemma_.lower()
    if tok.pos_ not in ("VERB", "AUX") or tok.dep_ in ("amod", "compound"):
        return None
    if lemma in lx.PHRASAL_CUES:
        for child in tok.children:
            if child.dep_ in ("prep", "prt") and child.lower_ in lx.PHRASAL_CUES[lemma]:
                return Evidence.PARTICLE, child
        return None
    if lemma not in lx.ANY_FRAME_CUES:
        return None
    if _introduces(tok):
        return Evidence.COLON, None
    if lemma in lx.FRAME_ONLY_CUES:
        return (Evidence.PARENTHETICAL, None) if tok.dep_ == "parataxis" else None
    if _unsaid(tok) or _hypothetical(tok) or naming_participle(tok):
        return None
    deps = {c.dep_ for c in tok.children}
    if deps & _CLAUSE_DEPS or _clause_in_prep(tok) or _clause_on_object(tok) or _inverted(tok):
        return Evidence.CLAUSE, None
    if _finite_on_subject(tok):
        return Evidence.CLAUSE, None  # the root after it is what was said
    if "xcomp" in deps and (lemma not in lx.CLAUSE_ONLY_CUES or any(
            c.dep_ == "xcomp" and c.tag_ == "VBG" for c in tok.children)):
        return Evidence.CLAUSE, None  # "urged them to", "proposes converting the museum"
    if tok.dep_ == "parataxis" or _as_clause(tok):
        return Evidence.PARENTHETICAL, None
    if lemma in lx.CHARACTERISING_CUES and any(
        c.dep_ == "oprd" and c.pos_ != "PROPN" for c in tok.children
    ):
        return Evidence.CHARACTERISATION, None
    if quoted:
        return Evidence.QUOTE, None
    if _said_as_object(tok) and (lemma in lx.OBJECT_CUES or (
            lemma in lx.DOCUMENT_OBJECT_CUES and _document_subject(tok)
            and not any(c.dep_ == "dobj" and c.lemma_.lower() in lx.NON_FINDING_OBJECTS
                        for c in tok.children))):
        return Evidence.OBJECT, None
    if lemma in lx.ACT_OBJECT_CUES and any(_content_noun(c) for c in tok.children
                                           if c.dep_ == "dobj"):
        return Evidence.OBJECT, None
    prep = _said_in_prep(tok)
    if prep is not None:
        return Evidence.OBJECT, prep
    return None


def _said_in_prep(verb: Token) -> Token | None:
    """The preposition whose object is what the cue said ("called for an investigation",
    "warned of a recession"; lexicon.PREP_OBJECT_CUES), right after the verb; None if none."""
    preps = lx.PREP_OBJECT_CUES.get(verb.lemma_.lower(), frozenset())
    return next((c for c in verb.children
                 if c.dep_ == "prep" and c.lower_ in preps and c.i == verb.i + 1
                 and any(g.dep_ in ("pobj", "pcomp") for g in c.children)), None)


def _content_noun(noun: Token) -> bool:
    """Whether a noun names something said or thought ("the claim", "his reasoning", "that
    idea"): as the object of an act-or-speech verb it makes the verb a report."""
    return noun.lemma_.lower() in lx.CONTENT_NOUNS


def _inverted(verb: Token) -> bool:
    """A cue the parser hung as a clause under what it reports, which follows after a comma
    ("Deutsche Welle reported in mid-2019, 62 Tesco outlets had closed"): the cue has a
    subject of its own and no object, and what it hangs on is no cue itself ("his allies
    feel abandoned, Bloomberg reports": there "reports" is the cue)."""
    head = verb.head
    if verb.dep_ != "ccomp" or head.i <= verb.i or head.pos_ not in ("VERB", "AUX"):
        return False
    if head.lemma_.lower() in lx.ANY_FRAME_CUES:  # "allies feel abandoned, Bloomberg reports"
        return False
    between = verb.doc[verb.i + 1:head.i]
    return (any(t.text == "," for t in between)
            and any(c.dep_ == "nsubj" for c in verb.children)
            and not any(c.dep_ in ("dobj", "ccomp", "xcomp") for c in verb.children)
            and any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in head.children))


def _as_clause(verb: Token) -> bool:
    """A cue in an "as" clause set off by a comma, with a subject of its own: "As The Hill
    reported, Trump was also accused ...", "..., as Western Journalism reported, ..."; the
    clause it hangs on is what was said. "As expected" has no subject and says nothing;
    "as though he were screaming" is a manner."""
    marks = [c for c in verb.children if c.dep_ == "mark"]
    if verb.dep_ != "advcl" or [m.lower_ for m in marks] != ["as"]:
        return False
    after = marks[0].nbor(1) if marks[0].i + 1 < len(verb.doc) else None
    if after is not None and after.lower_ in ("though", "if"):  # "as though he were screaming"
        return False
    if not any(c.dep_ == "nsubj" for c in verb.children):
        return False
    edge = verb.right_edge
    return edge.i + 1 < len(verb.doc) and verb.doc[edge.i + 1].text == ","


def _document_subject(verb: Token) -> bool:
    """Whether the verb's subject (or, for "that"/"which" in a relative clause, the noun the
    clause hangs on) is a document or data: "polls that show Johnson at 10 percent"."""
    return any((relative_antecedent(subj) or subj).lemma_.lower() in lx.DOCUMENT_NOUNS
               for subj in verb.children if subj.dep_ == "nsubj")


def _said_as_object(verb: Token) -> bool:
    """What was said stands as the cue's noun object ("announced the partnership", "denied
    it"), or as the subject of its passive with an agent ("His death was confirmed by his
    son") or the noun its participle with an agent qualifies ("the highest rate noted by the
    team"); an agentless passive ("Maduro is accused of ...") stays the outlet's voice, and so
    does what "deny" withholds from someone ("deny licenses to couples", "denied him
    entry")."""
    deps = {c.dep_ for c in verb.children}
    if verb.lemma_.lower() in lx.WITHHOLDING_CUES and ("dative" in deps or any(
            c.dep_ == "prep" and c.lower_ == "to" for c in verb.children)):
        return False
    participle = verb.dep_ == "acl" and verb.tag_ == "VBN"  # "the rate noted by the team"
    return "dobj" in deps or {"nsubjpass", "agent"} <= deps or (participle and "agent" in deps)


def naming_participle(verb: Token) -> bool:
    """A characterising verb as a participle right after the noun it names, with no subject
    of its own: "a predator called the sevengill shark", "a program called 'Learning
    Together'" say what a thing is called, not what anyone said of it."""
    if verb.lemma_.lower() not in lx.CHARACTERISING_CUES or verb.tag_ not in ("VBN", "VBD"):
        return False
    if verb.dep_ not in ("acl", "advcl") or verb.i == 0:
        return False
    if any(c.dep_ in _SUBJECT_DEPS or c.dep_ in ("aux", "auxpass") for c in verb.children):
        return False
    return verb.doc[verb.i - 1].pos_ in ("NOUN", "PROPN")


def _introduces(verb: Token) -> bool:
    """A colon introduces what follows as the verb's content: right after it ("said:"), or
    ending the sentence the verb heads ("told reporters:"), the words coming next."""
    after = verb.nbor(1) if verb.i + 1 < len(verb.doc) else None
    if after is not None and after.text == ":":
        return True
    last = verb.sent[-1]
    while last.is_space and last.i > verb.i:
        last = last.nbor(-1)
    return verb.dep_ == "ROOT" and last.text == ":"


def _detached(head: Token, quoted: bool) -> list[Token]:
    """Clauses after a source's head that are no part of the source phrase: a relative clause
    that attributes ("Mr. Kamin, who emphasized that ..."), and a gerund clause set off by a
    comma after the head or its appositive ("Trump, speaking to veterans, said"). PolNeAR
    leaves the gerund out (362 train sources followed by ", <word>ing" against 19 holding
    one); a participle in -ed ("a poll, conducted in September,") stays in."""
    def set_off(clause: Token) -> bool:
        return clause.left_edge.i > 0 and clause.doc[clause.left_edge.i - 1].text == ","

    heads = [head, *(c for c in head.rights if c.dep_ == "appos")]
    return [c for h in heads for c in h.rights
            if (c.dep_ == "relcl" and _verb_cue(c, quoted))
            or (c.dep_ in ("acl", "advcl") and c.tag_ == "VBG" and set_off(c))]


def _clause_on_object(verb: Token) -> bool:
    """A that-clause the parser hung on the cue's object, or on a phrase in apposition to it,
    as a relative clause, though its "that" is a complementiser: "told a press conference
    that she had cut an hour", "told Anadolu Agency, a local news outlet, that ..."."""
    objects = [o for o in verb.children if o.dep_ in ("dobj", "dative")]
    objects += [a for o in objects for a in o.children if a.dep_ == "appos"]
    return any(clause.dep_ in ("acl", "relcl") and clause.left_edge.lower_ == "that"
               and clause.left_edge.dep_ == "mark"
               for obj in objects for clause in obj.children)


def _clause_in_prep(verb: Token) -> bool:
    """A that-clause the parser hung on the cue's prepositional phrase: "said in a statement
    that ...", "told reporters on Monday that ...", and, deeper in a chain of prepositions,
    one whose "that" is a complementiser ("said in one of a series of Twitter messages that
    the truck was carrying arms")."""
    def found(head: Token, depth: int) -> bool:
        for prep in (c for c in head.children if c.dep_ == "prep"):
            for obj in (c for c in prep.children if c.dep_ == "pobj"):
                for clause in obj.children:
                    edge = clause.left_edge
                    if (clause.dep_ in ("acl", "relcl", "ccomp") and edge.lower_ == "that"
                            and (depth == 0 or edge.dep_ == "mark")):
                        return True
                if depth < 3 and found(obj, depth + 1):
                    return True
        return False

    return found(verb, 0)


def _prepositional(sent: SpacySpan) -> list[tuple[tuple[int, int], Token]]:
    """(cue range, object token) for each prepositional cue such as "according to X"."""
    found = []
    tokens = list(sent)
    for i in range(len(tokens)):
        for pattern in lx.PREPOSITIONAL_CUES:
            n = len(pattern)
            window = tokens[i : i + n]
            if len(window) < n or any(t.lower_ != w for t, w in zip(window, pattern, strict=True)):
                continue
            last = window[-1]
            objs = [c for c in last.children if c.dep_ in ("pobj", "dobj")]
            if not objs and i + n < len(tokens) and tokens[i + n].pos_ in ("NOUN", "PROPN", "PRON"):
                objs = [tokens[i + n]]
            if objs:
                found.append(((window[0].idx, last.idx + len(last.text)), objs[0]))
        tok = tokens[i]
        if tok.lower_ == "per" and i == 0 and tok.dep_ == "prep":
            # "Per the request, Parliament would meet ...": opening a sentence "per" is
            # "according to"; elsewhere it is a rate ("five dollars per person"). "Per request
            # of X" is "at X's request": an act, not what was said.
            objs = [c for c in tok.children if c.dep_ == "pobj" and not (
                any(g.dep_ == "prep" and g.lower_ == "of" for g in c.children)
                and not any(g.dep_ in ("det", "poss") for g in c.children))]
            if objs:
                found.append(((tok.idx, tok.idx + len(tok.text)), objs[0]))
        if tok.lower_ == "by" and tok.dep_ == "prep":  # "by varying reports", "by all accounts"
            objs = [c for c in tok.children if c.dep_ == "pobj"
                    and c.lemma_.lower() in lx.UNOWNED_DOCUMENT_NOUNS and c.tag_ == "NNS"]
            if objs:
                found.append(((tok.idx, tok.idx + len(tok.text)), objs[0]))
    return found


def _quote_frame(
    sent: SpacySpan,
    local_quotes: Sequence[tuple[int, int]],
) -> tuple[tuple[int, int], tuple[int, int], Token] | None:
    """The "..., X says." frame after a quotation, which the parser often gets wrong
    ("Bloomberg notes" as a compound, or "notes" as a noun).

    Returns (cue range, source range, source head) for a cue word such as "notes" or "reports"
    that closes the sentence right after a quotation, with only a short noun phrase between.
    """
    ends = [b for a, b in local_quotes if sent.start_char <= b <= sent.end_char]
    if not ends:
        return None
    after = [t for t in sent if t.idx > max(ends)]
    words = [t for t in after if not t.is_punct]
    if not 2 <= len(words) <= 6:
        return None
    cue = words[-1]
    if cue.lemma_.lower() not in lx.ANY_FRAME_CUES:
        return None
    # The speaker follows the last comma: '"...” for criminal behavior, she said.'
    commas = [t.i for t in after if t.text == "," and t.i < cue.i]
    source = [t for t in words[:-1] if not commas or t.i > commas[-1]]
    if not source or any(t.pos_ in ("VERB", "AUX") for t in source):
        return None
    head = next((t for t in reversed(source) if t.pos_ in ("PROPN", "NOUN", "PRON")), None)
    if head is None:
        return None
    start, last = source[0], source[-1]
    return (cue.idx, cue.idx + len(cue.text)), (start.idx, last.idx + len(last.text)), head


def headline_speaker(sent: SpacySpan) -> tuple[Token, Token] | None:
    """The source that opens a headline in the form "Source: claim" ("Police: Suspect fled on
    foot", "Minister: taxes will rise", "WHO: outbreak contained"), as its head word and the
    colon after it (the source runs from the headline's first word); None where the words
    before the colon are no speaker (a person, an organisation, its initials, or a noun of
    people or institutions), where they are a rubric ("UPDATE:", "Analysis:"), or where no
    verb or quotation follows the colon."""
    colon = next((t.i for t in sent[:7] if t.text == ":"), None)
    if colon is None or colon == sent.start:
        return None
    words = sent.doc[sent.start:colon]
    if not all(t.pos_ in ("PROPN", "NOUN", "ADJ", "DET", "PART", "NUM") or t.text == "."
               for t in words):
        return None
    head = next((t for t in reversed(words) if t.pos_ in ("PROPN", "NOUN")), None)
    if head is None or words.text.lower() in lx.NON_SPEAKER_LABELS:
        return None
    # one capitalised word is too often a topic the tagger takes for a name ("Brexit:")
    person = head.ent_type_ in _PERSON_ENTS and len(words) > 1
    speaker = (person or is_acronym(head) or head.lemma_.lower() in lx.ANONYMOUS_NOUNS
               or head.lower_ in lx.HEADLINE_SPEAKERS)
    after = sent.doc[colon + 1:sent.end]
    said = any(t.pos_ in ("VERB", "AUX") for t in after) or any(t.is_quote for t in after)
    return (head, sent.doc[colon]) if speaker and said else None


def find_attributions(
    sent: SpacySpan,
    quotes: Sequence[tuple[int, int]],
    offset: int = 0,
    heading: bool = False,
) -> tuple[list[Attribution], int]:
    """Attributions in a parsed sentence and how many cue words were considered.

    ``quotes`` are the quotation content ranges overlapping the sentence, in the same offsets
    as the spaCy doc plus ``offset``. Returned offsets are absolute (doc offsets + offset).
    A ``heading`` may open with its source and a colon (``headline_speaker``).
    """
    sent_text = sent.text
    text = doc_text(sent.doc)
    local_quotes = [(a - offset, b - offset) for a, b in quotes]
    quoted = any(sent.start_char <= b and a <= sent.end_char for a, b in local_quotes)
    found: list[Attribution] = []

    def span(a: int, b: int) -> Span:
        return Span(a + offset, b + offset, text[a:b])

    def add(cue: tuple[int, int], phrase: tuple[int, int], head: Token, depth: int,
            evidence: Evidence, bare: bool = False) -> None:
        named, pronoun, category = classify_source(head, phrase[0], phrase[1], sent_text)
        phrase = trim_source(text, *phrase)
        antecedent = None
        noun = relative_antecedent(head)
        if noun is not None:  # "who": the phrase it stands for, and whether that is a name
            antecedent, bare = span(*_phrase(noun, stop=head)), is_bare_name(noun)
        found.append(Attribution(span(*phrase), span(*cue), named, pronoun, category, depth,
                                 evidence, bare, antecedent, gender_of(head)))

    considered = 0
    for cue, obj in _prepositional(sent):
        considered += 1
        add(cue, _object_phrase(sent, cue, obj), obj, _depth(obj), Evidence.PREPOSITION)
    frame = _quote_frame(sent, local_quotes)
    if frame is not None:
        considered += 1
        add(frame[0], frame[1], frame[2], 0, Evidence.QUOTE)
    for tok in sent:
        lemma = tok.lemma_.lower()
        if lemma not in lx.ANY_FRAME_CUES and lemma not in lx.PHRASAL_CUES:
            continue
        if _in_ranges(tok.idx, local_quotes) or (frame is not None and tok.idx == frame[0][0]):
            continue
        considered += 1
        verdict = _verb_cue(tok, quoted)
        if verdict is None:
            continue
        evidence, particle = verdict
        subj, passive = _subject(tok, local_quotes)
        if subj is None or passive or _in_ranges(subj.idx, local_quotes):
            continue
        if subj.lower_ in lx.SPEAKER_PRONOUNS | lx.ADDRESSEE_PRONOUNS or no_source(subj) or (
            subj.lower_ in ("it", "there", "that", "this") and (subj.dep_ == "expl")
        ):
            continue
        add(_cue_range(tok, particle), _phrase(subj, stop=tok, cut=_detached(subj, quoted)),
            subj, _depth(tok), evidence, is_bare_name(subj))
    opening = headline_speaker(sent) if heading and not found else None
    if opening is not None:
        considered += 1
        head, colon = opening
        add((colon.idx, colon.idx + 1), (sent[0].idx, head.idx + len(head.text)), head, 0,
            Evidence.HEADLINE, is_bare_name(head))
    return found, considered


def find_passive_subjects(sent: SpacySpan, offset: int = 0) -> list[tuple[int, int]]:
    """The subjects of agentless passive cues ("Maduro is accused of ..."): the phrase an
    attribution is about, never its source (docs/ANNOTATION.md: such a sentence is editorial)."""
    found = []
    for tok in sent:
        if tok.lemma_.lower() not in lx.CUE_VERBS or not _subject(tok)[1]:
            continue
        for child in tok.children:
            if child.dep_ == "nsubjpass":
                start, end = _phrase(child)
                found.append((start + offset, end + offset))
    return found


def find_mentions(sent: SpacySpan, offset: int = 0) -> list[Mention]:
    """People, groups and organisations a later pronoun may refer to, in text order."""
    mentions = []
    for ent in span_ents(sent):
        if ent.label_ in _PERSON_ENTS:
            category, named = Category.PERSON, True
        elif ent.label_ in ("ORG", "GPE"):
            category, named = Category.THING, True
        elif ent.label_ == "NORP" and ent.root.tag_ in ("NNS", "NNPS"):
            category, named = Category.GROUP, False
        else:
            continue
        subject = ent.root.dep_ in _SUBJECT_DEPS
        start = min(ent.start_char, ent.root.left_edge.idx)  # keep titles: "Mayor John Lee"
        if ent.root.left_edge.dep_ == "det":
            start = ent.start_char
        span = (start + offset, ent.end_char + offset)
        gender = gender_of(ent.root) if category is Category.PERSON else None
        mentions.append(Mention(span, category, named, subject, is_bare_name(ent.root), gender))
    for tok in sent:
        if tok.pos_ == "NOUN" and tok.lemma_.lower() in lx.ANONYMOUS_NOUNS and not tok.ent_type_:
            start, end = tok.left_edge.idx, tok.idx + len(tok.text)
            category = Category.GROUP if tok.tag_ == "NNS" else Category.PERSON
            mentions.append(
                Mention((start + offset, end + offset), category, False, tok.dep_ in _SUBJECT_DEPS)
            )
    for tok in sent:
        gender = lx.PRONOUN_GENDER.get(tok.lower_)
        if gender and tok.dep_ in _SUBJECT_DEPS:
            start = tok.idx + offset
            mentions.append(Mention((start, start + len(tok.text)), Category.PERSON, True, True,
                                    gender=gender, pronoun=True))
    mentions.sort(key=lambda m: m.span)
    return mentions
