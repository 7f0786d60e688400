"""HTML view of annotated articles, rendered from the data model alone (nothing is re-analysed).

Each sentence is tinted by label with the Okabe-Ito colour-blind-safe palette; every source is
underlined, every cue dotted-underlined, quoted spans in italics; hovering a sentence shows its
label, confidence, main source and any other sources.
"""

from __future__ import annotations

from html import escape

from .document import Article, Label, Sentence

# Okabe & Ito (2008) colour-blind-safe colours, with a light tint for the background.
PALETTE: dict[Label, tuple[str, str]] = {
    Label.ANONYMOUS: ("#D55E00", "#fbe3d3"),
    Label.DIRECT_QUOTE: ("#0072B2", "#d5e8f4"),
    Label.REPORTED_SPEECH: ("#009E73", "#d3f0e6"),
    Label.EDITORIAL: ("#6b6b6b", "#f3f3f3"),
}
_DESCRIPTIONS = {
    Label.ANONYMOUS: "attributed to an unnamed source",
    Label.DIRECT_QUOTE: "a named source's words in quotation marks",
    Label.REPORTED_SPEECH: "a named source's claim in paraphrase",
    Label.EDITORIAL: "the outlet's own voice",
}

STYLE = """
.attribution-article { font-family: Georgia, serif; line-height: 1.7; max-width: 46em; }
.attribution-article .sent { padding: 0.1em 0.2em; border-radius: 3px; border-left: 3px solid; }
.attribution-article .heading { font-weight: bold; font-size: 1.15em; display: block; }
.attribution-article .caption, .attribution-article .byline {
  font-size: 0.9em; font-style: italic; }
.attribution-article .src { text-decoration: underline; text-decoration-thickness: 2px; }
.attribution-article .cue { text-decoration: underline dotted; text-decoration-thickness: 2px; }
.attribution-article .quote { font-style: italic; }
.attribution-article .chip { font-family: sans-serif; font-size: 0.7em; padding: 0 0.4em;
  border-radius: 0.8em; margin-left: 0.3em; color: #fff; vertical-align: middle; }
.attribution-legend { font-family: sans-serif; font-size: 0.85em; margin-bottom: 0.8em; }
.attribution-legend span { padding: 0.1em 0.5em; margin-right: 0.6em; border-left: 3px solid;
  border-radius: 3px; }
"""


def legend_html() -> str:
    """The colour legend: one swatch per label with its meaning."""
    items = []
    for label, (edge, tint) in PALETTE.items():
        items.append(
            f'<span style="background:{tint};border-color:{edge}" title="{_DESCRIPTIONS[label]}">'
            f"{label.value.replace('_', ' ')}</span>"
        )
    items.append(
        '<span style="border:none"><u>source</u> &nbsp; '
        '<span style="text-decoration:underline dotted;border:none;padding:0">cue</span>'
        " &nbsp; <i>quotation</i></span>"
    )
    return '<div class="attribution-legend">' + "".join(items) + "</div>"


def _marks(sentence: Sentence) -> list[tuple[int, int, str]]:
    """(start, end, css class) of the spans to mark inside the sentence, not overlapping."""
    spans: list[tuple[int, int, str]] = []
    facets = [(sentence.source, "src"), (sentence.cue, "cue")]
    facets += [(span, css) for a in sentence.attributions
               for span, css in ((a.source, "src"), (a.cue, "cue"))]
    for span, css in facets:
        if span is not None and sentence.start <= span.start and span.end <= sentence.end:
            spans.append((span.start, span.end, css))
    for quote in sentence.quotes:
        spans.append((quote.start, quote.end, "quote"))
    spans = sorted(set(spans))
    kept: list[tuple[int, int, str]] = []
    for start, end, css in spans:
        if not kept or start >= kept[-1][1]:
            kept.append((start, end, css))
    return kept


def _title(sentence: Sentence) -> str:
    parts = [f"{sentence.label.value} ({sentence.confidence:.2f})"]
    if sentence.source is not None:
        named = {True: "named", False: "anonymous", None: "?"}[sentence.source_named]
        parts.append(f"source: {sentence.source.text} [{named}]")
    if sentence.source_resolved is not None:
        parts.append(f"= {sentence.source_resolved.text}")
    if sentence.cue is not None:
        parts.append(f"cue: {sentence.cue.text}")
    others = [a.source.text for a in sentence.attributions
              if a.source is not None and a.source != sentence.source]
    if others:
        parts.append("also: " + "; ".join(others))
    return " · ".join(parts)


def sentence_html(article: Article, sentence: Sentence) -> str:
    """One sentence as a tinted span with its source, cue and quotations marked."""
    edge, tint = PALETTE[sentence.label]
    pieces, pos = [], sentence.start
    for start, end, css in _marks(sentence):
        pieces.append(escape(article.text[pos:start]))
        pieces.append(f'<span class="{css}">{escape(article.text[start:end])}</span>')
        pos = end
    pieces.append(escape(article.text[pos : sentence.end]))
    chips = "".join(
        f'<span class="chip" style="background:{_stance_colour(st.score)}" '
        f'title="{escape(st.label)} {st.score:+.2f}">'
        f"{escape(st.target.text)} {st.score:+.1f}</span>"
        for st in sentence.stance
    )
    return (
        f'<span class="sent {sentence.kind.value}" style="background:{tint};border-color:{edge}" '
        f'title="{escape(_title(sentence))}">{"".join(pieces)}{chips}</span>'
    )


def _stance_colour(score: float) -> str:
    if score > 0.2:
        return "#0072B2"
    if score < -0.2:
        return "#D55E00"
    return "#6b6b6b"


def article_html(article: Article, standalone: bool = False) -> str:
    """The article as HTML: sentences in text order, line breaks kept, a legend on top."""
    body, pos = [], 0
    for sentence in article.sentences:
        gap = article.text[pos : sentence.start]
        body.append(escape(gap).replace("\n", "<br>\n"))
        body.append(sentence_html(article, sentence))
        pos = sentence.end
    heading = ""
    if article.id or article.outlet:
        outlet = f" — {escape(article.outlet)}" if article.outlet else ""
        heading = f"<h3>{escape(article.id or '')}{outlet}</h3>"
    html = (
        f"<div class='attribution-article'><style>{STYLE}</style>{heading}{legend_html()}"
        f"<div>{''.join(body)}</div></div>"
    )
    return page_html([article]) if standalone else html


def page_html(articles: list[Article]) -> str:
    """A standalone HTML page holding every article."""
    inner = "\n<hr>\n".join(article_html(a) for a in articles)
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<title>attribution</title></head>\n"
        f"<body>\n{inner}\n</body></html>\n"
    )
