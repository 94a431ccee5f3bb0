"""The English quantity parser: counts read right, everything that is not a count of people left out."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tawthiq.errors import ExtractionError
from tawthiq.extract.quantities import (
    IDIOMS,
    PREFIX_QUALIFIERS,
    VAGUE_WORDS,
    NumberKind,
    find_numbers,
    find_quantities,
    head_noun,
    is_people_noun,
    parse_quantity,
)

_ONES = re.findall(r"\w+", "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
                          "fifteen sixteen seventeen eighteen nineteen")
_TENS = re.findall(r"\w+", "_ _ twenty thirty forty fifty sixty seventy eighty ninety")


def words(n: int, *, hyphen: bool = True, british_and: bool = True) -> str:
    """English words for ``0 <= n < 10**12``, written the way reporters write them (our own generator)."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (("-" if hyphen else " ") + _ONES[ones] if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        head = f"{_ONES[hundreds]} hundred"
        if not rest:
            return head
        return f"{head} {'and ' if british_and else ''}{words(rest, hyphen=hyphen)}"
    for scale, name in ((10**9, "billion"), (10**6, "million"), (1000, "thousand")):
        if n >= scale:
            high, rest = divmod(n, scale)
            head = f"{words(high, hyphen=hyphen, british_and=british_and)} {name}"
            if not rest:
                return head
            joiner = " and " if british_and and rest < 100 else " "
            return head + joiner + words(rest, hyphen=hyphen, british_and=british_and)
    raise AssertionError(n)


def only(sentence: str) -> tuple[int | None, int | None, int | None, str, str]:
    found = find_quantities(sentence)
    assert len(found) == 1, (sentence, found)
    q = found[0]
    return q.low, q.best, q.high, q.qualifier, q.text


# --- properties ------------------------------------------------------------------------------------------------------


@given(st.integers(min_value=0, max_value=999_999_999))
def test_digits_with_separators_parse_back(n: int) -> None:
    q = parse_quantity(f"{n:,}")
    assert q is not None and (q.low, q.best, q.high, q.qualifier) == (n, n, n, "exact")
    assert only(f"Officials said {n:,} people had died.")[1] == n


@given(st.integers(min_value=2, max_value=999_999_999))
def test_plain_digits_before_a_people_noun_parse_back(n: int) -> None:
    assert only(f"Medics counted {n} victims in the square.")[1] == n


@given(st.integers(min_value=0, max_value=999_999_999), st.booleans(), st.booleans())
def test_number_words_parse_back(n: int, hyphen: bool, british_and: bool) -> None:
    written = words(n, hyphen=hyphen, british_and=british_and)
    q = parse_quantity(written)
    assert q is not None and q.best == n and q.text == written
    assert only(f"The raid left {written} civilians dead.")[1] == n


@given(st.integers(min_value=1, max_value=99), st.integers(min_value=0, max_value=9),
       st.sampled_from(["million", "thousand"]))
def test_decimals_with_a_scale_word(whole: int, tenth: int, scale: str) -> None:
    factor = 10**6 if scale == "million" else 1000
    assert only(f"Some {whole}.{tenth} {scale} people fled.")[1] == whole * factor + tenth * factor // 10


@given(st.sampled_from(sorted(PREFIX_QUALIFIERS)), st.integers(min_value=0, max_value=10**7))
def test_qualifiers_keep_low_best_high_in_order(wording: str, n: int) -> None:
    sentence = f"Monitors reported {wording} {n:,} detainees in the prison."
    low, best, high, key, text = only(sentence)
    assert key == PREFIX_QUALIFIERS[wording]
    assert text == f"{wording} {n:,}"
    assert _ordered(low, best, high)


@given(st.sampled_from(sorted(VAGUE_WORDS) + sorted(IDIOMS)),
       st.sampled_from(["", "more than ", "at least ", "about ", "nearly ", "up to "]))
def test_vague_words_and_idioms_keep_low_best_high_in_order(wording: str, prefix: str) -> None:
    q = parse_quantity(f"{prefix}{wording} of")
    assert q is not None and _ordered(q.low, q.best, q.high)


def _ordered(low: int | None, best: int | None, high: int | None) -> bool:
    assert best is not None
    return (low is None or low <= best) and (high is None or best <= high)


