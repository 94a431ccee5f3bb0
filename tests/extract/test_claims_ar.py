
"""Claims from Arabic text: breakdowns linked to their totals, dates and speakers from context, non-casualty numbers.

Every sentence here is written for these tests (none comes from a real article).
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from tawthiq.extract.claims import extract_claims
from tawthiq.extract.dates import DateContext
from tawthiq.model import Claim, ClaimKind, DatePrecision, Outcome, Population

SOHR, SNHR = "Syrian Observatory for Human Rights", "Syrian Network for Human Rights"
CTX = DateContext(published=dt.date(2024, 11, 9))  # a Saturday


def _ar(text: str, ctx: DateContext = CTX) -> list[Claim]:
    return extract_claims(text, ctx, language="ar")


def _counts(claims: list[Claim]) -> dict[int, Claim]:
    return {c.best: c for c in claims if c.kind == ClaimKind.CASUALTY_COUNT and c.best is not None}


def test_an_inline_breakdown_gives_one_linked_claim_per_place() -> None:
    claims = _ar("وثّق المرصد السوري مقتل 9 مدنيين أمس في محافظة إدلب، توزعوا كالتالي: 4 في سراقب، و5 في قرية كفرعويد.")
    by = _counts(claims)
    total = by[9]
    assert total.parent is None and total.population == Population.CIVILIANS
    for best, admin1 in ((4, "Idlib"), (5, "Idlib")):
        part = by[best]
        assert claims[part.parent] is total  # type: ignore[index]
        assert part.outcome == Outcome.KILLED and part.attributed_to == SOHR
        assert part.population == Population.CIVILIANS  # a bare figure counts what its total counts
        assert part.date is not None and part.date.start == dt.date(2024, 11, 8)
        assert part.place is not None and part.place.admin1 == admin1
    assert by[4].place is not None and by[4].place.name == "Saraqib"


def test_list_lines_under_a_heading_by_governorate() -> None:
    text = ("ووثّقت الشبكة السورية لحقوق الإنسان حصيلة القتلى منذ 1 تشرين الثاني:\n"
            "- درعا: 14.\n- حلب: 9.\n- دير الزور: 3.\n"
            "وأضافت: “ليرتفع العدد الإجمالي للقتلى إلى 31”.")
    claims = _ar(text)
    by = _counts(claims)
    assert {b: by[b].place.admin1 for b in (14, 9, 3)} == {  # type: ignore[union-attr]
        14: "Daraa", 9: "Aleppo", 3: "Deir ez-Zor"}
    total = by[31]
    assert total.attributed_to == SNHR and total.place is None
    for best in (14, 9, 3):
        part = by[best]
        assert claims[part.parent] is total  # type: ignore[index]
        assert part.attributed_to == SNHR and part.outcome == Outcome.KILLED
        assert part.date is not None and part.date.start == dt.date(2024, 11, 1)
        assert part.date.end <= dt.date(2024, 11, 9)


def test_parts_after_among_them_take_the_total_outcome() -> None:
    text = "قالت وزارة الصحة إن 47 شخصاً قتلوا في القصف، بينهم 12 طفلاً و9 نساء وعدد من المسعفين، فيما أصيب 80 آخرون."
    claims = _ar(text)
    by = _counts(claims)
    total = by[47]
    assert total.attributed_to == "Syrian Ministry of Health"
    assert by[12].population == Population.CHILDREN and by[9].population == Population.WOMEN
    for best in (12, 9):
        assert claims[by[best].parent] is total and by[best].outcome == Outcome.KILLED  # type: ignore[index]
    vague = [c for c in claims if c.quantity and c.quantity.text == "عدد من"]
    assert vague and vague[0].outcome == Outcome.KILLED and claims[vague[0].parent] is total  # type: ignore[index]
    assert by[80].outcome == Outcome.INJURED and by[80].parent is None  # after "فيما": not a part


def test_the_toll_of_the_sentence_before_is_the_total_of_its_distribution() -> None:
    text = ("أعلن المرصد السوري مقتل 40 شخصاً في ريف حماة يوم الأحد 3 تشرين الثاني. "
            "وتوزعت الحصيلة كالتالي: 25 مقاتلاً و15 مدنياً.")
    claims = _ar(text)
    by = _counts(claims)
    assert claims[by[25].parent] is by[40] and claims[by[15].parent] is by[40]  # type: ignore[index]
    assert by[25].population == Population.COMBATANTS and by[15].population == Population.CIVILIANS
    assert by[25].attributed_to == SOHR and by[25].date == by[40].date
    assert by[25].place is not None and by[25].place.admin1 == "Hama"


def test_a_release_date_is_not_the_event_date() -> None:
    text = "وثّقت الشبكة السورية في تقرير صدر اليوم الخميس 7 تشرين الثاني 2024 مقتل 58 شخصاً بين 1 و5 تشرين الثاني."
    toll = _counts(_ar(text))[58]
    assert toll.date is not None and (toll.date.start, toll.date.end) == (dt.date(2024, 11, 1), dt.date(2024, 11, 5))


def test_the_same_period_and_a_headline_take_the_toll_period() -> None:
    text = ("مقتل 75 شخصاً في اشتباكات ريف دير الزور\n"
            "أفاد المرصد السوري بمقتل نحو 70 شخصاً في ريف دير الزور بين 2 و4 تشرين الثاني.\n"
            "ونشرت الشبكة السورية لحقوق الإنسان حصيلة تضمنت مقتل 52 شخصاً خلال الفترة ذاتها.")
    by = _counts(_ar(text))
    for best in (75, 70, 52):
        d = by[best].date
        assert d is not None and (d.start, d.end) == (dt.date(2024, 11, 2), dt.date(2024, 11, 4))
    assert by[52].attributed_to == SNHR and by[52].date.inferred  # type: ignore[union-attr]
    assert by[75].attributed_to is None  # a headline names no speaker


def test_a_short_name_refers_back_to_the_organisation_named_before() -> None:
    text = ("وثّقت الشبكة السورية لحقوق الإنسان مقتل 20 مدنياً في حمص يوم 4 تشرين الثاني.\n"
            "وسجّلت الشبكة أيضاً اختفاء عشرات الأشخاص في المنطقة.")
    missing = [c for c in _ar(text) if c.outcome == Outcome.MISSING]
    assert missing and missing[0].attributed_to == SNHR


def test_numbers_that_are_not_casualties() -> None:
    text = ("وثّق المرصد 14 مجزرة في المنطقة خلال الشهر الماضي.\n"
            "وصوّت المجلس بأغلبية 30 صوتاً مقابل 8 أصوات.\n"
            "وقال شاهد إن رجلاً في الستين من عمره قُتل برصاص قناص.")
    bests = {c.best for c in _ar(text) if c.kind == ClaimKind.CASUALTY_COUNT}
    assert not bests & {14, 30, 8, 60}


def test_a_dateline_and_an_undated_document_year() -> None:
    page = "قتلى في قصف على إدلب\n9 تشرين الثاني 2024\nقُتل 6 أشخاص في قصف على مدينة إدلب."
    by = _counts(_ar(page))
    assert by[6].date is None or by[6].date.start != dt.date(2024, 11, 9) or by[6].date.inferred
    undated = "في آذار 2013 قصفت القوات بلدة في ريف إدلب.\nوقُتل في الهجوم 35 شخصاً بينهم 10 أطفال."
    toll = _counts(_ar(undated, DateContext()))[35]
    assert toll.date is not None and toll.date.start.year == 2013 and toll.date.inferred
    assert toll.date.prec >= DatePrecision.MONTH


def test_english_parts_link_to_their_total() -> None:
    text = ("The ministry said 64 people were killed in the strikes, including 20 children and 11 women, "
            "while 130 were wounded.")
    claims = extract_claims(text, CTX)
    by = _counts(claims)
    assert claims[by[20].parent] is by[64] and claims[by[11].parent] is by[64]  # type: ignore[index]
    assert by[130].parent is None and by[64].parent is None


_GOVERNORATES = {"درعا": "Daraa", "حلب": "Aleppo", "حماة": "Hama", "إدلب": "Idlib", "اللاذقية": "Latakia",
                 "طرطوس": "Tartus", "حمص": "Homs", "السويداء": "As-Suwayda"}


@settings(max_examples=25, deadline=None)
@given(st.dictionaries(st.sampled_from(sorted(_GOVERNORATES)), st.integers(min_value=2, max_value=900),
                       min_size=2, max_size=6),
       st.sampled_from(["–", "-", "•"]))
def test_every_list_line_is_one_part_of_the_list_total(lines: dict[str, int], bullet: str) -> None:
    total = sum(lines.values()) + 1000
    body = "\n".join(f"{bullet} {name}: {n}." for name, n in lines.items())
    text = f"وثّق المرصد السوري حصيلة الضحايا بحسب المحافظات:\n{body}\nوأضاف أن العدد الإجمالي للقتلى بلغ {total}."
    claims = _ar(text)
    parts = [c for c in claims if c.parent is not None]
    assert sorted((c.best, c.place.admin1) for c in parts if c.place) == sorted(  # type: ignore[union-attr]
        (n, _GOVERNORATES[name]) for name, n in lines.items())
    assert {claims[c.parent].best for c in parts} == {total}  # type: ignore[index]
    assert all(c.attributed_to == SOHR and c.outcome == Outcome.KILLED for c in parts)
