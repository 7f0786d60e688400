"""The data model: Span, Sentence, Stance and Article, with a JSON round trip.

Every span indexes the original article string: ``article.text[s.start:s.end] == s.text``.
Processing modules fill these objects; nothing here analyses text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class _StrEnum(str, Enum):
    """A string-valued enum that prints as its value (``str(Label.EDITORIAL) == "editorial"``)."""

    def __str__(self) -> str:
        return str(self.value)


class Label(_StrEnum):
    """The primary sourcing label of a sentence (docs/ANNOTATION.md section 2), in the order of
    precedence."""

    ANONYMOUS = "anonymous"
    DIRECT_QUOTE = "direct_quote"
    REPORTED_SPEECH = "reported_speech"
    EDITORIAL = "editorial"


class Kind(_StrEnum):
    """Where a sentence sits in the article's layout."""

    BODY = "body"
    HEADING = "heading"
    CAPTION = "caption"
    BYLINE = "byline"


class StanceLabel(_StrEnum):
    """The stance a sentence takes toward a target (NewsMTSC's three classes)."""

    NEGATIVE = "negative"
    NEUTRAL = "neutral"
    POSITIVE = "positive"


class Category(_StrEnum):
    """What a source or mention is, as far as a later pronoun may refer back to it."""

    PERSON = "person"
    GROUP = "group"
    THING = "thing"


class Pronoun(_StrEnum):
    """A pronoun source by what it refers back to: he/she a person, they a group, it a thing;
    I/we the speaker of the words around it."""

    PERSON = "person"
    GROUP = "group"
    THING = "thing"
    SPEAKER = "speaker"


class Evidence(_StrEnum):
    """The construction an attribution was found in (docs/rules.md)."""

    CLAUSE = "clause"  # a cue verb with a reported clause: "X said (that) ..."
    QUOTE = "quote"  # a quotation framed by a speaker: '"...," X said'
    COLON = "colon"  # a cue before a colon: "X said:"
    PARENTHETICAL = "parenthetical"  # "..., X said, ..."
    PARTICLE = "particle"  # a phrasal cue: "X pointed out"
    CHARACTERISATION = "characterisation"  # "X called it a disaster"
    OBJECT = "object"  # a cue verb with what was said as its object: "X denied the claims"
    PREPOSITION = "preposition"  # "according to X"
    SIGNATURE = "signature"  # a dash and a name under a quotation
    TRANSCRIPT = "transcript"  # a speaker's label opening a transcript turn
    HEADLINE = "headline"  # a source and a colon opening a headline: "Police: suspect fled"
    MODEL = "model"  # tagged by the sourcing model


class QuoteForm(_StrEnum):
    """How the sourced content is rendered: full quotation, partial quotation, paraphrase, none."""

    DIRECT = "direct"
    PARTIAL = "partial"
    INDIRECT = "indirect"
    NONE = "none"


@dataclass(frozen=True)
class Span:
    """A stretch of the article text: ``text == article.text[start:end]``."""

    start: int
    end: int
    text: str

    @classmethod
    def of(cls, source: str, start: int, end: int) -> Span:
        """Cut a span out of ``source`` so that its text always matches its offsets."""
        if not 0 <= start <= end <= len(source):
            raise ValueError(f"span [{start}, {end}) lies outside a text of length {len(source)}")
        return cls(start, end, source[start:end])

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Span:
        return cls(int(data["start"]), int(data["end"]), str(data["text"]))

    def __len__(self) -> int:
        return self.end - self.start


