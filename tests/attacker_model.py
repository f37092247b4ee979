"""The attacker's model: published tables (and sentences) turned into one linear system.

A cell is a key (year, population, {dimension: value}); the same key in several tables,
documents or years is one unknown. A reader knows which tables describe the same organisations
from their captions (`LINKS`), that a total is the sum of its parts, that regions add up to
England and nations to the UK (`analysis.reference`), that a share is a count over its base,
and any count a sentence states about a labelled group (`sentence_facts`), and that a
one-decimal mean of banded scores bounds the counts behind it (`mean_facts`). Independent of
the package's disclosure code: only published text goes in.

Read by their own modules into the same model: chart values and alt text against their tables'
cells (`attacker_charts`); totals of different populations in sentences (with "fewer than N"
read as a hidden count), the public selection pack and the landing pages (`attacker_facts`); a
mean change, its interval and the sign test as constraints, shares of printed totals, and
statistics over a hidden or small base (`attacker_stats`); money tables with their sums and
changes, and £ and counts per member with their members (`attacker_money`). The spreadsheet's
table sheets are read like the HTML tables: the same captions, so the same cells.

Not modelled (yet): the chances behind the banded distribution and the averages by nation (a sum
of chances is not a count); the dominance rule for money (nothing published gives one
organisation's figure); maps (values placed on regions, left to the small-count scan,
`published_counts`); a mean or interval stated only in a sentence (they are read from tables:
"X: n" columns, the mean-change tables); the readiness change table's "not comparable" against
the public survey returns; the same members read across the geography and selection tables as
one population; a CSV download the landing page does not link is its own population (its file
name is its caption). The LP is the integer relaxation: it may miss a cell pinned only by
integrality.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from analysis import reference
from attacker_read import HIDDEN, Table, count_value, share_value

TOTAL_ROWS = {"total", "united kingdom", "uk", "all with a local authority"}
NOT_ADDITIVE = "more than one answer"
YEAR = re.compile(r"^20\d\d$")


@dataclass(frozen=True)
class Link:
    """Which population a table describes and what its rows and columns are, read off the caption."""

    population: str
    row_dim: str
    columns: dict  # normalised header -> {dim: value} ({} = the population's count); else col_dim
    col_dim: str | None = None
    shares: dict = field(default_factory=dict)  # share column -> count column it divides


_GEO = Link(
    "uk applicants",
    "area",
    {"applicants": {}, "members": {"membership": "member"}, "other applicants": {"membership": "other"}},
    shares={"applicant share": "applicants"},
)
_MEMBERS_BY_NATION = Link(
    "uk applicants",
    "area",
    {"members": {"membership": "member"}, "other applicants": {"membership": "other"}, "total": {}},
)
_BAND = Link("readiness applicants", "band", {"applicants": {}})


def _cross(row_dim: str, col_dim: str, population: str = "readiness applicants") -> Link:
    counts = {"total": {}, "applicants": {}, "eligible applicants": {}, "drawn by the lottery": {}}
    return Link(population, row_dim, counts, col_dim=col_dim)


# (caption or download name pattern, link); the first match wins. Unlisted tables stand alone.
LINKS = [
    (r"^Applicants by UK (region or nation|nation)\b|^geography-by-(region|nation)$", _GEO),
    (r"^Members and other applicants by UK nation|^geography-members-by-nation$", _MEMBERS_BY_NATION),
    (r"^Applicants by ambition band|^readiness-ambition-bands$", _BAND),
    (r"^Applicants by organisation type and ambition|^readiness-profile-org-type$", _cross("type", "band")),
    (r"^Applicants by size \(staff\) and ambition|^readiness-profile-staff-band$", _cross("size", "band")),
    (r"^Applicants by nation and ambition|^readiness-profile-nation$", _cross("area", "band")),
    (
        r"^Ways of involving citizens already used, by|^readiness-practices-by-type$",
        _cross("type", "practice"),
    ),
    (r"^Ways of involving citizens already used\.|^readiness-practices$", _cross("practice", "x")),
    (
        r"^How applicants' locations were found|^geography-location-checks$",
        Link("location checks", "check", {"organisations": {}}),
    ),
    (r"^Eligible applicants by nation|^selection-eligible-by-nation$", _cross("area", "x", "eligible")),
    (
        r"^Organisations drawn by the lottery, by nation|^selection-members-by-nation$",
        _cross("area", "x", "new members"),
    ),
]
CALLOUT_POPULATIONS = {"uk applicants", "readiness applicants", "location checks", "eligible", "new members"}


def norm(text: str) -> str:
    return " ".join(text.replace("_", " ").lower().split())


def link_for(table: Table) -> Link:
    for pattern, link in LINKS:
        if re.search(pattern, table.caption):
            return link
    # A later year's reprint names a longer span ("2024", "2024 to 2025", then "2024 to 2026"): its
    # year columns are the same cells, so the span is not part of the population's name; nor are
    # the notes a caption points to ("[note 1]").
    caption = re.sub(r"\s*\[note \d+\]", "", table.caption)
    caption = re.sub(r",? 20\d\d (?:to|and) 20\d\d(?=,|$)|, 20\d\d(?=,)", "", caption)
    caption = re.sub(r",? (20\d\d)$", "", caption)
    return Link(f"table: {caption}", "row", {"total": {}}, col_dim="column")


def area_partitions() -> dict:
    """{parent: children} for the geography a reader knows: English regions -> England, and the
    merged small-nation categories of the readiness profiles."""
    nations = reference.region_nations()
    names = reference.region_names()
    english = sorted({norm(names[c]) for c, n in nations.items() if n == reference.ENGLAND})
    return {
        norm(reference.ENGLAND): english,
        "wales and northern ireland": ["wales", "northern ireland"],
        "wales, scotland and northern ireland": ["wales", "scotland", "northern ireland"],
    }


@dataclass
class Model:
    """Every published cell as a key; values where printed, places where hidden; the relations."""

    year_of_publication: int = 0
    published: dict = field(default_factory=dict)  # key -> (value, where)
    hidden: dict = field(default_factory=lambda: defaultdict(list))  # key -> [where, ...]
    partitions: dict = field(default_factory=lambda: defaultdict(set))  # (pop, dim) -> {(parent, kids)}
    inequalities: list = field(default_factory=list)  # ({key: coef}, lower, upper)
    conflicts: list = field(default_factory=list)
    flags: list = field(default_factory=list)  # what gives something away without an LP (a chart, a small n)
    per_member: list = field(default_factory=list)  # (year, measure, per member, half unit, n, is £)

    def see(self, key, text: str, where: str, parse=count_value, show="{:g}") -> None:
        """A cell as printed: hidden, a value (read by `parse`, shown by `show`), or not a number."""
        if text.strip() == HIDDEN:
            self.hidden[key].append(where)
            return
        value = parse(text)
        if value is None:
            return
        if key in self.published and self.published[key][0] != value:
            first, place = self.published[key]
            self.conflicts.append(f"{where}: {show.format(value)} but {place}: {show.format(first)}")
        self.published.setdefault(key, (value, where))


def _count_columns(table: Table) -> set[int]:
    """Columns whose printed cells are all whole counts (or hidden)."""
    out = set()
    for j in range(1, len(table.header)):
        cells = [r[j] for r in table.rows if j < len(r)]
        shown = [c for c in cells if c.strip() != HIDDEN]
        if (
            cells
            and all(count_value(c) is not None for c in shown)
            and "population" not in norm(table.header[j])
        ):
            out.add(j)
    return out


def callout_year(texts: dict[str, str]) -> int | None:
    """The callout a year's documents describe ("the 2024 callout"): later years reprint it. The
    year named most often wins (a stray "answer in the 2023 callout" must not split the keys)."""
    found = Counter(int(m) for prose in texts.values() for m in re.findall(r"\b(20\d\d) callout\b", prose))
    return min(found, key=lambda y: (-found[y], y)) if found else None


def add_table(
    model: Model, table: Table, year: int, link: Link | None = None, callout: int | None = None
) -> None:
    """Register a table's cells and the partitions its total row and column reveal.

    Counts of the callout's applicants (and the draw among them) are keyed by the callout's
    year, so a later year's reprint is the same unknown; members at a date stay per year.
    """
    link = link or link_for(table)
    header = [norm(h) for h in table.header]
    pop = link.population
    count_cols = _count_columns(table)
    caption_year = re.search(r",? (20\d\d)$", table.caption)
    base_year = int(caption_year.group(1)) if caption_year else year
    top_rows, row_keys = [], []
    for row in table.rows:
        label = norm(row[0])
        dims, y = {}, base_year
        if YEAR.match(label):
            y = int(label)
        elif label not in TOTAL_ROWS:
            dims[link.row_dim] = label
        row_keys.append((dims, y))
        if dims:
            top_rows.append(label)
    if len(top_rows) < len(table.rows):  # a total row: its rows are a partition
        kids = (
            area_partitions().get("england", []) if link.row_dim == "area" and "england" in top_rows else []
        )
        model.partitions[(pop, link.row_dim)].add((None, tuple(r for r in top_rows if r not in kids)))
    col_parts = []
    for j in sorted(count_cols):
        extra = _column_dims(link, header[j])
        if extra is None:
            continue
        if link.col_dim and extra:
            col_parts.append(extra[link.col_dim])
        for row, (dims, y) in zip(table.rows, row_keys):
            if j < len(row):
                y2 = int(header[j]) if YEAR.match(header[j]) else y
                cell = {**dims, **extra}
                if callout and pop in CALLOUT_POPULATIONS and "membership" not in cell:
                    y2 = callout
                key = (y2, pop, frozenset(cell.items()))
                model.see(
                    key, row[j], f"{table.document} | {table.caption[:70]} | {row[0]} | {table.header[j]}"
                )
    if link.col_dim and "total" in header and NOT_ADDITIVE not in table.caption and col_parts:
        model.partitions[(pop, link.col_dim)].add((None, tuple(col_parts)))
    _add_shares(model, table, link, header, row_keys)


def _column_dims(link: Link, head: str) -> dict | None:
    if YEAR.match(head):
        return {}
    if head in link.columns:
        return dict(link.columns[head])
    if link.col_dim:
        return {link.col_dim: head}
    return None


def _add_shares(model: Model, table: Table, link: Link, header: list[str], row_keys) -> None:
    """A printed share of a hidden count bounds it: (p - h) x base <= count <= (p + h) x base."""
    for share_col, count_col in link.shares.items():
        if share_col not in header or count_col not in link.columns:
            continue
        j = header.index(share_col)
        for row, (dims, y) in zip(table.rows, row_keys):
            parsed = share_value(row[j]) if j < len(row) else None
            if parsed is None or not dims:
                continue
            p, h = parsed
            count = (y, link.population, frozenset({**dims, **link.columns[count_col]}.items()))
            base = (y, link.population, frozenset(link.columns[count_col].items()))
            model.inequalities.append(({count: 1.0, base: -(p + h)}, None, 0.0))
            model.inequalities.append(({count: 1.0, base: -(p - h)}, 0.0, None))


def equations(model: Model) -> list[dict]:
    """Every sum a reader can write: a key equals the sum of its parts over a known partition."""
    keys = set(model.published) | set(model.hidden)
    parts = defaultdict(set)
    for (pop, dim), found in model.partitions.items():
        parts[(pop, dim)] |= found
    for pop in {k[1] for k in keys}:
        for parent, kids in area_partitions().items():
            parts[(pop, "area")].add((parent, tuple(kids)))
    out = []
    for key in keys:
        year, pop, dims = key
        d = dict(dims)
        for (p2, dim), found in parts.items():
            if p2 != pop:
                continue
            for parent, kids in found:
                if (parent is None and dim in d) or (parent is not None and d.get(dim) != parent):
                    continue
                child_keys = [(year, pop, frozenset({**d, dim: kid}.items())) for kid in kids]
                if all(c in keys for c in child_keys):
                    eq = {key: -1.0}
                    for c in child_keys:
                        eq[c] = eq.get(c, 0.0) + 1.0
                    out.append(eq)
    return out


_NATIONS = ("england", "wales", "scotland", "northern ireland")
_CONSENT = "left out: did not agree to research use of their answers"


def sentence_facts(model: Model, text: str, document: str, year: int, callout: int | None = None) -> None:
    """Counts the prose states about a labelled group, where a pattern reads them reliably.

    "members come from … all 4 nations" (appendix 1): every nation has at least one member;
    "members from all 4 UK nations" (the lottery): every nation has a selected member; so does
    each nation the quota sentence names ("guaranteed a seat, applicants in Wales … had");
    "lottery with quotas chose N members": the panel size;
    "did not agree to their answers being used in research (N)": the location-check count.
    """
    facts = [
        (r"members come from [^.]*?from all 4 nations", "uk applicants", {"membership": "member"}),
        (r"members from all 4 UK nations", "new members", {}),
    ]
    for pattern, pop, dims in facts:
        if re.search(pattern, text):
            for nation in _NATIONS:
                y = callout if callout and pop in CALLOUT_POPULATIONS and not dims else year
                key = (y, pop, frozenset({**dims, "area": nation}.items()))
                model.inequalities.append(({key: 1.0}, 1.0, None))
    m = re.search(r"guaranteed a seat, applicants in ([^.]*?) had an average chance", text)
    if m:  # the quota gives each of these nations (which had eligible applicants) a member
        for nation in _NATIONS:
            if nation in norm(m.group(1)):
                key = (callout or year, "new members", frozenset({"area": nation}.items()))
                model.inequalities.append(({key: 1.0}, 1.0, None))
    m = re.search(r"lottery with quotas chose (\d+) members", text)
    if m:  # the panel size: the total of the selected members by nation
        model.see(
            (callout or year, "new members", frozenset()), m.group(1), f"{document} | sentence | {m.group(0)}"
        )
    m = re.search(r"did not agree to their answers being used in research \((\d+)\)", text)
    if m:
        key = (callout or year, "location checks", frozenset({"check": _CONSENT}.items()))
        model.see(key, m.group(1), f"{document} | sentence | {m.group(0)}")


_HELPED = "Members by how much the network helped them"
_HELPED_MEANS = "Average score for how much the network helped"
_BAND_SCORES = {"little or none (1-2)": (1, 2), "some (3)": (3, 3), "a lot (4-5)": (4, 5)}


def mean_facts(model: Model, tables: list[Table], year: int) -> None:
    """A one-decimal mean of 1-5 scores bounds the banded counts behind it (linear in the counts):
    sum(low score x count) <= (mean + 0.05) x n and sum(high score x count) >= (mean - 0.05) x n."""
    counts = {t.caption: t for t in tables if t.caption.startswith(_HELPED)}
    for means in (t for t in tables if t.caption.startswith(_HELPED_MEANS)):
        caption_year = re.search(r"(20\d\d)$", means.caption)
        twin = next(
            (t for c, t in counts.items() if caption_year and c.endswith(caption_year.group(1))), None
        )
        if twin is None:
            continue
        pop = link_for(twin).population
        y = int(caption_year.group(1))
        for row in means.rows:
            m = re.match(r"^(\d+\.\d)$", row[1].strip()) if len(row) > 1 else None
            if not m:
                continue
            mean = float(m.group(1))
            low, high = {}, {}
            for band, (a, b) in _BAND_SCORES.items():
                key = (y, pop, frozenset({"row": norm(row[0]), "column": band}.items()))
                low[key], high[key] = a - (mean + 0.05), b - (mean - 0.05)
            model.inequalities.append((low, None, 0.0))
            model.inequalities.append((high, 0.0, None))
