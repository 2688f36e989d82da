"""The annual report's page: one self-contained HTML file (inline CSS and SVG, no scripts, nothing fetched).

The page is a list of sections; each section reads its own numbers and returns its HTML, or nothing when
it has nothing to show (a scoring section, for instance, when no scoring round exists). Which sections
there are, and in which order, is decided in one place: `reports.sections.report_sections`.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from string import Template
from typing import Protocol

from i18n.calendar import format_date, format_moment
from i18n.catalog import Catalog
from rkk.insights import Period, Scope

logger = logging.getLogger(__name__)

TEMPLATES = Path(__file__).with_name("templates")


@dataclass(frozen=True)
class ReportContext:
    """What every section needs besides its own data: the RKKs covered, the period, the texts."""

    scope: Scope
    period: Period
    texts: Catalog
    lang: str

    def t(self, key: str, **params: object) -> str:
        """A catalogue text in the report's language."""
        return self.texts.text(key, self.lang, **params)


@dataclass(frozen=True)
class Rendered:
    """A section as it goes into the page: an anchor, a heading for the contents, its HTML."""

    anchor: str
    title: str
    html: str


class ReportSection(Protocol):
    """One part of the report."""

    async def render(self, context: ReportContext) -> Rendered | None:
        """The section's HTML, or None when it has nothing to show for this period."""
        ...


async def write_report(sections: Sequence[ReportSection], context: ReportContext, made_at: datetime) -> str:
    """The whole page, the sections in order."""
    rendered = [part for section in sections if (part := await section.render(context)) is not None]
    scope = context.t("report_scope_all") if context.scope.everything else ", ".join(context.scope.rkk_names.values())
    period = context.period
    values = {
        "lang": context.lang,
        "title": html.escape(context.t("report_title")),
        "style": (TEMPLATES / "report.css").read_text(encoding="utf-8"),
        "scope": html.escape(scope),
        "period": html.escape(
            context.t(
                "report_period",
                start=format_date(period.start, context.lang),
                end=format_date(period.end, context.lang),
            )
        ),
        "contents_label": html.escape(context.t("report_contents")),
        "contents": "\n".join(f'<li><a href="#{p.anchor}">{html.escape(p.title)}</a></li>' for p in rendered),
        "sections": "\n".join(
            f'<section id="{p.anchor}">\n<h2>{html.escape(p.title)}</h2>\n{p.html}\n</section>' for p in rendered
        ),
        "made": html.escape(context.t("report_made", moment=format_moment(made_at, context.lang))),
    }
    return Template((TEMPLATES / "page.html").read_text(encoding="utf-8")).substitute(values)


def table(
    table_id: str,
    header: Sequence[str],
    rows: Sequence[Sequence[str | int]],
    footer: Sequence[str | int] | None = None,
) -> str:
    """An HTML table; numbers are right-aligned and carry their value in `data-value` for readers and tests."""

    def cell(tag: str, value: str | int) -> str:
        if isinstance(value, int):
            return f'<{tag} class="n" data-value="{value}">{value}</{tag}>'
        return f"<{tag}>{html.escape(value)}</{tag}>"

    head = "".join(
        f'<th class="n">{html.escape(h)}</th>' if i else f"<th>{html.escape(h)}</th>" for i, h in enumerate(header)
    )
    body = "\n".join("<tr>" + "".join(cell("td", v) for v in row) + "</tr>" for row in rows)
    foot = "<tfoot><tr>" + "".join(cell("td", v) for v in footer) + "</tr></tfoot>" if footer else ""
    return (
        f'<div class="table-wrap"><table id="{table_id}"><thead><tr>{head}</tr></thead>'
        f"<tbody>\n{body}\n</tbody>{foot}</table></div>"
    )


def figure(svg: str, label: str) -> str:
    """An inline SVG chart with a text alternative."""
    return f'<figure class="chart" role="img" aria-label="{html.escape(label)}">{svg}</figure>'


def paragraph(text: str, css: str = "") -> str:
    """A paragraph of escaped text."""
    attribute = f' class="{css}"' if css else ""
    return f"<p{attribute}>{html.escape(text)}</p>"


def subheading(text: str) -> str:
    """A heading within a section."""
    return f"<h3>{html.escape(text)}</h3>"
