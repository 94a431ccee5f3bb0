"""The report: one self-contained HTML file built from the store.

Everything is in the file: styles, the timeline (inline SVG), the evidence. It needs no network and no script to
read, prints cleanly, and carries a Content-Security-Policy that forbids scripts, so that nothing from a document can
run even if it slipped through. Text from documents is untrusted: the Jinja2 environment escapes everything
(``autoescape=True``); the only markup inserted unescaped is the timeline SVG, whose text parts are escaped when drawn.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from tawthiq import __version__
from tawthiq.export.output import atomic_text_output, check_target
from tawthiq.model import Outcome, Population
from tawthiq.report import compare, evidence, wording
from tawthiq.report.records import ClaimView, IncidentView, Record, load_record
from tawthiq.report.timeline import Mark, mark, timeline_svg
from tawthiq.store import Store

MAX_VERSUS = 3  # differing figures listed in a cell; the rest are summarised as a range
_KIND_ORDER = {"casualty_count": 0, "event": 1, "verification_caveat": 2}
_POPULATION_ORDER = {p.value: i for i, p in enumerate(Population)}
_OUTCOME_ORDER = {o.value: i for i, o in enumerate(Outcome)}


@dataclass(frozen=True, slots=True)
class ReportSummary:
    """What :func:`write_report` wrote."""

    path: Path
    size_bytes: int
    documents: int
    claims: int
    incidents: int


@dataclass(slots=True)
class IncidentSection:
    """An incident with what the report computes for it."""

    incident: IncidentView
    claims: list[ClaimView]
    disagreements: dict[int, list[compare.Disagreement]]
    independence: compare.Independence


def environment() -> Environment:
    """The Jinja2 environment of the report templates: autoescape on, undefined names are errors."""
    env = Environment(
        loader=PackageLoader("tawthiq.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        figure=wording.figure,
        date_range=wording.date_range_words,
        date_prec=wording.date_prec_words,
        where_prec=wording.where_prec_words,
        qualifier=wording.qualifier_words,
        code=wording.code_words,
        is_arabic=wording.is_arabic,
    )
    env.globals.update(
        segments=evidence.segments,
        context_before=evidence.context_before,
        context_after=evidence.context_after,
    )
    return env


def _claim_order(claim: ClaimView) -> tuple[Any, ...]:
    return (_KIND_ORDER.get(claim["kind"], 9), _OUTCOME_ORDER.get(claim["outcome"], 99),
            _POPULATION_ORDER.get(claim["population"], 99), claim["population"] or "",
            -(claim["best"] or claim["low"] or 0), claim["document_id"], claim["seq"])


def incident_sections(record: Record) -> list[IncidentSection]:
    sections = []
    for incident in record.incidents:
        claims = sorted((record.claims[i] for i in incident.claim_ids), key=_claim_order)
        one_day = bool(incident.date_start) and (incident.date_end or incident.date_start) == incident.date_start
        sections.append(IncidentSection(
            incident=incident,
            claims=claims,
            disagreements=compare.disagreements(claims, record.documents, single_day=one_day),
            independence=compare.independence(claims, record.documents),
        ))
    return sections


def _marks(record: Record) -> tuple[list[Mark], list[IncidentView]]:
    marks, undated = [], []
    for incident in record.incidents:
        m = mark(f"inc-{incident.id}", incident.title, incident.date_start, incident.date_end, incident.date_prec)
        if m is None:
            undated.append(incident)
        else:
            marks.append(m)
    return marks, undated


def report_context(record: Record, generated_at: dt.datetime) -> dict[str, Any]:
    """Everything the templates read."""
    marks, undated = _marks(record)
    copied_by: dict[int, list[int]] = defaultdict(list)
    for doc in record.documents.values():
        if doc.copy_of_id is not None:
            copied_by[doc.copy_of_id].append(doc.id)
    doc_caveats: dict[int, list[ClaimView]] = defaultdict(list)
    for claim in record.claims.values():
        if claim["kind"] == "verification_caveat" or (claim["caveat"] and not claim.has_figures):
            doc_caveats[claim["document_id"]].append(claim)
    return {
        "record": record,
        "documents": record.documents,
        "claims": record.claims,
        "sections": incident_sections(record),
        "unassigned": sorted(record.unassigned_claims(), key=_claim_order),
        "timeline": timeline_svg(marks),
        "undated": undated,
        "copied_by": copied_by,
        "doc_caveats": doc_caveats,
        "speaker": lambda claim: compare.speaker(claim, record.documents),
        "independent_total": compare.independent_source_total(record.documents),
        "copies_total": sum(1 for d in record.documents.values() if d.is_copy),
        "span_mismatches": sum(1 for c in record.claims.values() if not c.span_matches),
        "generated_at": generated_at.strftime("%Y-%m-%d %H:%M UTC"),
        "version": __version__,
        "max_versus": MAX_VERSUS,
    }


def build_report(store: Store, *, generated_at: dt.datetime | None = None) -> str:
    """The report for the record in ``store``, as one HTML string."""
    record = load_record(store)
    when = generated_at or dt.datetime.now(dt.UTC)
    return environment().get_template("report.html.j2").render(report_context(record, when))


def write_report(
    store: Store, out: str | Path, *, overwrite: bool = False, generated_at: dt.datetime | None = None
) -> ReportSummary:
    """Write the report to ``out`` atomically; never over an existing file unless ``overwrite``.

    Raises :class:`~tawthiq.errors.ExportError` when the file exists (without ``overwrite``) or cannot be written.
    """
    target = Path(out)
    check_target(target, overwrite=overwrite)  # fail before the work, not after it
    record = load_record(store)
    when = generated_at or dt.datetime.now(dt.UTC)
    html = environment().get_template("report.html.j2").render(report_context(record, when))
    with atomic_text_output(target, overwrite=overwrite) as fh:
        fh.write(html)
    return ReportSummary(path=target, size_bytes=len(html.encode("utf-8")), documents=len(record.documents),
                         claims=len(record.claims), incidents=len(record.incidents))
