"""HTML fragments built in Python where a template loop would cost too much: the rows of the incident page's
side-by-side table (:func:`side_by_side_rows`), the tolls' items (:func:`toll_items`), a claim's figures
(:func:`figures`, for every template) and the disagreement cells. A Jinja loop over 50 rows cost twice the rest of
the page. Every text is escaped here as autoescape would (:func:`_escape`; values are plain text, never ``Markup``).

The incident page shows a *summary* of each figure's disagreements (:func:`disagreement_summary`): one line per
disagreeing speaker, with the figure itself when the speaker gives one, or how many figures and their range when it
gives several, and a link to the full list (:func:`disagreement_list`), a page of its own that HTMX loads into the
cell when scripts run. (A big incident has thousands of disagreeing pairs: the full lists were half its page.)"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from markupsafe import Markup

from tawthiq.report.compare import Disagreement
from tawthiq.report.records import ClaimView
from tawthiq.web.i18n import Translator
from tawthiq.web.read import IncidentPage


def _escape(value: Any) -> str:
    """``value`` escaped exactly as autoescape does (markupsafe: ``& < > ' "``), as plain text to join: the same
    result as ``str(escape(value))`` without a ``Markup`` object per value (~1,000 values on an incident page)."""
    return (str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("'", "&#39;").replace('"', "&#34;"))


@lru_cache(maxsize=8192)
def _disagreement(href: str, speaker: str, figure: int, compatible: bool, label: str) -> str:
    css = "compatible" if compatible else "clash"
    return (f'<span class="{css}"><a href="{_escape(href)}" dir="auto">{_escape(speaker)}</a>: {figure:,d}'
            f" ({_escape(label)})</span>")


def _here(claim_id: int) -> str:
    return f"#claim-{claim_id:d}"


def disagreement_list(diffs: Sequence[Disagreement], compatible_label: str, incompatible_label: str,
                      page: IncidentPage | None = None) -> Markup:
    """Each disagreeing figure as a link to its row (on the incident page of ``page``; on this page when none),
    coloured by whether both could be true, one per line."""
    # every item is escaped in _disagreement (f-strings and _escape(): Markup.format costs ~10 times as much)
    return Markup("<br>".join([
        _disagreement(page.figure_href(d.other_claim_id, here=False) if page else _here(d.other_claim_id),
                      d.speaker, d.figure, d.compatible, compatible_label if d.compatible else incompatible_label)
        for d in diffs
    ]))


@lru_cache(maxsize=4096)
def _text(value: str) -> str:
    """``value`` escaped (speakers and messages recur on every row of a page)."""
    return _escape(value)


def _by_speaker(diffs: Sequence[Disagreement]) -> list[list[Any]]:
    """``[first, count, highest, clashes]`` per disagreeing speaker, in the order of their lowest figure (``diffs``
    is in ascending order of figure, so each speaker's first is its lowest and its last its highest)."""
    found: dict[str, list[Any]] = {}
    for d in diffs:
        entry = found.get(d.speaker)
        if entry is None:
            found[d.speaker] = [d, 1, d.figure, 0 if d.compatible else 1]
        else:
            entry[1] += 1
            entry[2] = d.figure
            entry[3] += 0 if d.compatible else 1
    return list(found.values())


#: The disagreement cell names at most this many speakers; the others are counted, and the full list is a link away.
SUMMARY_SPEAKERS = 12
#: The tolls list at most this many of a speaker's figures, and at most this many speakers; the rest are counted (every
#: figure is in the side-by-side table): an incident reported by hundreds of outlets keeps its page under 200 KB.
TOLL_ITEMS = 15
TOLL_SPEAKERS = 30


def disagreement_summary(incident_id: int, claim_id: int, diffs: Sequence[Disagreement],
                         labels: Mapping[str, str], href: Callable[[int], str] = _here) -> Markup:
    """The disagreement cell of one figure: each speaker once, coloured red when at least one of its figures cannot
    be true together with this one; a speaker with one figure links to its row as the full list does, a speaker with
    several gives their count and range. When any speaker was summarised, a link to the full list follows (a page
    without scripts; loaded into the cell by HTMX with them).

    ``labels`` holds the page's messages: ``compatible``, ``incompatible``, ``partly`` (some of a speaker's figures
    cannot both be true, some could), ``figures`` (``{n}``, ``{low}``, ``{high}``), ``all`` (``{n}``) and
    ``more_speakers`` (``{n}``: the speakers past :data:`SUMMARY_SPEAKERS`, those that cannot agree named first);
    ``href(claim_id)`` is the link to a figure's row."""
    if not diffs:
        return Markup("")
    speakers = _by_speaker(diffs)
    if len(speakers) > SUMMARY_SPEAKERS:  # the speakers that cannot agree with this figure first, in their order
        speakers = sorted(speakers, key=lambda s: s[3] == 0)
    shown, hidden = speakers[:SUMMARY_SPEAKERS], len(speakers) - SUMMARY_SPEAKERS
    parts = []
    for first, count, high, clashes in shown:
        if count == 1:
            parts.append(_disagreement(href(first.other_claim_id), first.speaker, first.figure, first.compatible,
                                       labels["compatible"] if first.compatible else labels["incompatible"]))
            continue
        verdict = "compatible" if not clashes else "incompatible" if clashes == count else "partly"
        words = labels["figures"].format(n=count, low=f"{first.figure:,d}", high=f"{high:,d}")
        parts.append(f'<span class="{"clash" if clashes else "compatible"}"><span dir="auto">'
                     f'{_text(first.speaker)}</span>: {_escape(words)} ({_text(labels[verdict])})</span>')
    if hidden > 0:
        parts.append(f'<span class="muted">{_escape(labels["more_speakers"].format(n=hidden))}</span>')
    if len(speakers) < len(diffs) or hidden > 0:
        url = f"/incidents/{int(incident_id):d}/disagreements/{int(claim_id):d}"
        parts.append(f'<a class="all" href="{url}" hx-get="{url}" hx-target="#diffs-{int(claim_id):d}">'
                     f'{_escape(labels["all"].format(n=len(diffs)))}</a>')
    return Markup("<br>".join(parts))

def _figure(value: Any) -> str:
    """A figure as the ``figure`` filter writes it: thousands separated, nothing for none."""
    return "" if value is None else f"{int(value):,d}"


def figures(claim: ClaimView, t: Translator) -> Markup:
    """One claim's figures: its qualifier, the best figure in bold, and the range when low and high differ."""
    row = claim.row
    qualifier = row["qualifier"]
    qual = (f'<span class="qual">{_text(t.term("qual", qualifier))}</span> '
            if qualifier and qualifier != "exact" else "")
    low, high = row["low"], row["high"]
    span = (f' <span class="range">({_figure(low)}–{_figure(high) if high is not None else "…"})</span>'
            if low is not None and high != low else "")
    return Markup(f'<span class="fig">{qual}<b>{_figure(row["best"])}</b>{span}</span>')


def toll_items(page: IncidentPage, claims: Sequence[ClaimView], t: Translator) -> Markup:
    """One speaker's figures in the tolls of the incident page: figures, outcome, population, place; marked when
    another speaker's figure for the same count differs."""
    items = []
    for c in claims[:TOLL_ITEMS]:
        row = c.row
        place = f' · <span dir="auto">{_escape(row["place"])}</span>' if row["place"] else ""
        mark = ' class="conflict"' if page.disagreements.get(int(row["id"])) else ""
        items.append(f"<li{mark}>{figures(c, t)} {_escape(t.code(row['outcome']))} · "
                     f"{_escape(t.code(row['population']))}{place}</li>")
    if len(claims) > TOLL_ITEMS:  # largest first: what is left out are the smaller figures, all in the table
        more = _escape(t("incident.toll_more", n=len(claims) - TOLL_ITEMS))
        items.append(f'<li class="muted"><a href="#side">{more}</a></li>')
    return Markup("\n".join(items))


def side_by_side_rows(page: IncidentPage, t: Translator, labels: Mapping[str, str]) -> Markup:
    """The rows of the incident page's side-by-side table, one per casualty figure: speaker and document,
    publication date, event date, place, outcome, population, low / best / high, attribution, caveat, the
    disagreement summary and the review status. (A template loop cost ~4 ms for 50 figures, twice the rest of the
    page; this is a tenth of that.) ``labels`` as for :func:`disagreement_summary`, with ``copy`` and ``pending``."""
    incident_id = page.incident.id
    rows = []
    for c in page.shown_figures:
        row = c.row
        claim_id = int(row["id"])
        d = page.document(c)
        diffs = page.disagreements.get(claim_id, ())
        css = ("conflict" if diffs else "") + (" incompatible" if page.clashes(c) else "")
        copy = f' <span class="tag">{_escape(labels["copy"])}</span>' if d.is_copy else ""
        s = page.status.get(claim_id)
        status = (f'<span class="status status-{_escape(s.action)}">{_escape(t("action.done." + s.action))}</span>'
                  f" {_escape(s.user_name)}" if s else f'<span class="muted">{_escape(labels["pending"])}</span>')
        summary = disagreement_summary(incident_id, claim_id, diffs, labels, page.figure_href)
        rows.append(
            f'<tr id="claim-{claim_id:d}" class="{css}">\n'
            f'  <td><a href="/documents/{int(d.id):d}" dir="auto">{_escape(page.speaker(c))}</a>{copy}</td>\n'
            f"  <td>{_escape(t.date(d.published_at))}</td>\n"
            f'  <td>{_escape(t.date_range(row["date_start"], row["date_end"], row["date_prec"]))}</td>\n'
            f'  <td dir="auto">{_escape(row["place"] or "")}</td>\n'
            f'  <td>{_escape(t.code(row["outcome"]))}</td>\n'
            f'  <td>{_escape(t.code(row["population"]))}</td>\n'
            f'  <td class="num">{_figure(row["low"])}</td>\n'
            f'  <td class="num best">{_figure(row["best"])}</td>\n'
            f'  <td class="num">{_figure(row["high"])}</td>\n'
            f'  <td dir="auto">{_escape(row["attributed_to"] or "")}</td>\n'
            f'  <td dir="auto">{_escape(row["caveat"] or "")}</td>\n'
            f'  <td id="diffs-{claim_id:d}">{summary}</td>\n'
            f'  <td>{status} <a href="/claims/{claim_id:d}">#{claim_id:d}</a></td>\n'
            "</tr>\n")
    return Markup("".join(rows))
