"""HTML fragments built in Python where a template loop would cost too much: the disagreement cell of the incident
page lists, for each of up to ~50 figures, every other speaker's differing figure (thousands of links on a big
incident). The markup is exactly what the template wrote before; every text is escaped here as autoescape would."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from markupsafe import Markup

from tawthiq.report.compare import Disagreement


@lru_cache(maxsize=8192)
def _disagreement(other_claim_id: int, speaker: str, figure: int, compatible: bool, label: str) -> Markup:
    return Markup(
        '<span class="{}"><a href="#claim-{}" dir="auto">{}</a>: {:,} ({})</span>'
    ).format("compatible" if compatible else "clash", other_claim_id, speaker, figure, label)


def disagreement_list(diffs: Sequence[Disagreement], compatible_label: str, incompatible_label: str) -> Markup:
    """Each disagreeing figure as a link to its row, coloured by whether both could be true, one per line."""
    # every item is markup already (escaped in _disagreement): a plain join, not Markup.join's escape() per item
    return Markup("<br>".join([
        _disagreement(d.other_claim_id, d.speaker, d.figure, d.compatible,
                      compatible_label if d.compatible else incompatible_label)
        for d in diffs
    ]))

