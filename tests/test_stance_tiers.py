"""The two stance tiers behind one interface: clear cases for each (an insult toward the target
is negative, praise positive, a neutral fact neutral), Annotator(stance=tier) and the CLI's
--stance, and the errors when the accurate tier cannot be had."""

from __future__ import annotations

import pytest

from attribution import Annotator, bases
from attribution.bases import BaseUnavailable
from attribution.cli import main
from attribution.encoder import STANCE_TIERS, models_dir
from attribution.stance import StanceModel

CLEAR = [
    ("The report called the minister incompetent, dishonest and a disgrace to the office.",
     "the minister", "negative"),
    ("Colleagues praised Dr. Okafor as a brilliant, generous and inspiring leader.",
     "Dr. Okafor", "positive"),
    ("Ms. Lee was born in Busan and moved to Toronto in 1998.", "Ms. Lee", "neutral"),
]


def items() -> list[tuple[str, int, int]]:
    return [(text, text.index(target), text.index(target) + len(target))
            for text, target, _ in CLEAR]


def accurate_model() -> StanceModel:
    folder = models_dir() / STANCE_TIERS["accurate"]
    try:
        return StanceModel(folder)
    except BaseUnavailable as exc:  # the 'accurate' extra is in the dev install CI uses
        pytest.skip(f"the accurate tier's base is not installed here: {exc}")


@pytest.mark.slow
@pytest.mark.parametrize("tier", ["fast", "accurate"])
def test_clear_cases(tier):
    model = (StanceModel(models_dir() / STANCE_TIERS["fast"]) if tier == "fast"
             else accurate_model())
    predicted = model.predict(items())
    assert [p.label for p in predicted] == [label for _, _, label in CLEAR]
    negative, positive, neutral = (p.score for p in predicted)
    assert negative < -0.5 and positive > 0.5 and abs(neutral) < 0.5


def test_both_tiers_ship_with_cards():
    cards = {tier: (models_dir() / folder / "README.md").read_text(encoding="utf-8")
             for tier, folder in STANCE_TIERS.items()}
    assert "held out" in cards["accurate"] and "scored once" in cards["accurate"]
    assert "overstate" in cards["fast"]  # chosen on dev, and the card says so
    accurate = (models_dir() / STANCE_TIERS["accurate"] / "stance_config.json").read_text()
    assert f'"base_name": "{bases.NAME}"' in accurate and "base_path" not in accurate
    size = sum(p.stat().st_size
               for p in (models_dir() / STANCE_TIERS["accurate"]).glob("*.safetensors"))
    assert size < 10_000_000


def test_the_accurate_tier_without_its_base(tmp_path, monkeypatch, nlp, capsys):
    for name in (bases.ENV, "HF_HUB_CACHE", "HF_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv(bases.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setattr(bases, "_part_files", lambda: None)
    with pytest.raises(BaseUnavailable, match=r"attribution\[accurate\]"):
        Annotator(nlp, sourcing=False, stance="accurate")
    wrong = tmp_path / "wrong"
    wrong.mkdir()
    (wrong / "config.json").write_text("{}", encoding="utf-8")
    (wrong / "model.safetensors").write_bytes(b"not the weights")
    with pytest.raises(BaseUnavailable, match="not the all-mpnet-base-v2"):
        Annotator(nlp, sourcing=False, stance="accurate", stance_base=wrong)
    text = tmp_path / "a.txt"
    text.write_text("Officials said the talks failed.", encoding="utf-8")
    assert main(["annotate", str(text), "--stance", "accurate", "--stance-base",
                 str(wrong)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not the all-mpnet-base-v2" in err
    assert main(["annotate", str(text), "--stance-base", str(wrong)]) == 2
    assert "--stance-base needs --stance accurate" in capsys.readouterr().err
    with pytest.raises(ValueError, match="takes no base folder"):
        StanceModel(models_dir() / STANCE_TIERS["fast"], base=wrong)


def test_stance_off_and_fast_from_the_command_line(tmp_path, capsys):
    text = tmp_path / "a.txt"
    text.write_text("Critics called Mayor Ruiz a liar.", encoding="utf-8")
    assert main(["annotate", str(text), "--format", "json", "--stance", "off"]) == 0
    assert '"stance": []' in capsys.readouterr().out
