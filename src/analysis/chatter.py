"""Other programs' messages go to run.log, not to the console.

Jupyter kernels, WeasyPrint and other libraries print warnings meant for their developers
("[IPKernelApp] WARNING | Kernel is running over TCP without encryption", "KeyboardInterrupt
caught in kernel" at shutdown, CSS properties WeasyPrint ignores). On the console a user reads
ERROR where nothing went wrong, so a normal run collects them in a file that ends up in run.log;
`--debug` shows them on the console as well.
"""

from __future__ import annotations

import logging
from pathlib import Path

from jupyter_client import AsyncKernelManager

OWN_LOGGER = "analysis"


def is_own(record: logging.LogRecord) -> bool:
    """A message from the project itself (its loggers are all under `analysis`)."""
    return record.name == OWN_LOGGER or record.name.startswith(OWN_LOGGER + ".")


class OwnMessagesOnly(logging.Filter):
    """For the console handler of a normal run."""

    def filter(self, record: logging.LogRecord) -> bool:
        return is_own(record)


class _ToFile(logging.Handler):
    def __init__(self, path: Path):
        super().__init__(logging.INFO)
        self.path = path
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        if is_own(record):
            return
        try:
            with self.path.open("a", encoding="utf-8") as fh:
                fh.write(self.format(record) + "\n")
        except OSError:
            pass


def kernel_manager_class(path: Path | None) -> type[AsyncKernelManager]:
    """A kernel manager whose kernels write their stdout and stderr to `path` (None: inherited)."""

    class QuietKernelManager(AsyncKernelManager):
        async def _async_launch_kernel(self, kernel_cmd, **kw):
            if path is None:
                return await super()._async_launch_kernel(kernel_cmd, **kw)
            with path.open("ab") as fh:  # the kernel keeps its own copy of the descriptor
                kw.setdefault("stdout", fh)
                kw.setdefault("stderr", fh)
                return await super()._async_launch_kernel(kernel_cmd, **kw)

    return QuietKernelManager


class Collector:
    """Collects other programs' messages during a run into one file, read back for run.log."""

    def __init__(self, path: Path, *, to_console: bool):
        self.path = Path(path)
        self.to_console = to_console
        self.handler = _ToFile(self.path)

    def __enter__(self) -> Collector:
        self.path.touch()
        logging.getLogger().addHandler(self.handler)
        return self

    def __exit__(self, *exc) -> None:
        logging.getLogger().removeHandler(self.handler)

    @property
    def kernel_manager_class(self) -> type[AsyncKernelManager]:
        return kernel_manager_class(None if self.to_console else self.path)

    def text(self) -> str:
        try:
            return self.path.read_text(encoding="utf-8", errors="replace").strip()
        except OSError:
            return ""
