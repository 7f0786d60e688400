"""attribution: how news articles are sourced, sentence by sentence.

>>> import attribution
>>> article = attribution.annotate("Officials said the talks failed.")
>>> article.sentences[0].label
<Label.ANONYMOUS: 'anonymous'>
"""

from .document import Article, Kind, Label, QuoteForm, Sentence, Span, Stance
from .pipeline import Annotator, annotate

__all__ = [
    "Annotator",
    "Article",
    "Kind",
    "Label",
    "QuoteForm",
    "Sentence",
    "Span",
    "Stance",
    "annotate",
]
__version__ = "0.1.0"
