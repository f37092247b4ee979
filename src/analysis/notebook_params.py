"""The parameters a run passes to each notebook, and the check that every notebook declares them.

Papermill only warns about a parameter the notebook's `parameters` cell does not declare, so a
misspelt parameter would silently leave the notebook on its default; the run checks first.
"""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat


class NotebookParameterError(RuntimeError):
    """A notebook's `parameters` cell is missing, doubled, or lacks a parameter the run passes."""


def notebook_parameters(config_path: str, processed: Path, build: Path, year: int, synthetic: bool) -> dict:
    """JSON-safe values only: papermill writes them into the notebook as Python literals."""
    return {
        "year": int(year),
        "config_path": config_path,
        "processed_dir": str(processed),
        "output_dir": str(build),
        "synthetic": bool(synthetic),
    }


def declared_parameters(nb_path: Path) -> set[str]:
    """Names assigned in the notebook's `parameters` cell (papermill's own inspection needs a kernelspec)."""
    nb = nbformat.read(nb_path, as_version=4)
    cells = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(cells) != 1:
        raise NotebookParameterError(
            f"{nb_path.name} must have exactly one cell tagged `parameters` (found {len(cells)})"
        )
    tree = ast.parse(cells[0].source)
    return {
        t.id
        for node in tree.body
        if isinstance(node, (ast.Assign, ast.AnnAssign))
        for t in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(t, ast.Name)
    }


def check_declared(nb_path: Path, params: dict) -> None:
    declared = declared_parameters(nb_path)
    unknown = sorted(set(params) - declared)
    if unknown:
        raise NotebookParameterError(
            f"{nb_path.name} does not declare the parameter(s) {unknown} in its "
            "`parameters` cell; add them there (papermill would only warn)"
        )