@dataclass
class Stance:
    """The stance toward one target: label, score = P(pos) - P(neg), and the probabilities."""

    target: Span
    label: StanceLabel
    score: float
    probs: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.label = StanceLabel(self.label)  # "negative" is taken for StanceLabel.NEGATIVE

    def to_dict(self) -> dict[str, Any]:
        return {
            "target": self.target.to_dict(),
            "label": self.label.value,
            "score": self.score,
            "probs": dict(self.probs),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Stance:
        return cls(
            target=Span.from_dict(data["target"]),
            label=StanceLabel(data["label"]),
            score=float(data["score"]),
            probs={str(k): float(v) for k, v in data.get("probs", {}).items()},
        )


def _span_or_none(data: dict[str, Any] | None) -> Span | None:
    return None if data is None else Span.from_dict(data)


@dataclass
class Attribution:
    """One source and cue found in a sentence; a sentence may report several voices, and a
    passive attribution ("it is believed") has a cue but no source.

    The fields after ``source_named`` are the evidence the rules read the attribution from;
    they are not written to JSON and play no part in comparisons.
    """

    source: Span | None
    cue: Span | None
    source_named: bool | None = None
    # he/she, they, it, I/we: what a pronoun source refers to; None for a phrase
    pronoun: Pronoun | None = field(default=None, compare=False, repr=False)
    category: Category = field(default=Category.THING, compare=False, repr=False)
    depth: int = field(default=0, compare=False, repr=False)  # the cue's distance from the root
    evidence: Evidence = field(default=Evidence.MODEL, compare=False, repr=False)
    # a proper name with no article: maybe a person that the tagger took for an organisation
    bare_name: bool = field(default=False, compare=False, repr=False)
    # what a relative pronoun source ("who") stands for
    antecedent: Span | None = field(default=None, compare=False, repr=False)
    # "m" or "f" where the source's words say (a title, a role noun, a gendered pronoun)
    gender: str | None = field(default=None, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": None if self.source is None else self.source.to_dict(),
            "cue": None if self.cue is None else self.cue.to_dict(),
            "source_named": self.source_named,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Attribution:
        return cls(_span_or_none(data.get("source")), _span_or_none(data.get("cue")),
                   data.get("source_named"))


@dataclass
class Sentence:
    """One sentence with its sourcing label and the facets the label was decided from."""

    start: int
    end: int
    text: str
    kind: Kind = Kind.BODY
    label: Label = Label.EDITORIAL
    confidence: float = 1.0
    quote_form: QuoteForm = QuoteForm.NONE
    source: Span | None = None
    source_resolved: Span | None = None
    source_named: bool | None = None
    cue: Span | None = None
    quotes: list[Span] = field(default_factory=list)
    stance: list[Stance] = field(default_factory=list)
    # Every source / cue found in the sentence, the one above included.
    attributions: list[Attribution] = field(default_factory=list)

    @property
    def speaker(self) -> Span | None:
        """The source as resolved: the antecedent of a pronoun source, else the source itself."""
        return self.source_resolved or self.source

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "kind": self.kind.value,
            "label": self.label.value,
            "confidence": self.confidence,
            "quote_form": self.quote_form.value,
            "source": None if self.source is None else self.source.to_dict(),
            "source_resolved": (
                None if self.source_resolved is None else self.source_resolved.to_dict()
            ),
            "source_named": self.source_named,
            "cue": None if self.cue is None else self.cue.to_dict(),
            "quotes": [q.to_dict() for q in self.quotes],
            "stance": [s.to_dict() for s in self.stance],
            "attributions": [a.to_dict() for a in self.attributions],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Sentence:
        return cls(
            start=int(data["start"]),
            end=int(data["end"]),
            text=str(data["text"]),
            kind=Kind(data.get("kind", "body")),
            label=Label(data.get("label", "editorial")),
            confidence=float(data.get("confidence", 1.0)),
            quote_form=QuoteForm(data.get("quote_form", "none")),
            source=_span_or_none(data.get("source")),
            source_resolved=_span_or_none(data.get("source_resolved")),
            source_named=data.get("source_named"),
            cue=_span_or_none(data.get("cue")),
            quotes=[Span.from_dict(q) for q in data.get("quotes", [])],
            stance=[Stance.from_dict(s) for s in data.get("stance", [])],
            attributions=[Attribution.from_dict(a) for a in data.get("attributions", [])],
        )

    def spans(self) -> list[Span]:
        """Every span this sentence holds (itself first), for offset checks."""
        own = [Span(self.start, self.end, self.text)]
        facets = [self.source, self.source_resolved, self.cue]
        facets += [s for a in self.attributions for s in (a.source, a.cue)]
        return (
            own
            + [s for s in facets if s is not None]
            + self.quotes
            + [st.target for st in self.stance]
        )

    def __repr__(self) -> str:
        parts = [f"{self.label.value} {self.confidence:.2f}"]
        if self.kind is not Kind.BODY:
            parts.append(f"kind={self.kind.value}")
        if self.source is not None:
            src = repr(self.source.text)
            if self.source_resolved is not None:
                src += f" (= {self.source_resolved.text!r})"
            parts.append(f"source={src}")
        if self.cue is not None:
            parts.append(f"cue={self.cue.text!r}")
        text = self.text if len(self.text) <= 60 else self.text[:57] + "..."
        return f"Sentence({', '.join(parts)}: {text!r})"


def id_text(value: Any) -> str | None:
    """An article id as text: a string, or an integer written as text (1 and "1" are one
    id); None stays None. ValueError for anything else."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise ValueError(f"'id' must be a string or an integer, not {type(value).__name__}")


def optional_text(data: dict[str, Any], key: str) -> str | None:
    """``data[key]`` when it is a string or missing (None); ValueError for anything else."""
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise ValueError(f"'{key}' must be a string, not {type(value).__name__}")
    return value


@dataclass
class Article:
    """An annotated article: the original text and its sentences, in text order."""

    text: str
    sentences: list[Sentence] = field(default_factory=list)
    id: str | None = None
    outlet: str | None = None
    title: str | None = None

    def validate(self) -> None:
        """Raise ValueError if any sentence or span does not match the text at its offsets."""
        for i, sentence in enumerate(self.sentences):
            for span in sentence.spans():
                if self.text[span.start : span.end] != span.text:
                    raise ValueError(
                        f"sentence {i}: span [{span.start}, {span.end}) {span.text!r} "
                        "does not match the article text at those offsets"
                    )

    def label_counts(self) -> dict[str, int]:
        """How many sentences carry each label (every label present, zeros included)."""
        counts = {label.value: 0 for label in Label}
        for sentence in self.sentences:
            counts[sentence.label.value] += 1
        return counts

    def stance_by_target(self) -> dict[str, dict[str, Any]]:
        """Stance per target over the article: mentions, mean score, and counts per label.

        Targets are grouped case-insensitively; the key is the first spelling seen.
        """
        out: dict[str, dict[str, Any]] = {}
        keys: dict[str, str] = {}
        scores: dict[str, list[float]] = {}
        for sentence in self.sentences:
            for st in sentence.stance:
                key = keys.setdefault(st.target.text.casefold(), st.target.text)
                row = out.setdefault(
                    key, {"n": 0, "mean_score": 0.0, "negative": 0, "neutral": 0, "positive": 0}
                )
                row["n"] += 1
                if st.label in ("negative", "neutral", "positive"):
                    row[st.label] += 1
                scores.setdefault(key, []).append(st.score)
        for key, row in out.items():
            row["mean_score"] = sum(scores[key]) / len(scores[key])
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "outlet": self.outlet,
            "title": self.title,
            "text": self.text,
            "sentences": [s.to_dict() for s in self.sentences],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        """Rebuild an article from ``to_dict()``; ValueError if offsets do not fit the text."""
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            raise ValueError("an article record needs a string 'text' field")
        sentences = data.get("sentences", [])
        if not isinstance(sentences, list):
            raise ValueError(f"'sentences' must be a list, not {type(sentences).__name__}")
        meta = {"id": id_text(data.get("id")), "outlet": optional_text(data, "outlet"),
                "title": optional_text(data, "title")}
        parsed = []
        for i, item in enumerate(sentences):
            try:
                parsed.append(Sentence.from_dict(item))
            except (KeyError, TypeError, AttributeError, ValueError) as exc:
                what = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
                raise ValueError(f"sentence {i} is malformed: {what}") from None
        article = cls(text=data["text"], sentences=parsed, **meta)
        article.validate()
        return article

    def to_frame(self) -> Any:
        """One pandas row per sentence: ids, offsets, label, facets as text, stance as a list;
        ``sources`` and ``cues`` list every attribution in the sentence, the main one included."""
        import pandas as pd

        rows = []
        for i, s in enumerate(self.sentences):
            rows.append(
                {
                    "article_id": self.id,
                    "outlet": self.outlet,
                    "sentence": i,
                    "start": s.start,
                    "end": s.end,
                    "kind": s.kind.value,
                    "label": s.label.value,
                    "confidence": s.confidence,
                    "quote_form": s.quote_form.value,
                    "source": None if s.source is None else s.source.text,
                    "source_resolved": None
                    if s.source_resolved is None
                    else s.source_resolved.text,
                    "speaker": None if s.speaker is None else s.speaker.text,
                    "source_named": s.source_named,
                    "cue": None if s.cue is None else s.cue.text,
                    "sources": [a.source.text for a in s.attributions if a.source is not None],
                    "cues": [a.cue.text for a in s.attributions if a.cue is not None],
                    "quotes": [q.text for q in s.quotes],
                    "stance": [st.to_dict() for st in s.stance],
                    "text": s.text,
                }
            )
        columns = [
            "article_id", "outlet", "sentence", "start", "end", "kind", "label", "confidence",
            "quote_form", "source", "source_resolved", "speaker", "source_named", "cue",
            "sources", "cues", "quotes", "stance", "text",
        ]  # fmt: skip
        return pd.DataFrame(rows, columns=columns)

    def _repr_html_(self) -> str:
        from .render import article_html

        return article_html(self, standalone=False)

    def __repr__(self) -> str:
        counts = ", ".join(f"{k}={v}" for k, v in self.label_counts().items() if v)
        head = f"Article(id={self.id!r}, outlet={self.outlet!r}, {len(self.sentences)} sentences"
        return head + (f": {counts})" if counts else ")")
