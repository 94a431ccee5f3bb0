"""The report as PDF, for courts, inquiry commissions and donors.

The PDF is the HTML report (same read models, same wording: every figure beside its source and its evidence sentence)
laid out for paper by WeasyPrint, with three additions:

* the estimate of the true toll, when an estimate file (``tawthiq estimate --json``) is given: the figure with its
  95% interval and every warning of the estimator, printed before the incidents;
* a data snapshot: the claims export (JSON Lines, as ``tawthiq export claims --format jsonl`` writes it) the report
  was made from, whose SHA-256 is printed in every page footer. Writing the snapshot beside the PDF
  (``snapshot_out``) lets a reader check the figures against the data: ``sha256sum`` of the file is the footer's;
* fonts from Debian's packages (Noto, DejaVu; see scripts/system-deps.sh), embedded by WeasyPrint, so Arabic is shaped
  and right-to-left paragraphs read right to left on any machine. Text is kept as text (searchable, copyable).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from jinja2 import Environment

from tawthiq.errors import ExportError
from tawthiq.export.claims import iter_claim_rows, write_jsonl
from tawthiq.export.output import check_target
from tawthiq.report.html import environment, report_context
from tawthiq.report.records import load_record
from tawthiq.store import Store

FONT_DIRS = (Path("/usr/share/fonts/truetype/noto"), Path("/usr/share/fonts/truetype/dejavu"))
FONTS = {  # family -> (regular file, bold file)
    "Noto Naskh Arabic": ("NotoNaskhArabic-Regular.ttf", "NotoNaskhArabic-Bold.ttf"),
    "Noto Sans": ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    "DejaVu Sans": ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
}
FONT_HINT = "install the fonts with scripts/system-deps.sh (Debian: fonts-noto-core fonts-dejavu-core)"

_EXTRA = """
<section id="pdf-estimate">
  <h2>Estimated total</h2>
  {% if estimates %}
  {% for e in estimates %}
  <div class="estimate">
    <p><strong>{{ e.label }}</strong>: {{ e.observed }} persons documented; estimated total
    <strong class="figure">{{ e.estimate }}</strong>, 95% interval {{ e.low }} – {{ e.high }}
    ({{ e.method }}{% if e.model %}, {{ e.model }}{% endif %}{% if e.lists %}; lists: {{ e.lists }}{% endif %}).</p>
    {% if e.warnings %}<ul class="warnings">{% for w in e.warnings %}<li class="warning">{{ w }}</li>{% endfor %}</ul>
    {% else %}<p>The estimator gave no warning.</p>{% endif %}
  </div>
  {% endfor %}
  <p class="meta">Estimate file: <code>{{ estimate_name }}</code>, SHA-256 <code>{{ estimate_sha256 }}</code>.</p>
  {% else %}
  <p>No estimate was given for this report: the figures below are what sources say, not an estimate of the total.</p>
  {% endif %}
</section>
<section id="pdf-snapshot">
  <h2>Data snapshot</h2>
  <p>This report was made from {{ snapshot_rows }} claims. Their export as JSON Lines has SHA-256
  <code class="digest">{{ digest }}</code>, printed in every page footer{% if snapshot_name %}; the file is
  <code>{{ snapshot_name }}</code>{% endif %}. Run <code>tawthiq export claims --format jsonl</code> on the same store
  and compare its SHA-256 with this one to check the figures against the data.</p>
</section>
"""


@dataclass(frozen=True, slots=True)
class PdfSummary:
    path: Path
    size_bytes: int
    snapshot_sha256: str
    snapshot_rows: int
    incidents: int


class _HashingWriter:
    """A text sink that hashes the UTF-8 bytes written to it (and copies them to a file when given one)."""

    def __init__(self, copy: TextIO | None) -> None:
        self.digest = hashlib.sha256()
        self.copy = copy

    def write(self, text: str) -> int:
        self.digest.update(text.encode("utf-8"))
        if self.copy is not None:
            self.copy.write(text)
        return len(text)


def snapshot_digest(store: Store, copy: TextIO | None = None) -> tuple[str, int]:
    """SHA-256 and row count of the claims export (JSON Lines) of ``store``, streamed; also written to ``copy``."""
    sink = _HashingWriter(copy)
    rows = write_jsonl(iter_claim_rows(store), sink)  # type: ignore[arg-type]
    return sink.digest.hexdigest(), rows


def font_css() -> str:
    """``@font-face`` rules for the Debian fonts (files must exist: a PDF without Arabic glyphs is worse than none)."""
    rules = []
    for family, files in FONTS.items():
        for weight, name in zip(("normal", "bold"), files, strict=True):
            path = next((d / name for d in FONT_DIRS if (d / name).is_file()), None)
            if path is None:
                raise ExportError(f"font {name} ({family}) is not installed", hint=FONT_HINT)
            rules.append(f'@font-face {{ font-family: "{family}"; font-weight: {weight}; '
                         f'src: url("{path.as_uri()}"); }}')
    return "\n".join(rules)


def page_css(digest: str) -> str:
    return font_css() + f"""
