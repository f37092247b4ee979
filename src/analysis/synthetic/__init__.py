"""Seeded generator of realistic, deliberately messy sample exports (a development tool).

Why it exists: the organisation's real exports are personal data and never enter the
repository, yet the pipeline, the notebooks and the tests need inputs that look and misbehave
like the real thing. This package writes them: a callout export as an online form produces it
(question texts as headers, UK day-first timestamps, multi-select answers joined by ", ",
free text with line breaks, names, emails and phone numbers), and for the network of ten
members the yearly member surveys, rosters and workshop logs of 2024-2026.

Everything is driven by one `random.Random(seed)` instance per call (never the global
`random` or numpy state), so the same seed gives the same bytes on every machine. Headers and
answer texts are read from `config/defaults.toml` ([mapping.*], [options.*]) so the sample
always matches the mapping intake uses; real postcodes come from `data/reference/postcodes/`.
The callout is built from the base layer alone; the network's members are then the real
2024 lottery's draw on it (`panel`: intake and `analysis.selection`), so the sample tells one story.

Modules, lowest first: `words` (invented names and texts), `places` (regional shares,
postcodes), `forms` (question and answer texts, timestamps), `draws` (seeded random helpers),
`organisations` (one applicant's answers), `callout` (the callout export), `panel` (the drawn
members, one declined place and its replacement), `members` (the network's surveys, rosters and
workshops), `writer` (files, README, command line).

Public API:
- `generate_callout(n_organisations, seed, *, messy=True) -> DataFrame` (all strings, as exported);
- `write_sample(out_dir, seed=SAMPLE_SEED) -> list[Path]` (the committed sample and its README);
- `write_csv(frame, path, ...)` (how every export here is written; also used by the fixtures);
- `name_key(name)` (how intake folds an organisation's spellings, for checks on the sample);
- `python -m analysis.synthetic [--out DIR] [--n N --seed S]` (`main`).
"""

from analysis.synthetic.callout import generate_callout
from analysis.synthetic.draws import name_key
from analysis.synthetic.writer import SAMPLE_SEED, main, write_csv, write_sample

__all__ = ["SAMPLE_SEED", "generate_callout", "main", "name_key", "write_csv", "write_sample"]