_VOCAB = st.sampled_from(re.split(
    " ", "more than at least about some nearly up to scores of hundreds tens of thousands half a dozen a couple of "
    "1,300 15 2011 7.30 62nd 60% $5 million 1.2 two hundred and fifty twenty-one one people civilians years "
    "days March Friday aged in their 20s the 1970s - or to between and , . killed were"))


@given(st.lists(_VOCAB, max_size=25).map(" ".join) | st.text(max_size=80))
@settings(max_examples=300)
def test_spans_slice_back_to_the_text(sentence: str) -> None:
    for mention in find_numbers(sentence):
        q = mention.quantity
        assert sentence[q.span.start : q.span.end] == q.text
        assert q.text == q.text.strip()
        if q.best is not None:
            assert _ordered(q.low, q.best, q.high)


_MONTHS = ["January", "March", "May", "July", "August", "December"]
_NON_COUNTS = st.one_of(
    st.integers(1900, 2100).map(lambda y: f"The uprising began in {y} in the south."),
    st.integers(1900, 2100).map(lambda y: f"Troops returned in {y}."),
    st.integers(1, 99).map(lambda a: f"Among the dead was a {a}-year-old teacher."),
    st.integers(1, 99).map(lambda a: f"The boy, aged {a}, survived."),
    st.integers(2, 9).map(lambda d: f"Both sons were in their {d}0s at the time."),
    st.tuples(st.integers(1, 500), st.sampled_from(["years", "days", "hours", "minutes", "weeks", "months"])).map(
        lambda t: f"He was held for {t[0]} {t[1]} without charge."),
    st.tuples(st.integers(2, 99), st.sampled_from(["years", "days", "hours"])).map(
        lambda t: f"He was held for {words(t[0])} {t[1]} without charge."),
    st.integers(0, 100).map(lambda p: f"Roughly {p}% of the district had fled."),
    st.integers(0, 100).map(lambda p: f"Roughly {p} per cent of the district had fled."),
    st.integers(1, 200).map(lambda n: f"It was the {n}{_suffix(n)} session of the council."),
    st.integers(1, 10**6).map(lambda n: f"The fine was ${n:,} for each family."),
    st.integers(1, 10**6).map(lambda n: f"Damage was put at {n:,} dollars."),
    st.tuples(st.integers(1, 28), st.sampled_from(_MONTHS)).map(lambda t: f"The shelling began on {t[0]} {t[1]}."),
    st.tuples(st.integers(1, 28), st.sampled_from(_MONTHS)).map(lambda t: f"The shelling began on {t[1]} {t[0]}."),
    st.integers(1, 500).map(lambda n: f"The front line was {n} km from the town."),
)


def _suffix(n: int) -> str:
    if n % 100 in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")  # codespell:ignore nd


@given(_NON_COUNTS)
def test_years_ages_durations_percentages_are_never_counts(sentence: str) -> None:
    assert find_quantities(sentence) == []


# --- concrete cases, in our own words --------------------------------------------------------------------------------


def test_more_than_n_people_attributed() -> None:
    s = ("More than 2,400 people died in four days of shelling, with more than 1,100 civilians among them, "
         "according to a monitoring group based in London.")
    found = find_quantities(s)
    assert [(q.text, q.low, q.best, q.high, q.qualifier, q.qualifier_text) for q in found] == [
        ("More than 2,400", 2400, 2400, None, "more_than", "More than"),
        ("more than 1,100", 1100, 1100, None, "more_than", "more than"),
    ]
    assert [head_noun(s, q) for q in found] == ["people", "civilians"]


