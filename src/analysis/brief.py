"""The annual policy brief: assembled from every area's saved findings, never recomputed.

Each analysis notebook saves its publishable `Findings`; this module picks what officials need
on 4–6 pages. Page 1: what the network is and costs, who the statistics describe, the findings
that matter this year (change since the baseline first, after 2024) and a box of asks
(`analysis.asks`). Then one section per area with its statement heading, member change as its
own section after the baseline, and a short "About these statistics" paragraph linking to the
appendices that hold the mechanics. All numbers arrive in the findings' templated sentences or
through `analysis.text`, so none is typed here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from analysis import asks as policy_asks
from analysis import text
from analysis.context import RunContext
from analysis.disclosure import DisclosureRules
from analysis.findings import Findings
from analysis.intake_text import intake_sentences
from analysis.publish import display

AREAS = ("geography", "readiness", "selection", "outcomes")
# The appendix each area's notebook publishes (notebook_steps.NOTEBOOKS; a test keeps them equal).
APPENDICES = {
    "geography": ("appendix-1-applicant-geography", "Technical appendix 1: applicant geography"),
    "readiness": ("appendix-2-organisational-readiness", "Technical appendix 2: organisational readiness"),
    "selection": ("appendix-3-selection", "Technical appendix 3: how members were selected"),
    "outcomes": ("appendix-4-member-outcomes", "Technical appendix 4: member outcomes"),
}
MEMBER_CHANGE_FIGURE = "outcomes-member-change"  # the outcomes figure the member-change section shows
# Shown under the section heading, before its sentences: change since the baseline, and the map
# (with its table beside it, it fills the page its heading starts).
LEAD_FIGURES = {"outcomes-trajectory", "applicants_per_million_map"}
# Charts whose table the brief shows beside them cut to these columns; the full table stays in
# the chart's appendix, which the section links to.
# The map's table is the dot plot's (geography.intervals); beside the map the brief keeps two of its
# columns, without the intervals' notes; the full table, with the intervals, is in appendix 1.
COMPACT_TABLES = {
    "applicants_per_million_map": (
        ("Applicants", "Applicants per million people"),
        "Applicants by UK region or nation: number and per million people",
    )
}
BESIDE_MAX_COLUMNS = 5  # a chart's table this narrow sits beside it, so both take half the height
SECTION_FINDINGS = 3  # sentences a brief section adds to page 1's
MAX_KEY_MESSAGES = 3  # page 1 also carries the network, its cost and the asks

TERMS = {
    "citizens' assembly": "a group of residents, picked by lottery to reflect the wider population, "
    "who learn about an issue, deliberate and make recommendations",
    "citizens' jury": "a smaller version of a citizens' assembly, usually 12 to 25 people",
    "participatory budgeting": "residents decide directly how part of a budget is spent",
    "IAP2 spectrum": "the International Association for Public Participation's five levels of public "
    "involvement: inform, consult, involve, collaborate and, at the top, empower, where "
    "citizens make the final decision",
}


def release_line(publication: dict) -> str:
    """ "Published 5 December 2024 · Next update: December 2025", plus revision notes if any."""
    released = publication.get("release_date")
    if not isinstance(released, date):
        raise ValueError(
            "[publication] release_date must be a date such as 2024-12-05 in the year's settings file"
        )
    parts = [f"Published {released.day} {released:%B %Y}"]
    if publication.get("next_update"):
        parts.append(f"Next update: {publication['next_update']}")
    parts += [f"Revised: {note}" for note in publication.get("revision_notes", [])]
    return " · ".join(parts)


@dataclass
class Brief:
    ctx: RunContext
    findings: dict[str, Findings]

    @property
    def year(self) -> int:
        return self.ctx.year

    def title_block(self) -> str:
        settings = self.ctx.config.section("brief")
        return (
            f"# {settings.get('title', 'Policy brief')}: policy brief {self.year}\n\n"
            f"**{settings.get('organisation', 'Citizens In Power')}** · {self.release_line()}"
        )

    def release_line(self) -> str:
        """Release date, next update and any revisions, from `[publication]` (never the clock)."""
        return release_line(self.ctx.config.section("publication"))

    def introduction(self) -> str:
        baseline = self.ctx.config.section("outcomes").get("baseline_year", 2024)
        when = (
            "This is the baseline year: later briefs report change against it."
            if self.year == baseline
            else f"This brief reports year {self.year - baseline + 1} of the network's three years "
            f"and the change since the {baseline} baseline."
        )
        assembly = TERMS["citizens' assembly"]
        return (
            "Citizen-led decision-making means handing real decisions to the people an organisation "
            f"serves. Examples are a **citizens' assembly** ({assembly}) and "
            f"**participatory budgeting** ({TERMS['participatory budgeting']}). We describe how far an "
            f"organisation has gone with the **IAP2 spectrum** ({TERMS['IAP2 spectrum']}). {when}"
        )

    def key_messages(self) -> list[str]:
        """Page 1's findings, up to `MAX_KEY_MESSAGES`.

        In the baseline year: the first message of each area, then the second ones. After it the
        brief is about the members and change since the baseline, not the callout: members' move
        along the participation spectrum first, then their progress against their own 2026 aims
        (when it can be published: a count shown as [c] says nothing on page 1), then the outcome
        messages (the three-year summary first in the final year). The comparison with the eligible
        applicants the lottery did not draw is always on page 1 when there is one. The callout's
        messages fill in only if the members' are too few.
        """
        if self.is_baseline:
            return self._in_turn(AREAS, [])
        aims = self._facts("readiness").get("aims_message")
        published = aims and "withheld" not in aims and text.SUPPRESSED not in aims
        lead = [m for m in (self.change_message(), aims if published else None) if m]
        ordered = self._in_turn(("outcomes",), lead)
        comparison = self.not_drawn_message()
        if comparison and self._comparison_published() and comparison not in ordered:
            ordered = [*ordered[: MAX_KEY_MESSAGES - 1], comparison]
        # A withheld comparison is no finding: it is explained in the outcomes section instead.
        ordered = [m for m in ordered if self._comparison_published() or m != comparison]
        return self._in_turn(("readiness", "geography", "selection"), ordered)

    def _comparison_published(self) -> bool:
        """Whether the members' side of the comparison with those not drawn has any published figure."""
        cells = (self._facts("outcomes").get("not_drawn") or {}).get("cells") or {}
        return any(group.get("Members") for group in cells.values())

    def _in_turn(self, areas: tuple[str, ...], ordered: list[str]) -> list[str]:
        """`ordered`, then the areas' first messages, then their second ones…, up to the maximum."""
        ordered = list(ordered)
        depth = max((len(self.findings[a].key_messages) for a in areas if a in self.findings), default=0)
        for i in range(depth):
            for area in areas:
                f = self.findings.get(area)
                if f and i < len(f.key_messages) and f.key_messages[i] not in ordered:
                    ordered.append(f.key_messages[i])
        return ordered[:MAX_KEY_MESSAGES]

    @property
    def is_baseline(self) -> bool:
        return self.year <= self.ctx.config.section("outcomes").get("baseline_year", 2024)

    def network_paragraph(self) -> str:
        """Page 1: what the network is, what it costs (from `[[brief.costs]]`) and who is analysed."""
        members = self._members_active()
        what = (
            "Citizens In Power runs a UK network of cultural organisations (venues, museums, "
            "libraries, festivals, funders) handing real decisions to the people they serve"
        )
        what += f": {text.plural(members, 'member')} in {self.year}." if members else "."
        costs = [
            f"{c['item']}: {text.money(c['amount_gbp'])}"
            + (f", {text.per_member(c['amount_gbp'], members, 'money')}" if members else "")
            + f" (source: {c['source']})."
            for c in self.ctx.config.section("brief").get("costs", [])
        ]
        applied = self._facts("selection").get("applicants")
        analysed = self._facts("readiness").get("applicants_in_research")
        who = [text.denominators(applied, analysed)] if applied and analysed else []
        return " ".join([what, *costs, *who])

    def _members_active(self) -> int | None:
        returns = (self._facts("outcomes").get("returns") or {}).get(str(self.year)) or {}
        return returns.get("members_active") or None

    def asks(self) -> list[policy_asks.Ask]:
        """The year's asks (`[[brief.asks]]`), each with its evidence computed from the findings."""
        return policy_asks.asks(self.ctx.config.section("brief").get("asks", []), self.findings, self.year)

    def member_change(self) -> tuple[str, str] | None:
        """Heading and text of the member-change section (None in the baseline year)."""
        if self.is_baseline:
            return None
        returns = self._facts("outcomes").get("returns") or {}
        base = str(self.ctx.config.section("outcomes").get("baseline_year", 2024))
        now, first = returns.get(str(self.year)), returns.get(base)
        if not now or not first:
            return None
        left = sum(r.get("members_left", 0) for y, r in returns.items() if base < y <= str(self.year))
        joined = sum(r.get("members_joined", 0) for y, r in returns.items() if base < y <= str(self.year))
        if joined:
            heading = (
                f"The network had {text.plural(now['members_active'], 'member')} in {self.year}: "
                f"{text.in_words(joined)} joined and {text.in_words(left)} left since {base}"
            )
        else:
            heading = (
                f"The network kept {text.count_of(now['members_active'], first['members_active'])} "
                f"members it started with in {base}"
            )
        body = (
            f"{text.capitalise(text.plural(first['returns_received'], 'member'))} returned a survey in {base} "
            f"and {text.count(now['returns_received'])} in {self.year}. Changes since {base} compare those "
            "network totals, not the same members: "
        )
        missing = now.get("missing_returns", 0)
        gone = []
        if left:
            gone.append(
                f"the {text.plural(left, 'member who', 'members who')} left {'is' if left == 1 else 'are'} in "
                f"the {base} figures and not in the {self.year} ones"
            )
        if missing:
            gone.append(
                f"{text.plural(missing, 'return')} from active members {'is' if missing == 1 else 'are'} "
                f"missing in {self.year} and not filled in"
            )
        if gone:  # who answered changed, so part of the change is not what members did
            body += f"{' and '.join(gone)}, so part of any change reflects who answered rather than what members did."
        else:
            body += (
                "no member has left and every member returned a survey, so the change is in what members did."
            )
        return heading, body

    def about_statistics(self) -> str:
        """The short "About these statistics" paragraph, with a link to each appendix."""
        links = [
            f"[{title}]({stem}.html) ([PDF]({stem}.pdf))"
            for area, (stem, title) in APPENDICES.items()
            if area in self.findings
        ]
        return (
            self.method_summary()
            + " Every count of organisations follows the same small-number rule as the tables. How "
            "members were selected, the reliability of the readiness index, every table and method, the "
            "data sources with their licences and the run manifest are in the technical appendices:"
            "\n\n" + " · ".join(links)
        )

    def change_message(self) -> str | None:
        """Members' change on the participation spectrum since the baseline (None in the baseline year)."""
        f = self.findings.get("readiness")
        if f is None:
            return None
        return ((f.facts.get("change") or {}).get("level_now") or {}).get("message")

    def section(self, area: str) -> Findings:
        return self.findings[area]

    def section_text(self, area: str) -> str:
        """A section's sentences in the brief: the area's findings not already on page 1.

        The area's own paragraphs, with their methods, stay in its appendix; the brief gives the
        sentences that carry numbers, then its chart, then `so_what`.
        """
        shown = set(self.key_messages())
        messages = [m for m in self.findings[area].key_messages if m not in shown]
        lead = self.not_drawn_message() if area == "outcomes" else None
        if lead and lead not in shown:  # the comparison the lottery makes fair leads the section
            messages = [lead, *(m for m in messages if m != lead)]
        aims = self._facts("readiness").get("aims_message") if area == "outcomes" else None
        if aims and aims not in shown and not self.is_baseline:  # members' own aims, published or not
            where = f" Their table is in {APPENDICES['readiness'][1].lower()}."
            messages = [*messages[:1], aims + where, *messages[1:]]
        return "\n\n".join(_same_reason(messages[:SECTION_FINDINGS]))

    def not_drawn_message(self) -> str | None:
        """Members against the eligible applicants the lottery did not draw (the 2026 follow-up), if any.

        The sentence comes whole from the outcomes findings: its counts, intervals and the caveat
        on the follow-up's response rate travel together, and it claims no more than the lottery
        supports.
        """
        return (self._facts("outcomes").get("not_drawn") or {}).get("message") or None

    def so_what(self, area: str) -> str:
        """The ask this section's data support (if any) and the link to its appendix."""
        lines = []
        for number, ask in enumerate(self.asks(), start=1):
            if ask.area == area:
                lines.append(f"**What this means:** {ask.what.rstrip('.')} (ask {number} on page 1).")
                break
        stem, title = APPENDICES[area]
        lines.append(f"The detail, the methods and every table are in [{title.lower()}]({stem}.html).")
        return "\n\n".join(lines)

    def _facts(self, area: str) -> dict:
        f = self.findings.get(area)
        return f.facts if f else {}

    def figures_for(self, area: str) -> list:
        """The figures the year's settings pick for the brief ([brief.figures]); else the first in_brief one.

        Only figures offered for the brief (`in_brief`) are shown: an analysis withholds a chart
        that says nothing (a single bar, almost all [c], all zeros). When none of the chosen
        figures is offered, the area's first offered figure stands in, so a section keeps a chart
        whenever it has one worth showing. An empty choice (`[]`) means no figure.
        """
        chosen = self.ctx.config.section("brief").get("figures", {}).get(area)
        offered = [f for f in self.findings[area].figures if f.in_brief]
        if chosen is not None:
            if not chosen:
                return []
            by_key = {f.key: f for f in offered}
            picked = [by_key[k] for k in chosen if k in by_key]
            if picked:
                return picked
        return offered[:1]

    def method_summary(self) -> str:
        """How the data were handled, in numbers from the quality log; details are in the appendices."""
        quality = self.ctx.quality_log()
        sentences = intake_sentences(quality, DisclosureRules.from_config(self.ctx.config))
        surveys = [t for name, t in sorted(quality["tables"].items()) if name.startswith("member_surveys/")]
        if surveys:
            latest = surveys[-1]
            sentences.append(
                f"The {self.year} member survey received {_count(latest['kept'], 'usable return')}."
            )
        sentences.append("Places come from postcodes through ONS and Ordnance Survey reference data.")
        return " ".join(sentences)


