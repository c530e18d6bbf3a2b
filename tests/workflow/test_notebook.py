"""Every notebook in notebooks/ runs top to bottom against the outputs of config/test.yaml, quickly.

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
import time
from pathlib import Path

import nbclient
import nbformat
import pytest
from ipykernel.kernelspec import write_kernel_spec
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = REPO / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
CELL_TIMEOUT = 120  # seconds per cell
MAX_SECONDS = 20  # a whole notebook against the test profile's outputs (kernel start excluded)
KERNEL_NAME = "python3"
PREFIX_MARKER = "KERNEL_SYS_PREFIX="


def test_there_is_a_notebook_per_paper():
    names = {path.stem for path in NOTEBOOKS}
    expected = {"explore_base", "metzner_regularities", "clark_theory_vs_simulation", "jarne_training_spectra",
                "lyapunov_spectra"}
    assert expected <= names, sorted(expected - names)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_without_outputs(notebook):
    nb = nbformat.read(notebook, as_version=4)
    nbformat.validate(nb)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert not cell.outputs, f"cell {i} of {notebook.name} has stored outputs (clear them)"
            assert cell.execution_count is None, f"cell {i} of {notebook.name} has an execution count"
    source = "\n".join(cell.source for cell in nb.cells if cell.cell_type == "code")
    assert "RNNSTRUCT_RESULTS" in source and "io.read_dataset" in source, notebook.name


@pytest.mark.e2e
@pytest.mark.slow
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_executes(notebook, test_results, tmp_path, monkeypatch):
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

    nb = nbformat.read(notebook, as_version=4)
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
    with client.setup_kernel():  # the kernel start is not the notebook's cost
        start = time.perf_counter()
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)  # raises CellExecutionError on the first failing cell
        seconds = time.perf_counter() - start
    assert seconds < MAX_SECONDS, f"{notebook.name} took {seconds:.1f} s (limit {MAX_SECONDS} s)"

    outputs = [out for cell in nb.cells[:n_cells] if cell.cell_type == "code" for out in cell.outputs]
    errors = [out for out in outputs if out.output_type == "error"]
    assert not errors, "error outputs: " + "; ".join(f"{e.ename}: {e.evalue}" for e in errors)
    images = [out for out in outputs if "image/png" in out.get("data", {})]
    assert images, "the notebook produced no image output"
    code_cells = [cell for cell in nb.cells[:n_cells] if cell.cell_type == "code"]
    assert all(cell.execution_count is not None for cell in code_cells), "some code cells were not executed"

    probe = "".join(out.get("text", "") for out in nb.cells[-1].outputs)
    assert PREFIX_MARKER + sys.prefix in probe, f"kernel ran in another environment: {probe!r}"
