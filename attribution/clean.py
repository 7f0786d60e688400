"""Text that every stage can take: code points UTF-8 cannot encode are replaced, one for one.

Python strings may hold lone surrogates (JSON allows ``"\\udc80"``), which no UTF-8 encoder,
tokenizer or file writer accepts. They are replaced by U+FFFD, which keeps every offset.
Control characters are stripped from what is shown on a terminal, and spreadsheet formula
prefixes are neutralised in CSV cells.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import MutableMapping
from typing import Any

REPLACEMENT = "\ufffd"
_SURROGATE = re.compile("[\ud800-\udfff]")
# C0 and C1 controls (tab and newline included: a terminal cell is one line), DEL, and the
# bidirectional overrides and isolates that reorder what a terminal shows.
_TERMINAL_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# A cell starting with one of these is read as a formula by spreadsheet programs.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def replace_unencodable(text: str) -> tuple[str, int]:
    """``text`` with each lone surrogate replaced by U+FFFD, and how many were replaced.

    The result has the same length, so offsets into it are offsets into the original.
    """
    if text.isascii():
        return text, 0
    return _SURROGATE.subn(REPLACEMENT, text)


def replace_in_fields(fields: MutableMapping[str, Any]) -> int:
    """Apply ``replace_unencodable`` to every string value of ``fields`` in place; return how
    many code points were replaced in all."""
    replaced = 0
    for key, value in fields.items():
        if isinstance(value, str):
            fields[key], n = replace_unencodable(value)
            replaced += n
    return replaced


def warn_replaced(name: str, count: int, stacklevel: int = 2) -> None:
    """Warn that ``count`` code points of the document ``name`` were replaced."""
    warnings.warn(f"{name}: {count} code point(s) that cannot be encoded (lone surrogates) "
                  "replaced by U+FFFD", stacklevel=stacklevel + 1)


def for_terminal(text: str) -> str:
    """``text`` without control characters, so an article cannot drive the terminal."""
    return _TERMINAL_UNSAFE.sub("", text)


def for_spreadsheet(value: object) -> object:
    """A CSV cell that a spreadsheet shows as text: a string that starts like a formula
    ("=", "+", "-", "@") gets a leading apostrophe. Other values are returned as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