@page {{
  size: A4; margin: 16mm 14mm 22mm 14mm;
  @bottom-left {{ content: "Data snapshot SHA-256: {digest}"; font: 6.5pt "DejaVu Sans"; color: #444; }}
  @bottom-right {{ content: "page " counter(page) " of " counter(pages); font: 7pt "DejaVu Sans"; color: #444; }}
}}
html {{ font-family: "Noto Sans", "DejaVu Sans", "Noto Naskh Arabic", sans-serif; font-size: 9.5pt; }}
[lang="ar"], [dir="rtl"] {{ font-family: "Noto Naskh Arabic", "DejaVu Sans", sans-serif; }}
[dir="rtl"] {{ direction: rtl; text-align: right; unicode-bidi: isolate; }}
nav.toc, svg {{ max-width: 100%; }}
table {{ width: 100% !important; table-layout: fixed; border-collapse: collapse; font-size: 7.5pt; }}
th, td, td * {{ overflow-wrap: break-word; white-space: normal !important; min-width: 0 !important; }}
th, td {{ padding: 2pt 3pt !important; }}
.table-wrap, .scroll, div {{ overflow: visible !important; max-width: 100%; }}
tr, blockquote, .estimate {{ page-break-inside: avoid; }}
a {{ color: inherit; text-decoration: none; }}
code.digest {{ font-size: 8pt; word-break: break-all; }}
.warning {{ color: #8a1c00; }}
"""


def load_estimates(path: Path) -> tuple[list[dict[str, Any]], str]:
    """The estimates in a ``tawthiq estimate --json`` file (one, a list, or one per stratum) and the file's hash."""
    try:
        data = path.read_bytes()
        payload = json.loads(data)
    except OSError as e:
        raise ExportError(f"{path}: cannot read the estimate file ({e.strerror})") from e
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise ExportError(f"{path}: not a JSON estimate file ({e})", hint="write one with `tawthiq estimate --json`") \
            from e
    if isinstance(payload, dict) and "estimate" in payload:
        items = [("Estimate", payload)]
    elif isinstance(payload, list):
        items = [(str(p.get("stratum") or p.get("label") or f"Estimate {i + 1}"), p) for i, p in enumerate(payload)]
    elif isinstance(payload, dict):
        items = [(str(k), v) for k, v in payload.items() if isinstance(v, dict) and "estimate" in v]
    else:
        items = []
    if not items or any(not isinstance(p, dict) or "estimate" not in p for _, p in items):
        raise ExportError(f"{path}: no estimate in the file (expected the JSON of `tawthiq estimate --json`)")
    return [_estimate_view(label, p) for label, p in items], hashlib.sha256(data).hexdigest()


def _estimate_view(label: str, p: dict[str, Any]) -> dict[str, Any]:
    ci = p.get("ci_95") or [None, None]

    def num(x: Any) -> str:
        return "unbounded" if x is None else f"{float(x):,.0f}"

    return {"label": label, "observed": num(p.get("observed")), "estimate": num(p.get("estimate")),
            "low": num(ci[0]), "high": num(ci[1]), "method": p.get("method", ""), "model": p.get("model", ""),
            "lists": ", ".join(p.get("lists") or []), "warnings": [str(w) for w in p.get("warnings") or []]}


def build_html(store: Store, *, digest: str, rows: int, estimate: Path | None, snapshot_name: str | None,
               generated_at: dt.datetime) -> tuple[str, int]:
    """The report's HTML with the estimate and snapshot sections; and the number of incidents."""
    record = load_record(store)
    html = environment().get_template("report.html.j2").render(report_context(record, generated_at))
    estimates, estimate_sha = load_estimates(estimate) if estimate else ([], "")
    extra = Environment(autoescape=True).from_string(_EXTRA).render(
        estimates=estimates, estimate_name=estimate.name if estimate else "", estimate_sha256=estimate_sha,
        digest=digest, snapshot_rows=rows, snapshot_name=snapshot_name)
    if "<main>" not in html:
        raise ExportError("the report template has no <main> element to add the PDF sections to")
    return html.replace("<main>", "<main>\n" + extra, 1), len(record.incidents)


def write_pdf(
    store: Store, out: str | Path, *, estimate: str | Path | None = None, snapshot_out: str | Path | None = None,
    overwrite: bool = False, generated_at: dt.datetime | None = None,
) -> PdfSummary:
    """Write the report of ``store`` as PDF to ``out`` (atomically; never over a file unless ``overwrite``)."""
    from weasyprint import CSS, HTML  # heavy: imported only when a PDF is asked for

    target = Path(out)
    check_target(target, overwrite=overwrite)
    snap = Path(snapshot_out) if snapshot_out else None
    if snap is not None:
        check_target(snap, overwrite=overwrite)
        with snap.open("w", encoding="utf-8") as fh:
            digest, rows = snapshot_digest(store, fh)
    else:
        digest, rows = snapshot_digest(store)
    html, incidents = build_html(store, digest=digest, rows=rows, estimate=Path(estimate) if estimate else None,
                                 snapshot_name=snap.name if snap else None,
                                 generated_at=generated_at or dt.datetime.now(dt.UTC))
    pdf = HTML(string=html).write_pdf(stylesheets=[CSS(string=page_css(digest))])
    assert pdf is not None
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(pdf)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return PdfSummary(path=target, size_bytes=len(pdf), snapshot_sha256=digest, snapshot_rows=rows,
                      incidents=incidents)
