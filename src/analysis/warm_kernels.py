"""Warm kernels: each runs several of a run's notebooks, one after another.

Why: a kernel costs about a second to start and two more to import pandas, matplotlib,
geopandas and the package, more than most notebooks then compute. A run of five notebooks on
two cores uses two kernels, started while the exports are checked and ingested, each importing
what every notebook needs once (`analysis.kernel_session.preload`). Before each notebook the
kernel is put back to a fresh kernel's state (`kernel_session.fresh_start`), and papermill runs
the notebook on it exactly as on a kernel of its own: same parameters cell, same outputs.

A kernel lives for the whole run, rounds of joint protection included: every notebook starts
fresh, and what a kernel keeps (modules, and the reference data they cache, read-only) is the
same in every round; the cells a round hides are read from the run's files each time.

Each kernel belongs to one thread: its client's sockets belong to that thread's event loop.
"""

from __future__ import annotations

import queue
from concurrent.futures import Future, ThreadPoolExecutor

from jupyter_client import AsyncKernelManager
from jupyter_core.utils import run_sync
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.log import logger
from papermill.utils import merge_kwargs, remove_args

from analysis import paths

KERNEL_SESSION = "__import__('analysis.kernel_session', fromlist=['_'])"
PRELOAD = f"{KERNEL_SESSION}.preload()"
FRESH_START = f"{KERNEL_SESSION}.fresh_start(get_ipython())"
ENGINE = "cip-warm-kernel"  # papermill's engine name for a notebook run on a warm kernel


class WarmKernelError(RuntimeError):
    """A kernel could not start or be prepared; the message says which and why."""


class WarmKernel:
    """One kernel and the one thread that talks to it."""

    def __init__(
        self, number: int, kernel_name: str, manager_class: type[AsyncKernelManager], timeout: float
    ):
        self.number = number
        self.kernel_name, self.manager_class, self.timeout = kernel_name, manager_class, timeout
        self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"kernel-{number}")
        self.km = self.kc = None
        self.started: Future | None = None
        self.closed = False

    def warm(self) -> Future:
        """Start the kernel and import the notebooks' modules, in the background."""
        if self.started is None:
            self.started = self.thread.submit(self._start)
        return self.started

    def submit(self, fn, *args) -> Future:
        """Run `fn(km, kc, *args)` (a notebook) in this kernel's thread once it is warm and reset."""
        self.warm()
        return self.thread.submit(self._fresh_then, fn, *args)

    def call(self, function: str, payload: str, what: str) -> Future:
        """Run `analysis.kernel_session.<function>(payload)` in the kernel, silently."""
        self.warm()
        code = f"{KERNEL_SESSION}.{function}({payload!r})"
        return self.thread.submit(self._warm_then, code, what)

    def close(self, now: bool = False) -> None:
        """Shut the kernel down and end its thread; twice is once. `now` (a run that failed or was
        interrupted) kills the kernel's process first, so a notebook or document it is running
        ends at once (its client sees a dead kernel) instead of being waited for."""
        if self.closed:
            return
        self.closed = True
        if now:
            process = getattr(getattr(self.km, "provisioner", None), "process", None)
            if process is not None and process.poll() is None:
                process.kill()
        self.thread.submit(self._stop)
        self.thread.shutdown(wait=True)

    def _start(self) -> None:
        try:
            km = self.manager_class(kernel_name=self.kernel_name)
            run_sync(km.start_kernel)(cwd=str(paths.ROOT))
            self.km = km
            kc = km.client()
            kc.start_channels()
            self.kc = kc
            run_sync(kc.wait_for_ready)(timeout=self.timeout)
        except Exception as exc:  # no such kernel, no answer: jupyter_client raises several types
            raise WarmKernelError(
                f"kernel {self.number} ('{self.kernel_name}') could not start: {type(exc).__name__}: {exc}. "
                f"Is the project's kernel installed? `bash scripts/setup.sh` installs it."
            ) from exc
        kc.allow_stdin = False
        self._silently(PRELOAD, "import the notebooks' modules")

    def _warm_then(self, code: str, what: str) -> None:
        self.started.result()
        self._silently(code, what)

    def _fresh_then(self, fn, *args):
        self.started.result()  # raises the start's error for every notebook given to this kernel
        self._silently(FRESH_START, "reset between notebooks")
        return fn(self.km, self.kc, *args)

    def _silently(self, code: str, what: str) -> None:
        try:
            reply = run_sync(self._execute)(code)
        except queue.Empty:
            raise WarmKernelError(
                f"kernel {self.number} could not {what}: no answer within {self.timeout:.0f} s"
            ) from None
        if reply["content"].get("status") != "ok":
            content = reply["content"]
            raise WarmKernelError(
                f"kernel {self.number} could not {what}: {content.get('ename')}: {content.get('evalue')}"
            )

    async def _execute(self, code: str) -> dict:
        """The shell reply to `code`, checking every second that the kernel is still alive."""
        msg_id = self.kc.execute(code, silent=True, store_history=False, allow_stdin=False)
        waited = 0.0
        while True:
            try:
                reply = await self.kc.get_shell_msg(timeout=1.0)
            except queue.Empty:
                waited += 1.0
                if not await self.km.is_alive():
                    raise WarmKernelError(f"kernel {self.number} died") from None
                if waited >= self.timeout:
                    raise
                continue
            if reply["parent_header"].get("msg_id") == msg_id:
                return reply

    def _stop(self) -> None:
        if self.kc is not None:
            self.kc.stop_channels()
        if self.km is not None:
            run_sync(self.km.shutdown_kernel)(now=True)  # also removes its connection file