_REASON = re.compile(
    r": (with \d+ members, a split into \w+ groups always leaves one smaller than \d+, [^.]*)"
)


def _same_reason(messages: list[str]) -> list[str]:
    """A withholding reason given once: a later sentence with the same one says "for the same reason"."""
    given, out = set(), []
    for m in messages:
        found = _REASON.search(m)
        if found and found.group(1) in given:
            m = m.replace(found.group(0), " for the same reason")
        elif found:
            given.add(found.group(1))
        out.append(m)
    return out


def _count(n: int, noun: str) -> str:
    """'1 organisation', '3 organisations'."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def load_brief(ctx: RunContext) -> Brief:
    """Every area's findings from this run; a missing area is an error naming its notebook."""
    found = {}
    for number, area in enumerate(AREAS, start=1):
        path = ctx.findings_dir / f"{area}.json"
        if not path.exists():
            raise FileNotFoundError(
                f"no {area} findings in {ctx.findings_dir}: run notebook 0{number} first "
                "(the pipeline runs them in order)"
            )
        found[area] = Findings.load(ctx.findings_dir, area)
    return Brief(ctx=ctx, findings=found)


def show_section(brief: Brief, area: str) -> None:
    """One area's part of the brief: statement heading, templated text, its brief figures."""
    findings = brief.section(area)
    chosen = brief.figures_for(area)
    lead = [f for f in chosen if f.key in LEAD_FIGURES]
    display.show_markdown(f"## {findings.heading}")
    for figure in lead:  # change since the baseline comes first
        show_chart(figure, APPENDICES[area][1])
    display.show_markdown(brief.section_text(area))
    for figure in chosen:
        if figure not in lead:
            show_chart(figure, APPENDICES[area][1])
    display.show_markdown(brief.so_what(area))


