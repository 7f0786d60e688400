"""Language data for attribution: cue words and the nouns that make a source named or anonymous.

Data only; the logic that uses it lives in ``sources.py``. Words are lower-case lemmas.
"""

from __future__ import annotations

from .document import Category, Pronoun

# Verbs that introduce speech, writing, belief or perception when they govern content
# (a clause, a quotation) or stand in a parenthetical (", she said").
CUE_VERBS: frozenset[str] = frozenset(
    """
    say tell add note report claim warn insist believe complain argue describe call explain
    state announce write ask reply respond recall conclude deny admit acknowledge suggest
    boast brag allege accuse testify tweet post declare stress emphasize emphasise urge
    contend maintain concede assert think fear hope expect worry caution observe remark
    comment mention indicate reveal confirm predict estimate agree disagree criticize
    criticise praise blame question demand promise pledge vow threaten clarify recount
    characterize characterise dismiss reject counter retort quip joke lament confide
    disclose announce speculate surmise reckon assume feel know learn hear read show find
    conclude propose recommend point cite quote decry condemn applaud welcome charge plead
    acknowledge inform assure remind advise reason wonder muse concur affirm reiterate
    repeat underscore underline highlight signal hint imply insinuate guess insist
    whisper shout yell scream exclaim announce proclaim predict forecast project
    express denounce tout voice dispute hail rebuke reaffirm lambast lambaste assail
    excoriate eviscerate berate castigate chide determine
    """.split()
)

# Cue verbs that only count with a particle or preposition, and the particles they need.
PHRASAL_CUES: dict[str, frozenset[str]] = {
    "point": frozenset({"to", "out"}),
}

# Cue verbs that count only when they govern a clause or quotation, never bare
# ("feel", "know", "find" and "read" are too often not attribution at all).
CLAUSE_ONLY_CUES: frozenset[str] = frozenset(
    {"feel", "know", "find", "read", "hear", "learn", "show", "think", "hope", "expect",
     "fear", "worry", "wonder", "assume", "guess", "reckon", "add", "call", "describe",
     "complain", "question", "blame", "praise", "welcome", "charge", "cite", "quote",
     "project", "signal", "highlight", "underline", "underscore", "repeat", "post",
     # "agreed to support", "proposed to set limits": consent and intent, not speech
     "agree", "propose",
     # "determined to win" is resolve; "investigators determined that ..." a finding
     "determine"}
)

# Verbs of finding and knowing: with only an indirect question after them, or a bare question
# word, they report nothing found or known ("to determine how rules could be broken",
# "anyone who has waited for the bus knows why", "investigators hope to learn how the fire
# started"), negated or not.
FINDING_CUES: frozenset[str] = frozenset({"determine", "know", "learn", "discover"})
# Objects with which "find" is no finding: "the budget finds room for a new headquarters",
# "found time to", "finds its way", "found favour with", "found a buyer".
NON_FINDING_OBJECTS: frozenset[str] = frozenset(
    {"room", "time", "way", "space", "money", "funding", "favour", "favor", "buyer", "home",
     "job", "work", "place", "success", "niche", "audience", "partner", "shelter", "refuge"})

# Cue verbs whose object after a preposition is what was said: "called for an
# investigation", "warned of a recession". Not "complained about long lines": what the
# complaint said is left unsaid (tests/test_cases.py).
PREP_OBJECT_CUES: dict[str, frozenset[str]] = {
    "call": frozenset({"for"}),
    "warn": frozenset({"of", "about", "against"}),
}

# Cue verbs whose noun object is what was said, so that they attribute without a clause
# ("announced the partnership", "denied the allegations", "accused Clinton of lying",
# "His death was confirmed by his son"). Verbs whose object is often an addressee ("tell",
# "warn"), an action or a result ("claim the title", "concede a goal", "declare a state of
# emergency", "reject the offer"), a thing ("post a video", "write a book"), or that also
# mean "account for" ("differences explain the association") are left out.
OBJECT_CUES: frozenset[str] = frozenset(
    """
    announce confirm deny admit acknowledge reveal disclose report allege accuse criticize
    criticise condemn decry blame cite describe note mention praise lament predict
    forecast estimate promise pledge vow demand recount clarify reiterate stress emphasize
    emphasise tweet state express denounce tout voice dispute hail rebuke reaffirm
    lambast lambaste assail excoriate eviscerate berate castigate chide
    """.split()
)

