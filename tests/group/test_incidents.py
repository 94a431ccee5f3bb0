import datetime as dt

from tawthiq.extract.qualifiers import apply_qualifier
from tawthiq.group.incidents import disagreements, group_incidents, independent_sources
from tawthiq.model import (
    Claim,
    ClaimKind,
    DatePrecision,
    DateRange,
    Outcome,
    Place,
    Population,
    Quantity,
    Span,
    WherePrecision,
)

SOURCES = {"a" * 64: ("Daily A", None), "b" * 64: ("Weekly B", None), "c" * 64: ("Copycat C", "a" * 64)}


def _claim(cid: int, doc: str, day: tuple[int, int, int], admin1: str | None, best: int | None = None,
           qualifier: str = "exact", speaker: str | None = None, prec: DatePrecision = DatePrecision.DAY) -> Claim:
    start = dt.date(*day)
    end = start if prec == DatePrecision.DAY else start.replace(day=28)
    quantity = None
    if best is not None:
        low, b, high = apply_qualifier(qualifier, best)
        quantity = Quantity(low, b, high, qualifier, qualifier.replace("_", " ") if qualifier != "exact" else "",
                            str(best), Span(0, 1))
    place = Place(admin1, admin1, None, None, WherePrecision.ADMIN1) if admin1 else None
    return Claim(kind=ClaimKind.CASUALTY_COUNT if quantity else ClaimKind.EVENT, sentence="s", span=Span(0, 1),
                 outcome=Outcome.KILLED if quantity else None, population=Population.TOTAL if quantity else None,
                 quantity=quantity, date=DateRange(start, end, prec), place=place, attributed_to=speaker,
                 document_sha256=doc * 64, id=cid)


def test_claims_close_in_time_and_space_form_one_incident_and_others_stay_apart() -> None:
    claims = [
        _claim(1, "a", (2025, 3, 6), "Latakia"),
        _claim(2, "b", (2025, 3, 7), "Tartus"),  # neighbouring governorate, a day later
        _claim(3, "b", (2025, 3, 1), None, 1300, "more_than", "Monitor", DatePrecision.MONTH),  # a national toll
        _claim(4, "a", (2012, 5, 25), "Homs"),
        _claim(5, "a", (2025, 3, 7), "Daraa"),  # same days, far away: the national toll must not bridge them
    ]
    incidents = group_incidents(claims, SOURCES)
    by_claims = sorted(sorted(c.id for c in inc.claims) for inc in incidents)  # type: ignore[type-var]
    assert by_claims == [[1, 2, 3], [4], [5]]
    first = next(inc for inc in incidents if inc.date and inc.date.start.year == 2012)
    assert first.admin1 == ["Homs"] and first.date.prec == DatePrecision.DAY  # type: ignore[union-attr]


def test_far_apart_governorates_on_the_same_day_are_separate_without_a_bridge() -> None:
    incidents = group_incidents([_claim(1, "a", (2025, 7, 14), "As-Suwayda"), _claim(2, "b", (2025, 7, 14), "Latakia")],
                                SOURCES)
    assert len(incidents) == 2


def test_a_national_toll_joins_the_incident_of_its_own_story() -> None:
    claims = [_claim(1, "a", (2025, 3, 6), "Latakia"), _claim(2, "b", (2025, 3, 6), "Latakia"),
              _claim(3, "b", (2025, 3, 6), "Daraa"), _claim(4, "b", (2025, 3, 1), None, 50, prec=DatePrecision.MONTH),
              _claim(5, "c", (2025, 4, 1), None, 9, prec=DatePrecision.MONTH)]
    by_claims = sorted(sorted(c.id for c in inc.claims) for inc in group_incidents(claims, SOURCES))  # type: ignore[type-var]
    assert by_claims == [[1, 2, 4], [3], [5]]


def test_undated_claims_are_not_grouped() -> None:
    undated = _claim(1, "a", (2025, 3, 6), "Latakia")
    undated.date = None
    assert group_incidents([undated], SOURCES) == []


def test_copies_add_no_corroboration_and_speakers_count_once() -> None:
    claims = [_claim(1, "a", (2025, 3, 6), "Hama", 10, speaker="Monitor"),
              _claim(2, "b", (2025, 3, 6), "Hama", 10, speaker="Monitor"),
              _claim(3, "c", (2025, 3, 6), "Hama", 12, speaker="Ministry"),
              _claim(4, "b", (2025, 3, 6), "Hama")]
    assert independent_sources(claims, SOURCES) == {"Monitor", "Weekly B"}


def test_disagreements_distinguish_contradiction_from_difference() -> None:
    claims = [_claim(1, "a", (2025, 3, 6), None, 1300, "more_than", "Monitor"),
              _claim(2, "b", (2025, 3, 6), None, 1426, "exact", "Inquiry"),
              _claim(3, "b", (2025, 3, 6), None, 800, "exact", "Network")]
    found = disagreements(claims, SOURCES)
    assert any("differ" in s and "Inquiry says 1,426" in s and "Monitor says more than 1,300" in s for s in found)
    assert any("contradict" in s and "Network says 800" in s and "Inquiry" in s for s in found)
    assert not disagreements(claims[:1], SOURCES)


def test_span_precision_follows_ucdp_codes() -> None:
    from tawthiq.group.incidents import span_precision

    d = dt.date
    assert span_precision(d(2025, 3, 6), d(2025, 3, 6)) == DatePrecision.DAY
    assert span_precision(d(2025, 3, 6), d(2025, 3, 10)) == DatePrecision.DAYS
    assert span_precision(d(2025, 3, 1), d(2025, 3, 31)) == DatePrecision.MONTH
    assert span_precision(d(2012, 1, 1), d(2012, 12, 31)) == DatePrecision.YEAR


def test_parts_of_a_breakdown_are_not_set_against_totals() -> None:
    total = _claim(1, "a", (2025, 3, 6), None, 1300, "more_than", "Monitor")
    part = _claim(2, "a", (2025, 3, 6), None, 836, "exact", "Monitor")
    part.parent = 0
    other = _claim(3, "b", (2025, 3, 6), None, 836, "exact", "Inquiry")
    found = disagreements([total, part, other], SOURCES)
    assert found and all("claim 2" not in s for s in found)


def test_each_speaker_is_compared_by_its_fullest_toll() -> None:
    daily = _claim(1, "a", (2025, 3, 20), None, 16, "exact", "Monitor")
    total = _claim(2, "a", (2025, 3, 6), None, 2146, "exact", "Monitor")
    network = _claim(3, "b", (2025, 3, 6), None, 803, "exact", "Network")
    found = disagreements([daily, total, network], SOURCES)
    assert len(found) == 1 and "2,146" in found[0] and " 16 " not in found[0]