def show_chart(figure, appendix: str) -> None:
    """A chart and its data table: beside it when the table is narrow (a chart named in
    `COMPACT_TABLES` gets a few of its columns there), else below it."""
    if figure.key not in COMPACT_TABLES:
        if len(figure.table.values.columns) <= BESIDE_MAX_COLUMNS:
            display.show_figure_beside(figure)
        else:
            display.show_figure(figure)
        return
    columns, caption = COMPACT_TABLES[figure.key]
    full = figure.table
    missing = [c for c in columns if c not in full.values.columns]
    if missing:  # a renamed column would otherwise print an empty table
        raise ValueError(f"the {figure.key} table has no column {missing}: update brief.COMPACT_TABLES")
    compact = full.subset(
        columns=list(columns),
        caption=f"{caption} (the full table, with intervals, is in {appendix.split(':')[0].lower()})",
    )
    display.show_figure_beside(figure, replace(compact, notes=()))


def show_opening(brief: Brief) -> None:
    """Page 1: title, the network and its cost, the findings that matter, the asks; then terms."""
    display.show_markdown(brief.title_block() + "\n\n" + brief.network_paragraph())
    heading = "What the evidence shows" + ("" if brief.is_baseline else " (change since the baseline first)")
    display.show_key_messages(brief.key_messages(), heading=heading)
    display.show_asks(brief.asks())
    display.show_markdown("## About this brief\n\n" + brief.introduction())


