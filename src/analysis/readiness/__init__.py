"""Organisational readiness and ambition, relative to where each organisation is now (issue 6).

The callout promised to favour "applicants who have ambitious programmes for change relative to
where they are now"; the network then tracks how far members move. This area holds the measures
(participation level, ambition gap and band, readiness index), their reliability, the ambition
rubric the selection uses, the profiles published in appendix 2 and the brief and, from 2025,
members' change since the 2024 baseline.

Modules, from the bottom layer up:

- `measures`: settings, answer labels, ambition band, readiness index, change since baseline
  (compute; other areas' measures may import it);
- `reliability`: Cronbach's alpha, Feldt interval, sign test, bootstrap (compute);
- `counts`: the raw frames the tables protect (compute);
- `tables`: the protected tables (protect);
- `text`: headings, key messages, paragraphs, chart titles, method notes (present);
- `report`: `analyse(ctx)` → Findings and `results(ctx)` → findings plus named frames (assemble).
"""

from analysis.readiness.measures import ambition_band, member_changes
from analysis.readiness.report import AREA, ReadinessResults, analyse, results

__all__ = ["AREA", "ReadinessResults", "ambition_band", "analyse", "member_changes", "results"]
