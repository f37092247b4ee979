"""The annual policy brief: assembled from every area's saved findings, never recomputed.

Each analysis notebook saves its publishable `Findings`; this module picks what officials need
on 4–8 pages: a box of key messages, one section per area with its statement heading, the
policy asks, and for later years the change since the 2024 baseline. All numbers arrive in
the findings' templated sentences, so none is typed here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from analysis.context import RunContext
from analysis.disclosure import DisclosureRules
from analysis.findings import Findings
from analysis.publish import display
from analysis.reference import region_in_sentence

AREAS = ("geography", "readiness", "selection", "outcomes")
MAX_KEY_MESSAGES = 5

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
            "Citizens In Power convenes a national network of cultural organisations – arts venues, "
            "museums, libraries, festivals, funders and public bodies – that are moving toward "
            "citizen-led decision-making: handing real decisions to the people they serve. "
            f"Examples are a **citizens' assembly** ({assembly}) and "
            f"**participatory budgeting** ({TERMS['participatory budgeting']}). We describe how far an "
            f"organisation has gone with the **IAP2 spectrum** ({TERMS['IAP2 spectrum']}). {when}"
        )

    def key_messages(self) -> list[str]:
        """The first message of each area, then the second ones, up to five in all.

        After the baseline year the change since the baseline comes straight after the first
        round (members' move along the participation spectrum, from the readiness findings), so
        the box always carries it.
        """
        ordered = []
        depth = max((len(f.key_messages) for f in self.findings.values()), default=0)
        change = self.change_message()
        for i in range(depth):
            for area in AREAS:
                f = self.findings.get(area)
                if f and i < len(f.key_messages) and f.key_messages[i] not in ordered + [change]:
                    ordered.append(f.key_messages[i])
            if i == 0 and change:
                ordered.append(change)
        return ordered[:MAX_KEY_MESSAGES]

    def change_message(self) -> str | None:
        """Members' change on the participation spectrum since the baseline (None in the baseline year)."""
        f = self.findings.get("readiness")
        if f is None:
            return None
        return ((f.facts.get("change") or {}).get("level_now") or {}).get("message")

    def section(self, area: str) -> Findings:
        return self.findings[area]

    def policy_asks(self) -> list[str]:
        """Asks grounded in this year's published figures, then any the areas added themselves."""
        asks = [a for a in (self._reach_ask(), self._funding_ask(), self._lottery_ask()) if a]
        for area in AREAS:
            f = self.findings.get(area)
            if f:
                asks.extend(a for a in f.policy_asks if a not in asks)
        return asks

    def _facts(self, area: str) -> dict:
        f = self.findings.get(area)
        return f.facts if f else {}

    def _reach_ask(self) -> str | None:
        rates = {
            k: v
            for k, v in self._facts("geography").get("per_million_by_region", {}).items()
            if v is not None
        }
        if len(rates) < 3:
            return None
        low = sorted(rates, key=rates.get)[:2]
        top = max(rates, key=rates.get)
        return (
            f"**Reach every region.** Arts councils and funders could target outreach and development "
            f"support at {region_in_sentence(low[0])} and {region_in_sentence(low[1])}, where applications "
            f"per million people were lowest ({rates[low[0]]:.1f} and {rates[low[1]]:.1f}, against "
            f"{rates[top]:.1f} in {region_in_sentence(top)})."
        )

    def _funding_ask(self) -> str | None:
        facts = self._facts("readiness")
        up, base = facts.get("applicants_moving_up"), facts.get("applicants_in_research")
        if not up or not base:
            return None
        return (
            f"**Fund the first steps.** {up:.0f} of the {base:.0f} applicants want to move at least one level "
            "up the participation spectrum by 2026. Multi-year funding that covers the cost of a first "
            "citizens' assembly, jury or participatory budget – facilitation, recruitment by lottery, "
            "paying participants – would turn that ambition into practice."
        )

    def _lottery_ask(self) -> str | None:
        facts = self._facts("selection")
        if not facts.get("eligible") or not facts.get("panel_size"):
            return None
        return (
            f"**Select openly.** Funders running small, oversubscribed schemes could use a published, "
            f"modified lottery like this one: {facts['panel_size']} places among {facts['eligible']} eligible "
            f"applicants, every chance published before the draw, and a seat guaranteed to every "
            f"nation with eligible applicants."
        )

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
        # Counts of organisations follow the same rule as the tables: small ones are not given
        # exactly, or the appendices' suppressed cells could be read off the brief.
        rules = DisclosureRules.from_config(self.ctx.config)
        few = rules.count_in_words
        callout = quality["tables"]["callout"]
        c = callout["corrections"]
        unusable = sum(c.get(k, 0) for k in ("postcode_invalid", "postcode_not_found", "postcode_missing"))
        no_consent, outside_n = c.get("no_research_consent", 0), c.get("outside_uk", 0)
        superseded, rejected = (
            few(callout["superseded"], "response"),
            few(callout["rejected"], "response"),
        )
        unmatched, outside = few(unusable, "postcode"), few(outside_n, "organisation")
        refused = few(no_consent, "organisation")
        one = _singular(refused)
        intake = (
            f"The callout export held {_count(callout['received'], 'response')}. {_cap(superseded)} "
            f"{'was' if _singular(superseded) else 'were'} earlier versions replaced by a later amendment from "
            f"the same organisation, and {rejected} could not be used (for example, no organisation name), "
            f"leaving {_count(callout['kept'], 'organisation')}."
        )
        if rules.is_unsafe_count(callout["superseded"]) or rules.is_unsafe_count(callout["rejected"]):
            # Received minus kept is known, so one exact part would give the other away: one sum.
            dropped = callout["superseded"] + callout["rejected"]
            intake = (
                f"The callout export held {_count(callout['received'], 'response')}; {_count(dropped, 'response')} "
                f"{'was' if dropped == 1 else 'were'} earlier versions replaced by a later amendment from the "
                f"same organisation or could not be used (for example, no organisation name), leaving "
                f"{_count(callout['kept'], 'organisation')}."
            )
        sentences = [
            intake,
            f"{_cap(unmatched)} could not be matched to a place, so the region the organisation chose on the form "
            f"was used instead; {outside} {'was' if _singular(outside) else 'were'} outside the UK (Channel "
            "Islands or Isle of Man) and left out of UK figures.",
            f"{_cap(refused)} did not agree to {'its' if one else 'their'} answers being used for research and "
            f"{'is' if one else 'are'} left out of the statistics.",
        ]
        surveys = [t for name, t in sorted(quality["tables"].items()) if name.startswith("member_surveys/")]
        if surveys:
            latest = surveys[-1]
            sentences.append(
                f"The {self.year} member survey received {_count(latest['kept'], 'usable return')}."
            )
        sentences.append(
            "Places come from postcodes through ONS and Ordnance Survey reference data. "
            "The technical appendices published with this brief give every table, the methods "
            "and their limits."
        )
        return " ".join(sentences)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _singular(shown: str) -> bool:
    """Agreement follows the count as printed: '1 response was', '[c] responses were'."""
    return shown.startswith("1 ")


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
    display.show_markdown(f"## {findings.heading}\n\n{findings.brief_text}")
    for figure in brief.figures_for(area):
        display.show_figure(figure)


def show_opening(brief: Brief) -> None:
    """Page 1: title, the key-messages box, and what the brief is about (terms explained)."""
    display.show_markdown(brief.title_block())
    display.show_key_messages(brief.key_messages())
    display.show_markdown("## About this brief\n\n" + brief.introduction())


def show_method_summary(brief: Brief) -> None:
    display.show_markdown("## Method and data notes\n\n" + brief.method_summary())


def show_policy_asks(brief: Brief) -> None:
    asks = brief.policy_asks()
    lines = "\n".join(f"{i}. {ask}" for i, ask in enumerate(asks, start=1))
    display.show_markdown(
        "## What government and funders can do\n\n"
        "These steps, for government departments, arm's-length bodies and funders, would speed the "
        "move to citizen-led decision-making in the cultural sector.\n\n" + lines
    )