def test_half_a_dozen_and_scores_of() -> None:
    s = "Raiders stormed two army posts, killing scores of security forces and half a dozen guards."
    found = find_quantities(s)
    assert [(q.text, q.low, q.best, q.high, q.qualifier) for q in found] == [
        ("scores of", 40, 40, 199, "scores"),
        ("half a dozen", 5, 6, 7, "approx_exact"),
    ]
    assert [head_noun(s, q) for q in found] == ["security forces", "guards"]
    assert found[0].qualifier_text == "scores of"
    assert find_numbers(s)[0].kind is NumberKind.THING  # "two army posts"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("About 30,000 residents were massacred.", (27000, 30000, 33000, "about", "About 30,000")),
        ("At least two guards were taken away.", (2, 2, None, "at_least", "At least two")),
        ("Tens of thousands of families lost their homes.", (10000, 10000, 99999, "tens_of_thousands",
                                                            "Tens of thousands of")),
        ("Tens of thousands were never found.", (10000, 10000, 99999, "tens_of_thousands", "Tens of thousands")),
        ("Graves held more than half a million killed.", (500000, 500000, None, "more_than",
                                                          "more than half a million")),
        ("Some 1.2 million people fled.", (1080000, 1200000, 1320000, "about", "Some 1.2 million")),
        ("They buried two hundred and fifty villagers.", (250, 250, 250, "exact", "two hundred and fifty")),
        ("Fifteen relatives were shot.", (15, 15, 15, "exact", "Fifteen")),
        ("Gunmen held 15 hostages.", (15, 15, 15, "exact", "15")),
        ("They seized three farmers.", (3, 3, 3, "exact", "three")),
        ("A dozen soldiers deserted.", (11, 12, 13, "approx_exact", "A dozen")),
        ("More than a dozen neighbours hid there.", (12, 12, None, "more_than", "More than a dozen")),
        ("A couple of guards escaped.", (1, 2, 3, "approx_exact", "A couple of")),
        ("Hundreds of protesters gathered.", (100, 100, 999, "hundreds", "Hundreds of")),
        ("Nearly 900 detainees were freed.", (810, 900, 900, "nearly", "Nearly 900")),
        ("Up to 40 fighters were captured.", (None, 40, 40, "up_to", "Up to 40")),
        ("Fewer than 20 officers stayed.", (None, 19, 19, "less_than", "Fewer than 20")),
        ("Between 40 and 60 civilians were killed.", (40, 40, 60, "range", "Between 40 and 60")),
        ("Perhaps six or seven were members of the cell.", (6, 6, 7, "range", "six or seven")),
        ("200 or more bodies were recovered.", (200, 200, None, "at_least", "200 or more")),
        ("Several hundred villagers fled.", (300, 300, 999, "several_hundred", "Several hundred")),
        ("A few victims were named.", (3, 3, 9, "a_few", "A few")),
        ("About hundreds of mourners came.", (100, 100, 999, "hundreds", "About hundreds of")),
        ("At least dozens of guards fled.", (12, 12, None, "at_least", "At least dozens of")),
        ("Clashes killed 20-odd fighters.", (18, 20, 22, "about", "20-odd")),
        ("Shelling killed 200+ residents.", (200, 200, None, "at_least", "200+")),
        ("Shelling killed 300-plus residents.", (300, 300, None, "at_least", "300-plus")),
        ("Two dozen fighters surrendered.", (24, 24, 24, "exact", "Two dozen")),
        ("Some 2.5 thousand people fled.", (2250, 2500, 2750, "about", "Some 2.5 thousand")),
        ("Half a million people fled.", (450000, 500000, 550000, "about", "Half a million")),
        ("They detained a score of men.", (19, 20, 21, "approx_exact", "a score of")),
    ],
)
def test_count_phrases(sentence: str, expected: tuple[object, ...]) -> None:
    assert only(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Her cousin lived three streets away.", NumberKind.MEASURE),
        ("He phoned at 6.45 or 7 in the morning.", NumberKind.TIME),
        ("They left at about five in the afternoon.", NumberKind.TIME),
        ("Near nine on Sunday evening the shooting stopped.", NumberKind.TIME),
        ("It was the 41st anniversary.", NumberKind.ORDINAL),
        ("About 45% of the homes were burnt.", NumberKind.PERCENT),
        ("Families paid $3,000 to smugglers.", NumberKind.MONEY),
        ("Militias controlled the road 20 km north.", NumberKind.MEASURE),
        ("He spent 11 years in jail.", NumberKind.DURATION),
        ("She hid for nine hours.", NumberKind.DURATION),
        ("A few weeks later he returned.", NumberKind.DURATION),
        ("They spoke for a minute or two.", NumberKind.DURATION),
        ("The victim was a 52-year-old driver.", NumberKind.AGE),
        ("Recruits, aged 16 or 17, were sent north.", NumberKind.AGE),
        ("Both were in their 30s.", NumberKind.AGE),
        ("At 16, he was jailed.", NumberKind.AGE),
        ("The violence of the 1980s left scars.", NumberKind.DECADE),
        ("In 1979, the army moved in.", NumberKind.YEAR),
        ("The shelling started on 4 April.", NumberKind.DATE),
        ("The shelling started on April 4.", NumberKind.DATE),
        ("They recovered 0.5 tonnes of explosives.", NumberKind.MEASURE),
        ("One of them fired first.", NumberKind.PRONOUN),
        ("We verified more than 20 videos.", NumberKind.THING),
        ("Prices rose five times over.", NumberKind.MULTIPLIER),
        ("They lived in a two-bedroom flat.", NumberKind.MODIFIER),
        ("Resolution 2254 was cited.", NumberKind.LABEL),
        ("It was the 1967 war.", NumberKind.YEAR),
        ("Raids continued on 15-16 April.", NumberKind.DATE),
        ("The curfew began at 3am.", NumberKind.TIME),
    ],
)
def test_numbers_that_are_not_counts(sentence: str, kind: NumberKind) -> None:
    kinds = [m.kind for m in find_numbers(sentence)]
    assert kinds == [kind], [(m.quantity.text, m.kind, m.reason) for m in find_numbers(sentence)]
    assert find_quantities(sentence) == []