# Object cues whose object is withheld when it goes to someone: "deny licenses to couples",
# "denied him entry" are no statements; "denied the allegations" is.
WITHHOLDING_CUES: frozenset[str] = frozenset({"deny"})

# Cue verbs that report with a noun object only when a document or data is their subject:
# "polls show Trump leading", "a US study finds a correlation"; "Syracuse showed a
# transition" and "Baker found early success" are no attributions.
DOCUMENT_OBJECT_CUES: frozenset[str] = frozenset({"show", "find"})

# Cue verbs whose noun object is often an act, a result or a thing rather than anything said
# ("claimed the title", "conceded a goal", "declared a state of emergency", "rejected the
# offer", "dismissed the case", "posted a video", "wrote a book", "higher prices explain the
# gap", "this one says the wrong thing"); with an object that is something said or thought
# ("rejected the claim", "explained his reasoning", "dismissed the allegations") they
# report (CONTENT_NOUNS).
ACT_OBJECT_CUES: frozenset[str] = frozenset(
    {"claim", "concede", "declare", "reject", "dismiss", "post", "write", "explain", "say"}
)
# Nouns of what is said, written or thought: as the object of an ACT_OBJECT_CUES verb they
# make it a report ("dismissed a report in Politico", "posted old messages"). Not "case" or
# "charges": "dismissed the case" is a court's act.
CONTENT_NOUNS: frozenset[str] = frozenset(
    """
    idea proposal reasoning reason notion suggestion view position thought criticism
    accusation allegation theory opinion argument claim complaint remark comment statement
    warning assertion assessment characterization characterisation premise report story
    rumour rumor account message letter memo email tweet testimony plea appeal
    """.split()
)

# Verbs by which a source puts out something said ("issued a statement saying", "sent a
# letter urging", "held a press conference claiming"): a participle of speech on their
# object speaks for their subject. "found a note saying" is the note's writer's, not the
# finder's, so only these verbs carry it.
ISSUING_VERBS: frozenset[str] = frozenset(
    """
    issue release publish send post deliver give hold write sign file submit circulate put
    tweet share
    """.split()
)

# Cue verbs of consent, proposal and request that a model's tagged cue may not stand on
# without a clause ("agreed to support", "proposed legislation", "asked the Queen for a
# prorogation"); "proposes converting the museum" states a plan and counts. "hope" with only
# an infinitive is a wish ("investigators hope to learn how", "is hoping to win delegates"),
# with a clause a belief ("hopes that the talks resume"). "complain" with only an object is a
# grievance, as the rules read it ("Fans have complained about ticket prices"; "complained
# that ..." reports). Other clause-only cues stay with the
# model: "calling for justice" and "a study finds" report in any frame.
FRAME_CHECKED_CUES: frozenset[str] = frozenset({"agree", "propose", "ask", "hope", "complain"})
# Modals under which a cue says what could or should be said, not what was ("could ask",
# "might argue", "should say"); "would" also narrates the past ("would later say") and stays.
HYPOTHETICAL_MODALS: frozenset[str] = frozenset(
    {"could", "might", "may", "should", "must", "ought", "can"})
# Words that open an indirect question: a negated cue whose only clause opens with one says
# nothing ("did not say whether", "would not announce whom").
QUESTION_WORDS: frozenset[str] = frozenset(
    {"whether", "if", "what", "who", "whom", "whose", "which", "when", "where", "why", "how"})

# Verbs of action, desire or decision that PolNeAR marks as attribution cues ("Clinton supports
# the deal", "Pelosi wants a vote", "the senator declined to comment") but that carry no
# claim, statement, belief or perception: under ANNOTATION.md such a sentence is editorial.
# The gold derivation passes over attributions whose cue is one of these (docs/gold_labels.md).
ACTION_CUES: frozenset[str] = frozenset(
    """
    support want endorse seek vote refuse decline plan back oppose push try decide like need
    campaign order prefer cast file nominate aim spend allow favor favour promote fire launch
    embrace advocate accept choose enjoy introduce attempt appoint hire sue block intend join
    approve pick win ban resist fight opt fail adopt sign fund found score unveil spar gather
    pass provide give send include receive pay work struggle lead help end cut expand meet
    commit lobby wish love dislike care champion target
    """.split()
)
# Acts done in words that report no claim ("thanked voters in a speech", "congratulated his
# rival"): no attribution, unless the sentence quotes the words ('thanked "the police ..."').
SPEECH_ACT_CUES: frozenset[str] = frozenset({"thank", "congratulate"})

