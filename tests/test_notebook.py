"""The notebook runs headlessly, top to bottom, on the seeds path."""

from __future__ import annotations

import os

import nbformat
from nbclient import NotebookClient

from .conftest import ROOT

NOTEBOOK = ROOT / "notebooks" / "outlet_sourcing.ipynb"


def test_notebook_is_committed_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


def test_notebook_runs_on_seeds(tmp_path, monkeypatch):
    monkeypatch.setenv("ATTRIBUTION_DATA", str(tmp_path / "no-data-here"))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(ROOT / "notebooks")}})
    try:
        client.execute(env=dict(os.environ))
    except TypeError:  # older nbclient without env=
        client.execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "seeds/: 1 articles" in text and "1 annotated, 0 failed" in text
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs
                   if o.output_type in ("execute_result", "display_data"))
    assert "attribution-legend" in html
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 3, "the figures were not displayed"
