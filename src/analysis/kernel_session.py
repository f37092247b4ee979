"""What a warm kernel runs between notebooks, inside the kernel (analysis.warm_kernels):
getting ready, a fresh start before each notebook, and publishing a document.

A kernel that runs several notebooks one after another must give each the start a fresh kernel
would: an empty namespace, execution counts from 1, no open figures, the plotting settings the
package's imports left, the same working directory, and warnings shown again where a first
notebook already showed them. What it keeps on purpose is what a fresh kernel would build the
same way: imported modules and the reference data they cache (read-only).
"""

from __future__ import annotations

import gc
import importlib
import json
import logging
import os
import sys
import warnings

import matplotlib

from analysis.documents import publish_document

# Every module a notebook imports (notebooks/0*.ipynb), loaded once per kernel.
NOTEBOOK_MODULES = (
    "analysis.context",
    "analysis.publish",
    "analysis.geography",
    "analysis.readiness",
    "analysis.selection",
    "analysis.outcomes",
    "analysis.brief",
)

_START: dict = {}
_LIBRARY_LOG = logging.getLogger("weasyprint")


def preload() -> None:
    """Import what the notebooks import and remember the state a fresh notebook starts from."""
    for name in NOTEBOOK_MODULES:
        importlib.import_module(name)
    _START["rc"] = matplotlib.rcParams.copy()
    _START["cwd"] = os.getcwd()


def fresh_start(shell) -> None:
    """Put the kernel back where `preload` left it, before the next notebook's first cell."""
    pyplot = sys.modules.get("matplotlib.pyplot")  # the package draws without it; a notebook might not
    if pyplot is not None:
        pyplot.close("all")
    shell.reset(new_session=True)  # namespace, output history; execution count back to 1
    gc.collect()  # what the last notebook held (large frames at 10,000 applicants) goes before the next
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        matplotlib.rcParams.update(_START["rc"])
    os.chdir(_START["cwd"])
    mutated = getattr(warnings, "_filters_mutated", None)
    if mutated is not None:  # every module's once-only warning registry starts again
        mutated()


def publish(arguments: str) -> None:
    """Publish one document (analysis.documents.Publishing sends the arguments as JSON).

    WeasyPrint's messages go to the kernel's own stderr, which a run collects for run.log
    (analysis.chatter), as they did when documents were published in the run's process."""
    if not _LIBRARY_LOG.handlers:
        handler = logging.StreamHandler(sys.__stderr__)
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        handler.setLevel(logging.WARNING)
        _LIBRARY_LOG.addHandler(handler)
    publish_document(**json.loads(arguments))