# Nouns of speech or writing that make a cue phrase communicate whatever its verb ("sent a
# letter urging", "tried to make the case that"): such a cue is never taken for an action.
SPEECH_NOUNS: frozenset[str] = frozenset(
    """
    case statement letter message memo email tweet interview remark comment speech testimony
    argument claim complaint warning appeal plea
    """.split()
)

# Verbs that attribute only in a speech frame: set off after a quotation ('"...," he
# continued') or introducing one with a colon ("Caddell continued:"); elsewhere they are
# ordinary verbs ("the talks continued").
FRAME_ONLY_CUES: frozenset[str] = frozenset({"continue"})
# Every verb that may be a cue in some frame.
ANY_FRAME_CUES: frozenset[str] = CUE_VERBS | FRAME_ONLY_CUES

# Irregular past and present forms of cue verbs, for matching words without a parse.
IRREGULAR_CUE_FORMS: dict[str, str] = {
    "said": "say", "says": "say", "told": "tell", "tells": "tell", "wrote": "write",
    "writes": "write", "thought": "think", "felt": "feel", "knew": "know", "heard": "hear",
}

# Verbs that report a characterisation when they take an object predicate ("called him a
# liar"); with a proper-noun predicate they only name something ("called the phone Nova").
CHARACTERISING_CUES: frozenset[str] = frozenset({"call", "label", "brand", "describe", "deem"})

# Multi-word prepositional cues: the object of the last word is the source.
PREPOSITIONAL_CUES: tuple[tuple[str, ...], ...] = (
    ("according", "to"),
    ("in", "the", "words", "of"),
    ("as", "reported", "by"),
    ("citing",),
)

# Nouns for a person or group that does not identify who speaks.
# Endings of plural nouns for people by their field or creed ("Egyptologists", "Islamists"),
# which the entity recogniser sometimes takes for an organisation's name.
AGENT_PLURAL_ENDINGS: tuple[str, ...] = ("ists",)

ANONYMOUS_NOUNS: frozenset[str] = frozenset(
    """
    official source person people analyst expert critic resident witness trader supporter
    scholar academic
    observer diplomat insider aide adviser advisor officer member employee staffer lawmaker
    legislator economist investor activist ally opponent someone somebody anyone one other
    many some several few most all both individual participant attendee voter citizen
    worker executive banker lawyer attorney doctor scientist researcher historian strategist
    operative consultant negotiator mediator envoy associate acquaintance friend relative
    colleague confidant loyalist partisan leader commentator pundit observer onlooker
    bystander neighbour neighbor man woman boy girl guy student teacher parent fan user
    customer client patient victim survivor soldier fighter militant protester protestor
    demonstrator rebel veteran farmer driver passenger commuter shopper reader viewer
    listener caller follower donor backer skeptic sceptic proponent advocate campaigner
    insider intermediary contact counterpart personality
    """.split()
)

# Nouns for an institution, outlet or organisation that speaks for itself.
INSTITUTION_NOUNS: frozenset[str] = frozenset(
    """
    government ministry department agency police prosecutor prosecution court judge company
    firm corporation bank administration committee commission council parliament congress
    senate house cabinet campaign party military army navy force embassy consulate office
    kremlin outlet newspaper paper magazine publication network channel broadcaster media
    medium television tv radio
    station website site agency service bureau authority regulator watchdog union
    federation association organisation organization foundation institute university
    school hospital board team club league group spokesperson spokesman spokeswoman
    presidency palace white state city county municipality mayor governor president
    minister secretary chancellor premier ministry prime central fed reserve
    """.split()
)

# Nouns for documents and data, which are named sources (docs/ANNOTATION.md section 2).
DOCUMENT_NOUNS: frozenset[str] = frozenset(
    """
    study report survey poll data datum figure statistic statement document memo memorandum letter
    filing complaint indictment lawsuit analysis research communique draft record email
    transcript cable note release estimate forecast assessment review audit investigation
    paper book article editorial column post tweet message text video footage recording
    interview testimony ruling order decision verdict affidavit motion brief budget plan
    proposal bill law rule regulation guideline guidance warning notice index census autopsy
    necropsy inquest result
    """.split()
)

