"""The walkthrough notebook: the paired .py and .ipynb agree, and the notebook runs
top to bottom on the embedded data (executed with nbclient in this environment's kernel)."""

from __future__ import annotations

from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
SCRIPT = NOTEBOOKS / "herijking_walkthrough.py"
NOTEBOOK = NOTEBOOKS / "herijking_walkthrough.ipynb"


def _sources(notebook) -> list[tuple[str, str]]:
    return [(cell.cell_type, cell.source.strip()) for cell in notebook.cells]


def test_paired_files_agree():
    jupytext = pytest.importorskip("jupytext", reason="jupytext is in the 'test' extra")
    assert _sources(jupytext.read(SCRIPT)) == _sources(jupytext.read(NOTEBOOK)), (
        "run: jupytext --sync notebooks/herijking_walkthrough.py")


def test_notebook_executes(tmp_path):
    pytest.importorskip("ipykernel", reason="ipykernel is needed to run the notebook (in the 'test' extra)")
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) == 2  # domain maps, score map with the aandachtsgebieden and Plus-IKCs