def section_order(brief: Brief) -> list[str]:
    """The brief's sections: the callout first in the baseline year; later, outcomes and member change
    lead, and the callout's sections follow in their baseline order."""
    if brief.is_baseline:
        return list(AREAS)
    return ["outcomes", "member_change", *(a for a in AREAS if a != "outcomes")]


def show_part(brief: Brief, part: str) -> None:
    """One section of the brief, by name (an area or "member_change")."""
    if part == "member_change":
        show_member_change(brief)
    else:
        show_section(brief, part)


def show_sections(brief: Brief) -> None:
    """Every section in `section_order`, so the notebook holds a call, not a loop."""
    for part in section_order(brief):
        show_part(brief, part)


def show_member_change(brief: Brief) -> None:
    """Member change (after the baseline): its own section, with its chart (else the returns table)."""
    section = brief.member_change()
    if section is None:
        return
    heading, body = section
    display.show_markdown(f"## {heading}\n\n{body}")
    chart = next((f for f in brief.section("outcomes").figures if f.key == MEMBER_CHANGE_FIGURE), None)
    if chart is not None:  # its table (returns, joiners, leavers) beside it, as for every chart
        show_chart(chart, APPENDICES["outcomes"][1])
        return
    returns = brief.section("outcomes").tables.get("returns")
    if returns is not None:
        display.show_table(returns)


def show_about_statistics(brief: Brief) -> None:
    display.show_markdown("## About these statistics\n\n" + brief.about_statistics())