# Collective nouns that an indefinite article, an "of" with the people in it, or a bare
# plural leaves unidentified: "a team of scientists reported", "a group of residents said"
# and "industry groups say" are vague groups; "the team", "the Ineos team", "the supermarket
# group" and "the group" ones the text identifies, speaking for themselves.
COLLECTIVE_NOUNS: frozenset[str] = frozenset({"team", "panel", "coalition", "consortium",
                                              "alliance", "group"})

# Document nouns whose bare plural names nobody: "according to reports", "media reports
# say", "by varying accounts" are unnamed sources; "police reports" and "reports by
# Reuters" say whose they are.
UNOWNED_DOCUMENT_NOUNS: frozenset[str] = frozenset({"report", "account", "rumour", "rumor"})
# Outlets likewise: "local media reported", "newspapers said" name no outlet; "state media",
# "the newspaper" and "Polish media" say which.
UNOWNED_OUTLET_NOUNS: frozenset[str] = frozenset(
    {"media", "outlet", "newspaper", "broadcaster", "tabloid"})
UNOWNED_SOURCE_NOUNS: frozenset[str] = UNOWNED_DOCUMENT_NOUNS | UNOWNED_OUTLET_NOUNS
# Modifiers that leave such a plural unowned ("the" too: "according to the reports",
# "the initial reports were of drone attacks" say no more whose than "reports" does).
UNOWNING_MODIFIERS: frozenset[str] = frozenset(
    """the media press news local foreign international unconfirmed unverified initial early
    earlier later recent varying conflicting contradictory differing numerous multiple
    various several many some other widespread""".split()
)

# Phrases anywhere in the sentence that say a source's identity is withheld.
WITHHELD_IDENTITY_MARKERS: tuple[str, ...] = (
    "condition of anonymity",
    "not to be named",
    "declined to be identified",
    "declined to be named",
    "not authorized to speak",
    "not authorised to speak",
    "requested anonymity",
    "asked for anonymity",
    "speaking anonymously",
    "off the record",
    "on background",
)
# Phrases that make a source anonymous when they are part of the source phrase itself
# ("people familiar with the talks", "a person close to the Kremlin").
VAGUE_SOURCE_MARKERS: tuple[str, ...] = (
    "on condition that",
    "not to be identified",
    "without being named",
    "familiar with",
    "close to",
    "briefed on",
    "with knowledge of",
    "knowledgeable about",
)

# Determiners that make a common-noun source indefinite.
INDEFINITE_DETERMINERS: frozenset[str] = frozenset(
    {"a", "an", "some", "one", "several", "many", "few", "two", "three", "four", "various",
     "numerous", "multiple", "other", "another", "certain", "most", "more", "any"}
)

# Words of a credit line ("— White House Correspondent Julie Pace.", "— The Associated
# Press"): a dash and a name that signs the reporting, not anyone's words.
CREDIT_WORDS: frozenset[str] = frozenset(
    {"correspondent", "correspondents", "reporter", "reporters", "writer", "writers", "editor",
     "editors", "staff", "press", "news", "newswire", "wire", "wires", "agency", "bureau",
     "reuters", "afp", "ap", "contributed", "contributing", "photographer", "reporting"}
)

# Words before a quotation that mark a title, nickname or scare quote rather than speech.
SCARE_QUOTE_CUES: frozenset[str] = frozenset(
    {"so-called", "dubbed", "titled", "entitled", "named", "nicknamed", "termed", "labelled",
     "labeled", "branded", "known", "word", "term", "phrase", "slogan", "hashtag", "headline",
     "motto", "billed", "styled", "christened", "codenamed", "code-named"}
)

# Personal pronouns by what they can refer to.
PERSON_PRONOUNS: frozenset[str] = frozenset({"he", "she", "him", "her", "his", "himself",
                                              "herself"})
GROUP_PRONOUNS: frozenset[str] = frozenset({"they", "them", "their", "themselves"})
THING_PRONOUNS: frozenset[str] = frozenset({"it", "its", "itself"})
SPEAKER_PRONOUNS: frozenset[str] = frozenset({"i", "we", "me", "us"})
# The person addressed: "Why do you think that is?" asks, "you cannot plan a menu" is generic;
# neither reports a source.
ADDRESSEE_PRONOUNS: frozenset[str] = frozenset({"you"})
# Subjects that are nobody's voice: a negative quantifier says no one holds the view ("Nobody
# who has read the figures believes that", "No one disputes that"), and an abstraction is the
# writer's own argument ("History shows that such gaps rarely close", "Experience suggests").
# "no one" is "one" with the determiner "no".
NON_SOURCE_SUBJECTS: frozenset[str] = frozenset(
    {"nobody", "none", "nothing", "history", "experience", "hindsight", "logic"})


