"""`cip-analysis lab`: JupyterLab on notebooks/ with the project's kernel as the default.

Run layer (only cli.py imports it); it may import paths and the pipeline's kernel name. Every
word after `lab` goes to Jupyter unchanged, so `--no-browser`, `--port`, `--ip` and any other
JupyterLab option work; ours come first, so an option given on the command line wins.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterable, Sequence

from jupyter_client.kernelspec import KernelSpecManager

from analysis import paths
from analysis.notebook_runs import KERNEL_NAME

KERNEL_DISPLAY_NAME = "Python (cip-analysis)"


class LabError(RuntimeError):
    """JupyterLab cannot start as asked; the message says what to do."""


def running_as_root() -> bool:
    """Effective uid 0 (containers, shared servers); always False where uids do not exist."""
    return hasattr(os, "geteuid") and os.geteuid() == 0


def jupyter_command(extra: Sequence[str] = (), *, as_root: bool = False) -> list[str]:
    """The JupyterLab command line: our defaults, `--allow-root` for root, then the user's words.

    The root is notebooks/ rather than the repository: the file browser shows what a researcher
    works on, and data/raw/ (real exports) and restricted/ (organisation names) are out of its
    reach, so personal data cannot be opened in a browser tab by a stray click. The notebooks find
    every folder from the repository root themselves, so the working folder does not matter.
    """
    cmd = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        f"--ServerApp.root_dir={paths.NOTEBOOKS_DIR}",
        f"--MappingKernelManager.default_kernel_name={KERNEL_NAME}",
    ]
    if as_root and "--allow-root" not in extra:
        cmd.append("--allow-root")  # otherwise Jupyter exits: "Running as root is not recommended"
    return cmd + list(extra)


def require_kernel(installed: Iterable[str]) -> None:
    """Stop with the install command when the project's kernel is not registered with Jupyter."""
    if KERNEL_NAME not in set(installed):
        raise LabError(
            f"the Jupyter kernel '{KERNEL_NAME}' is not installed; install it with\n"
            f"  {sys.executable} -m ipykernel install --sys-prefix --name {KERNEL_NAME} "
            f'--display-name "{KERNEL_DISPLAY_NAME}"\n'
            "(scripts/setup.sh does this)"
        )


def launch(extra: Sequence[str]) -> int:
    """Start JupyterLab in place of this process, so Ctrl-C and `kill` reach Jupyter itself."""
    require_kernel(KernelSpecManager().find_kernel_specs())
    as_root = running_as_root()
    if as_root and "--allow-root" not in extra:
        print("running as root: passing --allow-root to JupyterLab")
    cmd = jupyter_command(extra, as_root=as_root)
    sys.stdout.flush()
    sys.stderr.flush()
    if os.name == "posix":
        os.execv(cmd[0], cmd)
    return subprocess.call(cmd)
