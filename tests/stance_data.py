"""A tiny NewsMTSC-shaped data folder (and a PolNeAR article beside it) for the stance tests."""

from __future__ import annotations

import json

import pytest

SENTENCES = [
    ("Critics called Senator Blake a corrupt liar who betrayed his voters.", "Senator Blake", 2.0),
    ("Mayor Ruiz was praised for her brilliant, heroic rescue of the flooded town.", "Mayor Ruiz",
     6.0),
    ("The meeting with Director Chen is scheduled for Tuesday at noon.", "Director Chen", 4.0),
    ("Protesters denounced Governor Hale as a cruel and incompetent tyrant.", "Governor Hale",
     2.0),
    ("Voters adore Ms. Okafor, whose generous reforms lifted thousands out of poverty.",
     "Ms. Okafor", 6.0),
    ("Mr. Dunn will travel to Ohio on Friday.", "Mr. Dunn", 4.0),
]


def write_split(folder, name, rows):
    lines = []
    for i, (sentence, mention, polarity) in enumerate(rows):
        start = sentence.index(mention)
        lines.append(json.dumps({
            "primary_gid": f"{name}_{i}", "sentence_normalized": sentence,
            "targets": [{"from": start, "to": start + len(mention), "mention": mention,
                         "polarity": polarity}],
        }))
    (folder / f"{name}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def data(tmp_path):
    folder = tmp_path / "newsmtsc"
    folder.mkdir()
    write_split(folder, "train", SENTENCES * 2)
    write_split(folder, "dev_rw", SENTENCES[:3])
    write_split(folder, "dev_mt", SENTENCES[3:])
    return tmp_path


ARTICLE = (
    "Senate Leaders Meet\n"
    "Senator Maria Lopez met Governor Tom Reed in Denver on Monday to discuss the budget.\n"
    "The Sierra Club criticised the plan, and Mexico welcomed it.\n"
    "Short line.\n"
)


@pytest.fixture
def with_polnear(data):
    """The NewsMTSC fixture plus a PolNeAR train split of one unannotated article."""
    for sub in ("text", "attributions"):
        (data / "polnear" / "train" / sub).mkdir(parents=True)
    (data / "polnear" / "train" / "text" / "nyt_2016_a.txt").write_text(ARTICLE, "utf-8")
    return data