class WarmKernels:
    """`count` warm kernels for one round of a run; a notebook goes to the first idle one."""

    def __init__(self, count: int, kernel_name: str, manager_class, timeout: float):
        self.kernels = [WarmKernel(i + 1, kernel_name, manager_class, timeout) for i in range(count)]
        self.busy: dict[int, Future] = {}

    def warm(self) -> None:
        for kernel in self.kernels:
            kernel.warm()

    def idle(self) -> WarmKernel | None:
        for kernel in self.kernels:
            future = self.busy.get(kernel.number)
            if future is None or future.done():
                return kernel
        return None

    def submit(self, fn, *args) -> Future:
        """A notebook for the first idle kernel: `fn(km, kc, *args)` after a fresh start."""
        kernel = self._idle_one()
        self.busy[kernel.number] = future = kernel.submit(fn, *args)
        return future

    def call(self, function: str, payload: str, what: str) -> Future:
        """`analysis.kernel_session.<function>(payload)` on the first idle kernel."""
        kernel = self._idle_one()
        self.busy[kernel.number] = future = kernel.call(function, payload, what)
        return future

    def _idle_one(self) -> WarmKernel:
        kernel = self.idle()
        if kernel is None:
            raise RuntimeError("every warm kernel is busy")
        return kernel

    def close(self, now: bool = False) -> None:
        for kernel in self.kernels:
            kernel.close(now)

    def __enter__(self) -> WarmKernels:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class _WarmClient(PapermillNotebookClient):
    """papermill's notebook client, talking to a kernel it did not start through a client it
    did not open (nbclient's own constructor clears `kc`), so it leaves both running."""

    def __init__(self, nb_man, *, kc, **kw):
        super().__init__(nb_man, **kw)
        self.kc = kc


class WarmKernelEngine(NBClientEngine):
    """papermill's nbclient engine (same arguments) on a warm kernel: `km` and `kc` are required."""

    @classmethod
    def execute_managed_notebook(
        cls,
        nb_man,
        kernel_name,
        log_output=False,
        stdout_file=None,
        stderr_file=None,
        start_timeout=60,
        execution_timeout=None,
        **kwargs,
    ):
        kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
        final = merge_kwargs(
            kwargs,
            timeout=execution_timeout,
            startup_timeout=start_timeout,
            kernel_name=kernel_name,
            log=logger,
            log_output=log_output,
            stdout_file=stdout_file,
            stderr_file=stderr_file,
        )
        return _WarmClient(nb_man, **final).execute()


papermill_engines.register(ENGINE, WarmKernelEngine)
