"""The same inputs give byte-identical published HTML on any day: no date comes from the clock.

The brief, an appendix and the landing page are published twice from one executed run, once
today and once under `faketime` years later; every byte must agree (dates come from
`[publication]` in the settings).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from analysis import paths

pytestmark = pytest.mark.slow

PUBLISH = """
import json, shutil, sys
from pathlib import Path
from analysis.config import load_config
from analysis.publish import publish_notebook
from analysis.publish.site import build_year_site
src, out, year = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
manifest = json.loads(sys.argv[4])
shutil.copytree(src / "internal" / "findings", out / "findings")
for name, stem in (("05_policy_brief", f"policy-brief-{year}"), ("03_selection", "appendix-3-selection")):
    publish_notebook(src / "internal" / "executed" / f"{name}.ipynb", out / stem, title=f"{name} - {year}",
                     synthetic=True, manifest=manifest)
build_year_site(out, year, load_config(year), out / "findings", True)
"""


@pytest.mark.skipif(
    shutil.which("faketime") is None and not os.environ.get("CI"),
    reason="needs faketime (Debian package faketime)",
)
def test_publishing_on_another_day_gives_byte_identical_html(runs, tmp_path):
    root, summaries = runs
    year = 2026
    src = summaries[year].reports_dir
    manifest = {
        k: v
        for k, v in json.loads((src / "internal" / "run-manifest.json").read_text()).items()
        if k != "timings"
    }
    env = {"PYTHONPATH": str(paths.ROOT / "src"), "PATH": "/usr/bin:/bin"}
    outputs = []
    for when, prefix in (("today", []), ("2031", ["faketime", "2031-06-01 12:00:00"])):
        out = tmp_path / when
        cmd = [*prefix, sys.executable, "-c", PUBLISH, str(src), str(out), str(year), json.dumps(manifest)]
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr[-2000:]
        outputs.append(out)
    names = [f"policy-brief-{year}.html", "appendix-3-selection.html", "index.html"]
    for name in names:
        assert (outputs[0] / name).read_bytes() == (outputs[1] / name).read_bytes(), name
    assert "Published 3 December 2026" in (outputs[1] / f"policy-brief-{year}.html").read_text()
