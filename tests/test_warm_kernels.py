"""Warm kernels (analysis.warm_kernels): a notebook run on a kernel that ran another one starts as
it would on a fresh kernel, and a kernel's failures reach the run as plain messages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import papermill as pm
import pytest
from jupyter_client import AsyncKernelManager

from analysis import paths
from analysis.documents import Publishing
from analysis.notebook_runs import KERNEL_NAME, NotebookError, execute, warm_kernels
from analysis.notebook_steps import NOTEBOOKS, NotebookStep
from analysis.warm_kernels import ENGINE, WarmKernelError, WarmKernels

# The first notebook leaves behind everything a notebook could: a name, a figure, a changed
# plotting setting, another working directory and a warning already shown once.
MESSY = [
    "leftover = 41",
    "import matplotlib, matplotlib.pyplot as plt, os, warnings\n"
    "plt.figure()\n"
    "matplotlib.rcParams['font.size'] = 31\n"
    "os.chdir('/')\n"
    "import analysis.text\n"
    "warnings.warn_explicit('shown once per place', UserWarning, 'analysis/text.py', 7, module='analysis.text',"
    " registry=analysis.text.__dict__.setdefault('__warningregistry__', {}))",
]
# The second reports what it finds.
INSPECT = [
    "import matplotlib, os, sys, warnings, analysis.text, analysis.kernel_session as session\n"
    "warnings.warn_explicit('shown once per place', UserWarning, 'analysis/text.py', 7, module='analysis.text',"
    " registry=analysis.text.__dict__.setdefault('__warningregistry__', {}))\n"
    "pyplot = sys.modules.get('matplotlib.pyplot')\n"
    "found = {'leftover': 'leftover' in globals(), 'font_size': matplotlib.rcParams['font.size'],"
    " 'start_font_size': session._START['rc']['font.size'], 'cwd': os.getcwd(),"
    " 'figures': len(pyplot.get_fignums()) if pyplot else 0}",
    "print(found)",
]


def _notebook(folder: Path, name: str, cells: list[str]) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    nb.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": KERNEL_NAME, "language": "python"}
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


def _run(km, kc, source: Path, target: Path):
    return pm.execute_notebook(
        str(source),
        str(target),
        kernel_name=KERNEL_NAME,
        progress_bar=False,
        engine_name=ENGINE,
        km=km,
        kc=kc,
    )


@pytest.fixture(scope="module")
def one_kernel():
    kernels = warm_kernels(1, AsyncKernelManager)
    yield kernels
    kernels.close()


def test_a_notebook_on_a_used_kernel_starts_as_on_a_fresh_one(tmp_path, one_kernel):
    messy, inspect = _notebook(tmp_path, "messy", MESSY), _notebook(tmp_path, "inspect", INSPECT)
    one_kernel.submit(_run, messy, tmp_path / "messy-out.ipynb").result()
    ran = one_kernel.submit(_run, inspect, tmp_path / "inspect-out.ipynb").result()
    counts = [c.execution_count for c in ran.cells]
    assert counts == [1, 2], "execution counts carried over from the earlier notebook"
    outputs = [o for c in ran.cells for o in c.outputs]
    printed = next(o.text for o in outputs if o.get("name") == "stdout")
    found = eval(printed)  # the dict the notebook printed  # noqa: S307
    assert found["leftover"] is False
    assert found["font_size"] == found["start_font_size"] != 31
    assert found["cwd"] == str(paths.ROOT)
    assert found["figures"] == 0
    warned = [o.text for o in outputs if o.get("name") == "stderr"]
    assert any("shown once per place" in text for text in warned), "a warning shown earlier was silenced"


def test_a_failing_notebook_names_its_cell_and_leaves_the_kernel_usable(tmp_path, one_kernel):
    broken = _notebook(tmp_path, "broken", ["x = 1", "raise ValueError('planted')"])
    with pytest.raises(pm.PapermillExecutionError, match="planted"):
        one_kernel.submit(_run, broken, tmp_path / "broken-out.ipynb").result()
    fine = _notebook(tmp_path, "fine", ["'x' in globals()"])
    ran = one_kernel.submit(_run, fine, tmp_path / "fine-out.ipynb").result()
    assert ran.cells[0].outputs[0]["data"]["text/plain"] == "False"


def test_a_kernel_that_cannot_start_says_so_for_every_notebook_given_to_it():
    kernels = WarmKernels(1, "no-such-kernel-for-cip", AsyncKernelManager, timeout=30)
    try:
        with pytest.raises(WarmKernelError, match="could not start.*scripts/setup.sh"):
            kernels.submit(lambda km, kc: None).result()
        with pytest.raises(WarmKernelError, match="could not start"):
            kernels.call("publish", "{}", "publish nothing").result()
    finally:
        kernels.close()
    kernels.close()  # twice is once


def test_a_missing_notebook_on_a_warm_kernel_becomes_a_plain_message(tmp_path, one_kernel):
    with pytest.raises(NotebookError, match="notebook not found"):
        one_kernel.submit(execute, NotebookStep("no_such_notebook", "nothing"), {}, tmp_path).result()


def test_a_document_that_cannot_be_published_names_itself(tmp_path, one_kernel):
    publishing = Publishing(tmp_path, 2024, True, {}, progress=lambda _: None)
    job = publishing.job(NOTEBOOKS[0], tmp_path / "missing.ipynb")
    with pytest.raises(WarmKernelError, match="could not publish appendix-3-selection: FileNotFoundError"):
        one_kernel.call("publish", job, "publish appendix-3-selection").result()
    assert json.loads(job)["stem"] == "appendix-3-selection"


def test_the_package_declines_the_slow_iri_checker_and_notebooks_still_validate():
    """jsonschema's optional "iri" checker (rfc3987_syntax) costs ~3 s per process to import."""
    code = (
        "import analysis, nbformat, sys; nb = nbformat.v4.new_notebook(); nbformat.validate(nb); "
        "print(sys.modules.get('rfc3987_syntax', 'absent'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() in {"None", "absent"}


def test_closing_now_stops_a_notebook_in_the_middle(tmp_path):
    """A failed or interrupted run does not wait for what its kernels are still running."""
    import time

    sleepy = _notebook(tmp_path, "sleepy", ["import time; time.sleep(120)"])
    kernels = warm_kernels(1, AsyncKernelManager)
    running = kernels.submit(_run, sleepy, tmp_path / "sleepy-out.ipynb")
    while not running.running():
        time.sleep(0.2)
    time.sleep(1.0)  # the cell has started
    start = time.perf_counter()
    kernels.close(now=True)
    assert time.perf_counter() - start < 30
    assert running.exception() is not None
