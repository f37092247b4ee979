"""`cip-analysis lab`: options reach Jupyter, root is allowed, the project kernel is the default."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from analysis import lab, paths
from analysis.cli import _parser
from analysis.notebook_steps import NOTEBOOKS


def test_every_word_after_lab_goes_to_jupyter():
    words = ["--no-browser", "--port", "8899", "--ip", "127.0.0.1", "--help", "--debug", "-y"]
    args = _parser().parse_args(["lab", *words])
    assert args.command == "lab" and args.jupyter_args == words
    assert _parser().parse_args(["--debug", "lab"]).debug


def test_command_sets_kernel_and_root_then_passes_options_in_order():
    cmd = lab.jupyter_command(["--port=8899", "--no-browser"])
    assert cmd[:4] == [sys.executable, "-m", "jupyter", "lab"]
    assert f"--ServerApp.root_dir={paths.NOTEBOOKS_DIR}" in cmd
    assert "--MappingKernelManager.default_kernel_name=cip-analysis" in cmd
    assert "--allow-root" not in cmd
    # The user's words come last, so an option given on the command line overrides ours.
    assert cmd[-2:] == ["--port=8899", "--no-browser"]


def test_root_gets_allow_root_once():
    assert lab.jupyter_command([], as_root=True).count("--allow-root") == 1
    assert lab.jupyter_command(["--allow-root"], as_root=True).count("--allow-root") == 1


def test_missing_kernel_names_the_install_command():
    with pytest.raises(lab.LabError, match=r"ipykernel install --sys-prefix --name cip-analysis"):
        lab.require_kernel(["python3"])
    lab.require_kernel(["python3", "cip-analysis"])


def test_missing_kernel_is_a_message_not_a_traceback(monkeypatch, capsys):
    from analysis import cli

    monkeypatch.setattr(lab.KernelSpecManager, "find_kernel_specs", lambda self: {"python3": "/x"})
    assert cli.main(["lab", "--no-browser"]) == 1
    err = capsys.readouterr().err
    assert "cip-analysis lab failed: the Jupyter kernel 'cip-analysis' is not installed" in err
    assert "Traceback" not in err


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, token: str):
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


@pytest.mark.slow
def test_lab_serves_the_notebooks_with_the_project_kernel_as_default(tmp_path):
    """Headless on a free localhost port; checked through Jupyter's REST API, then stopped."""
    port, token = _free_port(), "cip-test-token"
    env = {
        **os.environ,
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "workspaces"),
        "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / "settings"),
    }
    log = tmp_path / "lab.log"
    base = f"http://127.0.0.1:{port}"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "analysis.cli", "lab", "--no-browser", "--ip", "127.0.0.1"]
            + ["--port", str(port), f"--IdentityProvider.token={token}", "--ServerApp.port_retries=0"],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,  # its own process group, so the finally below reaches every child
        )
    try:
        deadline = time.monotonic() + 90
        specs = None
        while specs is None:
            assert proc.poll() is None, f"JupyterLab exited early:\n{log.read_text()}"
            assert time.monotonic() < deadline, f"JupyterLab did not answer in 90 s:\n{log.read_text()}"
            try:
                specs = _get(f"{base}/api/kernelspecs", token)
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.5)
        assert specs["default"] == "cip-analysis"
        assert specs["kernelspecs"]["cip-analysis"]["spec"]["display_name"] == "Python (cip-analysis)"
        listed = {item["name"]: item["type"] for item in _get(f"{base}/api/contents", token)["content"]}
        assert {f"{step.name}.ipynb" for step in NOTEBOOKS} <= set(listed)
        assert listed.get("exploratory") == "directory"
        with pytest.raises(urllib.error.HTTPError):  # only the token opens it
            urllib.request.urlopen(f"{base}/api/contents", timeout=5)
        if lab.running_as_root():
            assert "running as root: passing --allow-root to JupyterLab" in log.read_text()
        proc.terminate()  # `lab` replaced itself with Jupyter: SIGTERM is a clean shutdown
        assert proc.wait(timeout=30) == 0, log.read_text()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
