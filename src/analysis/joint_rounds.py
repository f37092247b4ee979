"""Rounds of joint protection in a run: hide what the whole publication needs, rerun, check again.

When the disclosure check of the whole publication fails, its error carries what the joint
protection would hide (`publish.joint.propose`). Here those cells are added to the year's
`internal/joint-hides.json`, which the notebooks' protection reads (`RunContext.rules`) and
their step keys include (`step_keys`), so the pipeline reruns them and checks again: at most
`[disclosure] joint_rounds` rounds, then the run stops as before. The hides persist with the
year's reports: the next run starts from them, so an unchanged rerun reuses every step and is
byte-identical. Delete the file (and rerun) to start the year's joint protection afresh.
Run layer: imports paths and disclosure.joint.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from analysis import paths
from analysis.disclosure.joint import HIDES_FILE, read_hides, write_hides


class JointRounds:
    """The year's joint hides during one run: `build` is the staged reports folder."""

    def __init__(self, build: Path, last_good: Path, config, say: Callable[[str], None]):
        self.path = paths.internal_dir(build) / HIDES_FILE
        self.limit = int(config.section("disclosure").get("joint_rounds", 3))
        self.say, self.rounds, self.stopped = say, 0, ""
        kept = paths.internal_dir(last_good) / HIDES_FILE
        if kept.exists():  # the hides stand for the year: start from the last good run's
            self.path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(kept, self.path)

    @property
    def hidden(self) -> int:
        """How many cells the joint protection hides in the year."""
        return sum(len(h) for h in read_hides(self.path).values())

    def another_round(self, error: Exception) -> bool:
        """Add the hides `error` proposes and say so; False when there is nothing more to try."""
        proposal = getattr(error, "proposal", None)
        if proposal is None or proposal.stuck or not proposal.hides:
            return False
        if self.rounds >= self.limit:
            self.stopped = (
                f"  joint protection stopped after {self.rounds} round(s) ([disclosure] joint_rounds)"
            )
            return False
        current = {(area, h) for area, hides in read_hides(self.path).items() for h in hides}
        new = proposal.hides - current
        if not new:
            self.stopped = (
                "  joint protection: the cells above were hidden in the last round but are still printed "
                "(a table not protected under that caption); merge the categories concerned"
            )
            return False
        by_area: dict[str, set[str]] = {}
        for area, origin in current | new:
            by_area.setdefault(area, set()).add(origin)
        write_hides(self.path, by_area)
        self.rounds += 1
        self.say(
            f"  joint protection: {len(new)} more cell(s) hidden across {len(proposal.tables)} table(s); "
            f"rerunning what they change (round {self.rounds} of at most {self.limit})"
        )
        return True

    def why(self, error: Exception) -> str:
        """The error's message with why the joint protection stopped, if it did."""
        return f"{error}\n{self.stopped}" if self.stopped else str(error)