def test_years_in_a_sentence_are_not_counts_but_the_toll_is() -> None:
    s = "In 1979, about 30,000 people were massacred in the old city."
    kinds = [(m.quantity.text, m.kind) for m in find_numbers(s)]
    assert kinds == [("1979", NumberKind.YEAR), ("about 30,000", NumberKind.COUNT)]


@pytest.mark.parametrize("sentence", ["The list is dated 2025-03-06.", "The list is dated 6/3/2025.",
                                      "Monitors work 24/7 here.", "Version 5.3.2 was used."])
def test_numeric_dates_and_codes_are_not_numbers(sentence: str) -> None:
    assert find_numbers(sentence) == []


@pytest.mark.parametrize("sentence", ["Raids continued on April 15 and 16.", "Raids continued on 15 and 16 April."])
def test_both_days_of_a_month_pair_are_dates(sentence: str) -> None:
    assert [m.kind for m in find_numbers(sentence)] == [NumberKind.DATE] * 2


def test_four_digit_counts_before_people_nouns_are_counts() -> None:
    assert only("Rescuers pulled 1500 survivors from the rubble.")[1] == 1500


@pytest.mark.parametrize(
    ("sentence", "noun"),
    [
        ("Attackers killed 12 unarmed farmers.", "farmers"),
        ("At least two of his brothers were taken.", "brothers"),
        ("The list named 310 victims, 41 from the security forces.", "victims"),
        ("Hundreds of Syrian government soldiers died.", "government soldiers"),
        ("They found the bodies of nine family members.", "family members"),
        ("Thousands were arrested.", None),
    ],
)
def test_head_noun(sentence: str, noun: str | None) -> None:
    q = find_quantities(sentence)[0]
    assert head_noun(sentence, q) == noun
    assert is_people_noun(noun) == (noun is not None)


def test_head_noun_through_a_partitive() -> None:
    s = "The list named 310 victims, 41 from the security forces."
    assert [head_noun(s, q) for q in find_quantities(s)] == ["victims", "security forces"]


def test_parse_quantity_without_a_number() -> None:
    assert parse_quantity("no figure was given") is None


def test_bad_input_is_a_clear_error() -> None:
    with pytest.raises(ExtractionError, match="parse_quantity: expected text"):
        parse_quantity(1300)  # type: ignore[arg-type]


def test_corpus_counts_are_found() -> None:
    """The toll patterns of the two shared documents, found without copying their sentences into the project."""
    corpus = _corpus()
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt")))
    found = {q.text.lower(): q for s in re.split(r"(?<=[.!?])\s+", text) for q in find_quantities(s)}
    for phrase, best in [("more than 1,300", 1300), ("more than 970", 970), ("half a dozen", 6), ("scores of", 40),
                         ("1,426", 1426), ("238", 238), ("298", 298), ("about 25,000", 25000), ("more than 100", 100)]:
        assert found[phrase].best == best
    for not_count in ("2011", "62nd", "60", "35", "13", "20s", "7.30 or 8", "1982", "2012"):
        assert not_count not in found


def _corpus() -> Path:
    corpus = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"
    if not corpus.is_dir():
        pytest.skip(f"shared corpus not found at {corpus}")
    return corpus
