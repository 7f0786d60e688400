"""The seed's annotations against a stored copy: a change to the code that moves a label, a
span or a confidence shows here, line by line. After a change that means to move them,
rewrite the file with ``python tests/test_stored_annotations.py``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from attribution import Annotator

STORED = Path(__file__).resolve().parent / "data" / "seed_annotated.json"
SEED = Path(__file__).resolve().parent.parent / "seeds" / "putin_allies_bloomberg.txt"
SETTINGS = {"rules": {"sourcing": False, "stance": False}, "full": {}}


def annotate(name: str, annotator: Annotator | None = None) -> dict:
    annotator = annotator or Annotator(**SETTINGS[name])
    return annotator.annotate(SEED.read_text(encoding="utf-8"), id="seed").to_dict()


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_seed_annotations_match_the_stored_ones(name, annotator):
    stored = json.loads(STORED.read_text(encoding="utf-8"))[name]
    now = annotate(name, annotator if name == "full" else None)
    assert len(now["sentences"]) == len(stored["sentences"])
    for k, (got, want) in enumerate(zip(now["sentences"], stored["sentences"], strict=True)):
        assert got == want, f"sentence {k} moved: {want['text'][:60]!r}"


if __name__ == "__main__":
    data = {name: annotate(name) for name in SETTINGS}
    STORED.write_text(json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
                      encoding="utf-8")
    sys.exit(0)
