"""Figures render to PNG with no display; the report holds every outlet; the CLI writes it."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from attribution.analysis import sourcing_profile, stance_profile
from attribution.cli import main
from attribution.plots import plot_anonymous_rate, plot_label_shares, plot_stance_heatmap
from attribution.report import write_report

from .frames import hand_frame, row


@pytest.fixture
def frame() -> pd.DataFrame:
    return hand_frame()


PNG = b"\x89PNG\r\n\x1a\n"


def png_of(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def test_figures_render_without_a_display(frame):
    profile = sourcing_profile(frame, n_boot=50)
    stance_p = stance_profile(frame, n_boot=50)
    for fig in (plot_label_shares(profile), plot_label_shares(profile, of_attributed=True),
                plot_anonymous_rate(profile), plot_stance_heatmap(stance_p),
                plot_stance_heatmap(stance_p.iloc[0:0])):
        assert png_of(fig).startswith(PNG)


def test_report_holds_every_outlet(frame, tmp_path):
    more = pd.DataFrame([row("Daily Planet", "c1", "editorial"), row("Sun", "s1", "anonymous",
                                                                     "officials", False)])
    paths = write_report(pd.concat([frame, more]), tmp_path, n_boot=50)
    for name in ("profile", "stance", "label_shares", "anonymous_rate", "stance_heatmap"):
        assert paths[name].exists()
    html = paths["report"].read_text(encoding="utf-8")
    for outlet in ("A", "B", "Daily Planet", "Sun"):
        assert f">{outlet}<" in html
    assert html.count("data:image/png;base64,") == 4 and "http" not in html
    profile = pd.read_csv(paths["profile"], index_col=0)
    assert set(profile.index) == {"A", "B", "Daily Planet", "Sun"}


def test_cli_annotate_resume_and_report(tmp_path, capsys):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("\n".join(json.dumps(r) for r in [
        {"id": "1", "text": "Officials said the plan failed.", "outlet": "North"},
        {"id": "2", "text": '"We won," Kim said.', "outlet": "South"},
        {"id": "3", "text": "The storm hit.", "outlet": "South"},
    ]) + "\n", encoding="utf-8")
    out = tmp_path / "annotations.jsonl"
    assert main(["annotate", str(corpus), "-o", str(out)]) == 0
    assert "3 annotated, 0 already done" in capsys.readouterr().err
    assert main(["annotate", str(corpus), "-o", str(out)]) == 0
    assert "0 annotated, 3 already done" in capsys.readouterr().err
    assert len(out.read_text(encoding="utf-8").splitlines()) == 3
    assert main(["annotate", str(corpus), "-o", str(out), "--overwrite"]) == 0
    assert "3 annotated" in capsys.readouterr().err

    report = tmp_path / "report"
    assert main(["report", str(out), "--by", "outlet", "-o", str(report), "--n-boot", "50"]) == 0
    html = (report / "report.html").read_text(encoding="utf-8")
    assert ">North<" in html and ">South<" in html


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report", "missing.jsonl", "-o", "x"], "no such annotations file"),
        (["report", "{ann}", "-o", "x", "--by", "section"], "cannot group by"),
    ],
)
def test_cli_report_errors(tmp_path, capsys, args, message):
    ann = tmp_path / "ann.jsonl"
    ann.write_text(json.dumps({"id": "1", "text": "Hi.", "sentences": [
        {"start": 0, "end": 3, "text": "Hi."}]}) + "\n", encoding="utf-8")
    args = [a.replace("{ann}", str(ann)) for a in args]
    args = [str(tmp_path / a) if a == "missing.jsonl" else a for a in args]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
