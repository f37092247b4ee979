"""What each step of a run reads, as the key `analysis.step_store` reuses it by.

Ingest reads the input files, the settings, the pseudonym key and the code. A notebook reads the
processed tables and the names beside them, the settings, the code, its notebook file, in a later
year the draw year's audit pack, the cells the joint protection hides in its area
(`internal/joint-hides.json`) and the findings of the notebooks it runs after (their keys). Within
one run, a step whose key has not changed since it ran or was reused in an earlier round of the
joint protection is left as it is. Publishing a document reads its notebook's outputs and the
printed part of the run manifest; the year's site reads every document and finding. Run layer:
imports step_store, paths, publish.site and disclosure.joint (the hides file).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from analysis import paths
from analysis import step_store as steps
from analysis.disclosure.joint import HIDES_FILE, read_hides
from analysis.publish.downloads import load_findings
from analysis.publish.site import build_year_downloads, build_year_page

_INTERNAL = paths.INTERNAL_FOLDER
INGEST_WRITES = ("processed:**/*", "restricted:organisations.csv")
# The area whose findings each analysis notebook writes (the joint protection's hides are by area).
NOTEBOOK_AREAS = {
    "01_applicant_geography": "geography",
    "02_organisational_readiness": "readiness",
    "03_selection": "selection",
    "04_member_outcomes": "outcomes",
}
# What each notebook writes besides its executed notebook ("root:glob"; roots in step_store).
NOTEBOOK_WRITES = {
    "01_applicant_geography": (
        f"reports:{_INTERNAL}/findings/geography.json",
        f"reports:{_INTERNAL}/findings/geography.truth.json",
    ),
    "02_organisational_readiness": (
        f"reports:{_INTERNAL}/findings/readiness.json",
        f"reports:{_INTERNAL}/findings/readiness.truth.json",
    ),
    "03_selection": (
        f"reports:{_INTERNAL}/findings/selection.json",
        f"reports:{_INTERNAL}/findings/selection.truth.json",
        f"reports:{_INTERNAL}/{paths.AUDIT_PACK_FOLDER}/**/*",
        "reports:selection/**/*",
        "restricted:selection/**/*",
    ),
    "04_member_outcomes": (
        f"reports:{_INTERNAL}/findings/outcomes.json",
        f"reports:{_INTERNAL}/findings/outcomes.truth.json",
    ),
}


def ingest_key(manifest: dict, config: Any, synthetic: bool, key_print: str | None) -> str:
    return steps.key_of(
        {
            "inputs": manifest["inputs_sha256"],
            "config": config.fingerprint,
            "code": steps.code_digest(),
            "synthetic": synthetic,
            "pseudonym_key": key_print,
        }
    )


class RunSteps:
    """The keys of the notebook, publishing and site steps of one run, computed after ingest.

    `notebooks`: the pipeline's steps (`name`, `after`) in dependency order.
    """

    def __init__(
        self,
        store: steps.StepStore,
        notebooks: Sequence[Any],
        config: Any,
        params: dict,
        manifest: dict,
        reports_root: Path,
    ):
        self.store, self.config = store, config
        year = int(params["year"])
        draw_year = int(config.section("selection").get("draw_year", year))
        pack = paths.audit_pack_dir(reports_root / str(draw_year))
        hides = paths.internal_dir(store.staged["reports"]) / HIDES_FILE
        common = {
            "processed": steps.tree_digest(Path(params["processed_dir"])),
            "restricted": steps.tree_digest(store.staged["restricted"]),
            "config": config.fingerprint,
            "code": steps.code_digest(),
            "year": year,
            "synthetic": params["synthetic"],
            "draw_pack": steps.tree_digest(pack) if draw_year != year else "",
        }
        self.notebooks, self.common, self.hides = notebooks, common, hides
        self.printed = {k: v for k, v in manifest.items() if k != "created_utc"}  # the clock is not printed
        self.keys: dict[str, str] = {}
        self.done: dict[str, str] = {}  # step -> the key it was run or reused under in this run
        self._site_reused: list[Path] | None = None
        self._downloads: tuple[list, list[Path]] = ([], [])
        self.rekey()

    def rekey(self) -> None:
        """The keys again after the joint protection changed the year's hides (the rest as read
        at the start of the run, so a later run with the same hides computes the same keys)."""
        hides = read_hides(self.hides)
        for step in self.notebooks:
            notebook = steps.sha256_bytes(paths.NOTEBOOKS_DIR / f"{step.name}.ipynb")
            after = {a: self.keys[a] for a in step.after}
            joint = sorted(hides.get(NOTEBOOK_AREAS.get(step.name, ""), ()))
            parts = {**self.common, "notebook": notebook, "after": after}
            self.keys[step.name] = steps.key_of({**parts, "joint_hides": joint} if joint else parts)
            self.keys[f"publish-{step.name}"] = steps.key_of(
                {"notebook": self.keys[step.name], "manifest": self.printed, "code": self.common["code"]}
            )

    def _done(self, name: str) -> bool:
        """Run or reused in an earlier round of this run under the same key: nothing to do."""
        return self.done.get(name) == self.keys[name]

    def reuse(self, step: Any) -> bool:
        if self._done(step.name) or self.store.reuse(step.name, self.keys[step.name]) is not None:
            self.done[step.name] = self.keys[step.name]
            return True
        return False

    def ran(self, step: Any) -> None:
        self.done[step.name] = self.keys[step.name]
        self.store.record(
            step.name,
            self.keys[step.name],
            (f"reports:{_INTERNAL}/executed/{step.name}.ipynb", *NOTEBOOK_WRITES.get(step.name, ())),
        )

    def reuse_published(self, step: Any) -> bool:
        name = f"publish-{step.name}"
        if self._done(name) or self.store.reuse(name, self.keys[name]) is not None:
            self.done[name] = self.keys[name]
            return True
        return False

    def published(self, step: Any, files: Sequence[Path]) -> None:
        name = f"publish-{step.name}"
        self.done[name] = self.keys[name]
        self.store.record(name, self.keys[name], [f"reports:{p.name}" for p in files])

    def _site_key(self) -> str:
        return steps.key_of(
            {"documents": self.keys, "config": self.config.fingerprint, "code": steps.code_digest()}
        )

    def downloads(self, build: Path, year: int, synthetic: bool) -> None:
        """The year's downloads, written as soon as the findings are final (the documents may still
        be typesetting), or the last run's site reused whole when nothing it shows changed."""
        reused = self.store.reuse("site", self._site_key())
        if reused is not None:
            self._site_reused = [build / rel for rel in reused["outputs"]]
            return
        findings = load_findings(paths.internal_dir(build) / "findings")
        self._downloads = (findings, build_year_downloads(build, year, self.config, findings, synthetic))

    def site(self, build: Path, year: int, synthetic: bool) -> list[Path]:
        """The year's downloads and landing page, once every document is published (after `downloads`)."""
        if self._site_reused is not None:
            return self._site_reused
        findings, written = self._downloads
        outputs = [*written, build_year_page(build, year, self.config, findings, synthetic)]
        rel = [str(p.relative_to(build)) for p in outputs]
        self.store.record("site", self._site_key(), [f"reports:{r}" for r in rel], {"outputs": rel})
        return outputs