# Gender a person's pronoun, title or role noun gives ("m" or "f"): "she" never refers back to
# someone the text calls "he", "Mr." or "father".
PRONOUN_GENDER: dict[str, str] = {
    **dict.fromkeys(("he", "him", "his", "himself"), "m"),
    **dict.fromkeys(("she", "her", "hers", "herself"), "f"),
}
WORD_GENDER: dict[str, str] = {
    **dict.fromkeys("""mr mr. sir lord king prince duke father dad son brother husband
        uncle nephew grandfather grandson boyfriend widower businessman chairman spokesman
        congressman councilman policeman fireman sportsman gentleman man boy monk priest
        emperor baron count""".split(), "m"),
    **dict.fromkeys("""mrs mrs. ms ms. miss madam lady dame queen princess duchess mother mom
        mum daughter sister wife aunt niece grandmother granddaughter girlfriend widow
        businesswoman chairwoman spokeswoman congresswoman councilwoman policewoman actress
        sportswoman woman girl nun empress baroness countess""".split(), "f"),
}


def pronoun_kind(word: str) -> Pronoun | None:
    """What a third-person pronoun can refer to (a person, a group, a thing), else None."""
    low = word.lower()
    if low in PERSON_PRONOUNS:
        return Pronoun.PERSON
    if low in GROUP_PRONOUNS:
        return Pronoun.GROUP
    return Pronoun.THING if low in THING_PRONOUNS else None

# Line prefixes that mark captions and bylines.
CAPTION_PREFIXES: tuple[str, ...] = (
    "photo:", "photo ", "image:", "picture:", "pictured:", "caption:", "illustration:",
    "video:", "above:", "below:", "left:", "right:", "top:", "credit:", "photograph:",
    "file photo", "(photo", "[photo", "graphic:", "map:", "chart:",
)
CAPTION_MARKERS: tuple[str, ...] = (
    "getty images", "ap photo", "afp", "reuters/", "/reuters", "photo by", "photograph:",
    "shutterstock", "epa", "via reuters", "(photo", "photo credit", "image credit",
)
BYLINE_PREFIXES: tuple[str, ...] = (
    "by ", "written by", "reporting by", "editing by", "additional reporting",
    "compiled by", "story by", "words by",
)

# The kinds of phrase (person, group, thing) that each kind of pronoun may refer back to.
ANTECEDENT_KINDS: dict[str, frozenset[Category]] = {
    Pronoun.PERSON: frozenset({Category.PERSON}),
    Pronoun.GROUP: frozenset({Category.GROUP, Category.THING}),
    Pronoun.THING: frozenset({Category.THING}),
}

# Words by which an article says it is an interview set down as questions and answers.
INTERVIEW_MARKS: tuple[str, ...] = (
    "spoke to us", "spoke with us", "talked to us", "talked with us", "sat down with us",
    "edited for length", "edited for clarity", "q&a",
)

# Institutions and offices that speak in a "Source: claim" headline ("Police: Suspect fled on
# foot"); other institution nouns there are more often a topic ("Premier League: ...").
HEADLINE_SPEAKERS: frozenset[str] = frozenset(
    """police government ministry court prosecutors prosecutor army military minister
    president mayor governor spokesman spokeswoman spokesperson""".split()
)

# Capitalised line labels that are not a transcript's speakers ("UPDATE: ...", "VIDEO: ...").
NON_SPEAKER_LABELS: frozenset[str] = frozenset(
    """
    update updated correction clarification note editor's editor’s photo photos video watch
    read related advertisement breaking exclusive source sources credit byline live analysis
    opinion warning disclaimer email listen see also more fact check look busted wow boom
    report just in
    """.split()
)

# Forms of cue verbs that spaCy's English lemmatizer rules read as another verb ("hopes",
# "hoping", "hoped" as "hop"); the pipeline's attribute ruler sets their lemma
# (pipeline.mend_lemmas).
LEMMA_FIXES: dict[str, frozenset[str]] = {"hope": frozenset({"hopes", "hoping", "hoped"})}
