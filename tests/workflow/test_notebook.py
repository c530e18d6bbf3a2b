"""The exploration notebook runs top to bottom against the outputs of config/test.yaml.

Kernel resolution: the notebook is executed in a kernel named ``python3`` whose kernelspec is
written by ipykernel into a private temporary directory (``argv[0] = sys.executable``), so the
kernel always runs on the interpreter (and virtual environment) that runs pytest, whatever
kernelspecs the user has registered elsewhere.  (Without it, jupyter_client would pick the
``python3`` kernelspec that ipykernel installs into ``<venv>/share/jupyter/kernels`` -- preferred over
user directories inside a virtual environment -- and replace its ``"python"`` by sys.executable.)
The last check asserts that the kernel's ``sys.prefix`` is the test's.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbclient
import nbformat
import pytest
from ipykernel.kernelspec import write_kernel_spec
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = REPO / "notebooks"
NOTEBOOK = NOTEBOOK_DIR / "explore_base.ipynb"
CELL_TIMEOUT = 120  # seconds per cell
KERNEL_NAME = "python3"
PREFIX_MARKER = "KERNEL_SYS_PREFIX="


def test_notebook_is_stored_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert not cell.outputs, f"cell {i} of {NOTEBOOK.name} has stored outputs (clear them)"
            assert cell.execution_count is None, f"cell {i} of {NOTEBOOK.name} has an execution count"


@pytest.mark.e2e
@pytest.mark.slow
def test_notebook_executes(test_results, tmp_path, monkeypatch):
    # the kernel inherits this process's environment
    monkeypatch.setenv("RNNSTRUCT_RESULTS", str(test_results))
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        monkeypatch.setenv(var, "1")
    monkeypatch.delenv("MPLBACKEND", raising=False)

    kernels = tmp_path / "kernels"
    write_kernel_spec(kernels / KERNEL_NAME)
    km = KernelManager(
        kernel_name=KERNEL_NAME, kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(kernels)])
    )
    assert km.kernel_spec.argv[0] == sys.executable

    nb = nbformat.read(NOTEBOOK, as_version=4)
    n_cells = len(nb.cells)
    nb.cells.append(nbformat.v4.new_code_cell(f"import sys; print({PREFIX_MARKER!r} + sys.prefix)"))
    client = nbclient.NotebookClient(
        nb,
        km=km,
        kernel_name=KERNEL_NAME,
        timeout=CELL_TIMEOUT,
        allow_errors=False,
        resources={"metadata": {"path": str(NOTEBOOK_DIR)}},
    )
    client.execute()  # raises CellExecutionError on the first failing cell

    outputs = [out for cell in nb.cells[:n_cells] if cell.cell_type == "code" for out in cell.outputs]
    errors = [out for out in outputs if out.output_type == "error"]
    assert not errors, "error outputs: " + "; ".join(f"{e.ename}: {e.evalue}" for e in errors)
    images = [out for out in outputs if "image/png" in out.get("data", {})]
    assert images, "the notebook produced no image output"
    code_cells = [cell for cell in nb.cells[:n_cells] if cell.cell_type == "code"]
    assert all(cell.execution_count is not None for cell in code_cells), "some code cells were not executed"

    probe = "".join(out.get("text", "") for out in nb.cells[-1].outputs)
    assert PREFIX_MARKER + sys.prefix in probe, f"kernel ran in another environment: {probe!r}"
