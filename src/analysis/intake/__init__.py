"""Intake: raw exports → validated, pseudonymised tidy tables, with every row accounted for.

The compute layer's first step. It may import only the base layer (reference, text, config,
paths, manifest). One job per module, lowest first:

- `quality`: IntakeError and the TableLog every row is counted in;
- `read`: CSV/XLSX exports read as text, with spreadsheet row numbers;
- `dates`: the one reader of dates and timestamps (whole column, row order, clock changes);
- `fields`: question texts → canonical fields, answers → typed values;
- `exclude`: the responses staff leave out on purpose (`[inputs] exclude_responses`);
- `names`: the one name normaliser (organisations and parent bodies) and "no parent body" answers;
- `orgkeys`: which rows are one organisation (name, place, staff merge/split decisions);
- `roster`: a roster's rows as dated events, the latest standing;
- `identity`: one organisation however it is spelt, its latest answer, its parent body;
- `pseudonym`: keyed-hash ids and the key they are made with;
- `region`: region and nation from the postcode or the stated answer;
- `schemas`: pandera checks of every table before it is written;
- `tables`: one input → one tidy table (callout, member surveys, workshops, roster);
- `year`: every input of a year → `data/processed/<year>/` and the quality log;
- `check`: every problem of every input of a year at once, and the settings lines that fix them;
- `check_values`: check's dates, excluded rows and unusable shares, read the way a run reads them.
"""

from analysis.intake.pseudonym import resolve_key
from analysis.intake.quality import IntakeError, TableLog
from analysis.intake.read import read_export
from analysis.intake.tables import ingest_callout, ingest_member_survey, ingest_roster, ingest_workshops
from analysis.intake.year import ingest_year

__all__ = [
    "IntakeError",
    "TableLog",
    "ingest_callout",
    "ingest_member_survey",
    "ingest_roster",
    "ingest_workshops",
    "ingest_year",
    "read_export",
    "resolve_key",
]
