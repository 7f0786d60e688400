"""The README's examples print what the README says they print, with the shipped models."""

from __future__ import annotations

import contextlib
import io
import os
import re

from attribution.cli import main

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _block_after(heading: str, language: str) -> str:
    """The first fenced block of ``language`` after ``heading`` in the README."""
    section = README[README.index(heading):]
    match = re.search(rf"```{language}\n(.*?)```", section, re.DOTALL)
    assert match is not None, f"no {language} block after {heading!r}"
    return match.group(1)


def test_python_example_prints_what_the_readme_shows():
    code = _block_after("## Example", "python")
    shown = _block_after("## Example", "text")
    printed = io.StringIO()
    cwd = os.getcwd()
    try:
        os.chdir(ROOT)  # the example opens seeds/ relative to the repository
        with contextlib.redirect_stdout(printed):
            exec(compile(code, "README.md", "exec"), {})
    finally:
        os.chdir(cwd)
    assert printed.getvalue() == shown


def test_command_line_example_prints_what_the_readme_shows(capsys):
    block = _block_after("From the command line", "text").splitlines()
    command, shown = block[0], block[1:]
    assert command == "$ attribution annotate seeds/ | head -6"
    assert main(["annotate", str(ROOT / "seeds")]) == 0
    assert capsys.readouterr().out.splitlines()[: len(shown)] == shown


def test_accuracy_figures_are_the_generated_ones():
    from attribution.training.figures import (
        evaluation_tables,
        figures_page,
        readme_with_figures,
        with_generated,
    )

    assert readme_with_figures(README) == README, "run python -m attribution.training.figures"
    page = (ROOT / "docs" / "figures.md").read_text(encoding="utf-8")
    assert page == figures_page(), "run python -m attribution.training.figures"
    evaluation = (ROOT / "docs" / "evaluation.md").read_text(encoding="utf-8")
    assert with_generated(evaluation, evaluation_tables()) == evaluation, (
        "run python -m attribution.training.figures")


def test_readme_schema_table_names_every_field():
    from dataclasses import fields

    from attribution import Article, Sentence

    table = README[README.index("## Output"):README.index("## Accuracy")]
    for field in fields(Sentence):
        assert f"`{field.name}`" in table, field.name
    for field in fields(Article):
        assert f"`{field.name}`" in table, field.name


def test_ci_runs_the_readme_test_command():
    commands = re.findall(r"```bash\n(python3 -m venv .*?)\n```", README)
    assert len(commands) == 2, "README keeps two commands: the seeds run and the tests"
    assert commands[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[0].endswith("attribution annotate seeds/")
