"""Readers of the training and evaluation corpora (PolNeAR, NewsMTSC).

The data folder comes from an explicit argument, else the ``ATTRIBUTION_DATA`` environment
variable, else ``../shared/data`` beside the checkout. Nothing here copies the corpora.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "ATTRIBUTION_DATA"


def data_dir(path: str | Path | None = None) -> Path:
    """The data folder to read: ``path``, else $ATTRIBUTION_DATA, else ../shared/data.

    Raises FileNotFoundError naming the folder when it does not exist.
    """
    if path is not None:
        chosen, how = Path(path), "given"
    elif os.environ.get(ENV_VAR):
        chosen, how = Path(os.environ[ENV_VAR]), f"from ${ENV_VAR}"
    else:
        chosen = Path(__file__).resolve().parents[3] / "shared" / "data"
        how = "default"
    if not chosen.is_dir():
        raise FileNotFoundError(f"data folder not found: {chosen} ({how})")
    return chosen


def require(path: Path, what: str) -> Path:
    """``path`` if it exists, else FileNotFoundError naming it and what it should hold."""
    if not path.exists():
        raise FileNotFoundError(f"{what} not found: {path}")
    return path
