
"""Counts of people in Arabic sentences: digits in any script, number words, duals, vague words and qualifiers.

The sentence is read in its matching form (:mod:`tawthiq.extract.arabic`: Arabic-Indic digits → ASCII, diacritics and
tatweel dropped, alef forms folded) and every span is mapped back to the ORIGINAL sentence.

What is read (docs/quantities-ar.md has the full table for documenters):

* digits in any script, with Arabic or Latin separators: ``2146``, ``١٠٨``, ``٣٬٥٠٠``, ``1,300``;
* number words in every case and gender, joined by و: ``أربعون``/``أربعين``, ``خمسة عشر``/``خمس عشرة``,
  ``مئتين وخمسين``, ``ثلاثمئة``/``ثلاثمائة``/``ثلاث مئة``, ``ألفان``/``ألفين``, ``عشرة آلاف``, ``مائة و اثنان ألف``;
* mixed forms: ``ألف و265``, ``3 آلاف و500``, ``40 ألف``, ``1.5 مليون``;
* duals that are counts (``قتيلان`` = 2, ``مجهولا الهوية`` = 2) and singular person nouns that are items of an
  enumeration of counts (``…، و12 قتيلاً، وصحفي`` → صحفي = 1); see :data:`DUAL_NOUNS` and :func:`_singulars`;
* vague words (``عشرات``, ``مئات``/``المئات``, ``آلاف``, ``عشرات الآلاف``, ``عدد من``, ``بضعة``, ``عدة``) and
  qualifiers before or after the number (``نحو``, ``حوالي``, ``قرابة``, ``أكثر من``, ``ما يزيد عن``, ``ما لا يقل عن``,
  ``على الأقل``, ``أقل من`` …), mapped onto the keys of the shared table :mod:`tawthiq.extract.qualifiers`;
* ranges: ``بين 50 و60``, ``50 إلى 60``, ``50-60``, ``خمسة أو ستة`` (key ``range``).

Numbers inside a date (``6 آذار``, ``بين 6 و10 من آذار``, ``عام 2012``) are the date reader's and are skipped here.
Every other number is a :class:`NumberMentionAr` with a :class:`NumberKindAr`; :func:`find_quantities_ar` returns the
quantities of all of them and :func:`is_casualty_count` says which are counts of people (item 9 of issue 8).

>>> [(q.best, q.qualifier, q.text) for q in find_quantities_ar("وثّق المرصد مقتل نحو ٦٠٠ شخص، بينهم طفلان.")]
[(600, 'about', 'نحو ٦٠٠'), (2, 'exact', 'طفلان')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import lru_cache

from tawthiq.extract.arabic import fold, has_tanween_fath, map_span, matching_form
from tawthiq.extract.dates_ar import date_spans_matching
from tawthiq.extract.qualifiers import RANGE_KEY, apply_qualifier, apply_range, apply_vague
from tawthiq.model import Quantity, Span

__all__ = [
    "DUAL_NOUNS", "POST_QUALIFIERS", "PRE_QUALIFIERS", "VAGUE_WORDS", "NumberKindAr", "NumberMentionAr",
    "find_quantities_ar", "head_noun_ar", "is_casualty_count", "number_mentions_ar", "read_number_ar",
]

# --- the words (written in plain Arabic; folded to the matching form when the module loads) --------------------------

_UNIT_WORDS = {
    "صفر": 0, "واحد": 1, "واحدة": 1, "اثنان": 2, "اثنين": 2, "اثنتان": 2, "اثنتين": 2, "ثنتان": 2, "ثنتين": 2,
    "ثلاث": 3, "ثلاثة": 3, "أربع": 4, "أربعة": 4, "خمس": 5, "خمسة": 5, "ست": 6, "ستة": 6, "سبع": 7, "سبعة": 7,
    "ثمان": 8, "ثماني": 8, "ثمانية": 8, "تسع": 9, "تسعة": 9,
}
_TEEN_ONLY = {"أحد": 1, "إحدى": 1, "اثنا": 2, "اثنتا": 2, "اثني": 2, "اثنتي": 2}  # only before عشر / عشرة
_TEN_WORDS = {"عشر": 10, "عشرة": 10}
_TENS_WORDS = {
    stem + end: 10 * i
    for i, stem in enumerate(["عشر", "ثلاث", "أربع", "خمس", "ست", "سبع", "ثمان", "تسع"], 2)
    for end in ("ون", "ين")
}
_HUNDRED_BARE = {"مئة": 100, "مائة": 100, "مية": 100, "ميه": 100}
_HUNDREDS = {
    "مئتان": 200, "مئتين": 200, "مئتا": 200, "مئتي": 200, "مائتان": 200, "مائتين": 200, "مائتا": 200, "مائتي": 200,
    **{
        stem + h: 100 * v
        for stem, v in [
            ("ثلاث", 3), ("أربع", 4), ("خمس", 5), ("ست", 6), ("سبع", 7), ("ثمان", 8), ("ثماني", 8), ("تسع", 9),
        ]
        for h in ("مئة", "مائة")
    },
}
_MULTIPLIERS = {"ألف": 1000, "آلاف": 1000, "ألوف": 1000, "مليون": 10**6, "ملايين": 10**6, "مليار": 10**9}
_DUAL_MULTIPLIERS = {"ألفان": 2000, "ألفين": 2000, "مليونان": 2 * 10**6, "مليونين": 2 * 10**6}
_ALFA = fold("ألفا")  # "ألفاً" (1000, accusative) or "ألفا" (2000, dual construct): the tanween decides

# Vague words -> key of qualifiers.VAGUE. A multiplier after them scales the key ("عشرات الآلاف").
VAGUE_WORDS: dict[str, str] = {
    "عشرات": "tens", "مئات": "hundreds", "آلاف": "thousands", "ألوف": "thousands", "ملايين": "millions",
    "بضعة": "a_few", "بضع": "a_few", "عدة": "a_few", "مائات": "hundreds",
}
_VAGUE_SCALED = {
    ("tens", 1000): "tens_of_thousands",
    ("hundreds", 1000): "hundreds_of_thousands",
    ("a_few", 100): "several_hundred",
    ("a_few", 1000): "several_thousand",
    ("tens", 10**6): "millions",
}
_A_FEW_PHRASE = ("عدد من", "عددا من", "عدداً من")  # "a number of"; bare "عدد" is "the number of" and is not vague

# Qualifiers written before the number (longest first when matched) and after it.
PRE_QUALIFIERS: dict[str, str] = {
    "ما لا يقل عن": "at_least", "ما لا يقل على": "at_least", "لا يقل عن": "at_least", "على الأقل": "at_least",
    "أكثر من": "more_than", "ما يزيد عن": "more_than", "ما يزيد على": "more_than", "يزيد عن": "more_than",
    "يزيد على": "more_than", "ما يربو على": "more_than", "ما يربو عن": "more_than", "يربو على": "more_than",
    "ما يفوق": "more_than", "يفوق": "more_than", "أزيد من": "more_than", "ما يتجاوز": "more_than", "نحو": "about",
    "حوالي": "about", "حوالى": "about", "قرابة": "about", "زهاء": "about", "ما يقارب": "about", "يقارب": "about",
    "ما يقرب من": "about", "تقريبا": "about", "ما يناهز": "nearly", "يناهز": "nearly", "أقل بقليل من": "nearly",
    "أقل من": "less_than", "ما يقل عن": "less_than", "ما يصل إلى": "up_to", "ما لا يزيد عن": "up_to",
    "لا يزيد عن": "up_to", "ما لا يتجاوز": "up_to", "لا يتجاوز": "up_to", "على الأكثر": "up_to",
}
POST_QUALIFIERS: dict[str, str] = {
    "على الأقل": "at_least", "على الأكثر": "up_to", "تقريبا": "about", "أو أكثر": "at_least", "ونيف": "more_than",
}

# Duals that are counts of two people ("ان" forms, and "ين" forms of nouns whose plural is not "ين").
DUAL_NOUNS: dict[str, str] = (
    {
        f"{stem}{end}": stem
        for stem in ["قتيل", "جريح", "شخص", "طفل", "رجل", "شاب", "عنصر", "جندي", "ضابط", "شقيق", "طبيب", "مسعف"]
        for end in ("ان", "ين")
    }
    | {
        f"{stem}{end}": stem + "ة"
        for stem in ["امرأت", "سيدت", "طفلت", "فتات", "مواطنت", "صحفيت", "ممرضت", "شابت", "ناشطت", "شقيقت"]
        for end in ("ان", "ين")
    }
    | {
        f"{stem}ان": stem
        for stem in ["مواطن", "مدني", "مسلح", "عسكري", "إعلامي", "صحفي", "مقاتل", "ناشط", "مجهول", "مفقود", "معتقل"]
    }
)
_CONSTRUCT_DUALS = {"مجهولا": "مجهول"}  # "مجهولا الهوية": a dual in construct, before a definite noun

# Singular nouns that count one person when they are an item of an enumeration of counts.
_SINGULAR_PERSONS = frozenset(
    [
        "إعلامي", "إعلامية", "صحفي", "صحفية", "صحافي", "صحافية", "مواطن", "مواطنة", "سيدة", "امرأة", "طفل", "طفلة",
        "رجل", "شاب", "شابة", "فتاة", "فتى", "عنصر", "مدني", "مدنية", "ناشط", "ناشطة", "مسعف", "مسعفة", "طبيب",
        "طبيبة", "ممرض", "ممرضة", "جندي", "ضابط", "مقاتل", "مسن", "مسنة", "رضيع", "رضيعة", "قاصر", "متطوع", "شخص",
        "قتيل", "جريح",
    ]
)


class NumberKindAr(StrEnum):
    """What a number in an Arabic sentence is; only ``COUNT`` and ``BARE`` can be counts of people."""

    COUNT = "count"  # counts a person noun (قتيلاً، أشخاص، أطفال، سورياً، إعداماً …), a dual or a singular item
    BARE = "bare"  # no noun after it ("– حماة: 40", "4 في القرية"): a count when the sentence is about casualties
    EVENT = "event"  # massacres, attacks, strikes (17 مجزرة)
    VOTE = "vote"  # 30 صوتاً مقابل 9 أصوات
    AGE = "age"  # عمره 35 عاماً
    DURATION = "duration"  # خلال 4 أيام، منذ 14 عاماً
    YEAR = "year"  # a year outside a date expression
    PERCENT = "percent"  # 40%، 40 بالمئة
    STATE = "state"  # سبع دول، الدول السبع
    TROOPS = "troops"  # a strength: نشر 5000 عنصر
    SUSPECTS = "suspects"  # 20 مشتبهاً بهم
    MONEY = "money"  # 100 دولار
    THING = "thing"  # villages, houses, vehicles, reports …


def _folded(words: str) -> frozenset[str]:
    return frozenset(fold(w) for w in words.split())


_HEADS: dict[NumberKindAr, frozenset[str]] = {
    NumberKindAr.COUNT: _folded(
        """قتيل قتلى جريح جرحى مصاب مصابين مصابون شخص أشخاص ضحية ضحايا مدني مدنيين مدنيون مدنية مدنيات طفل أطفال
        طفلة طفلات امرأة نساء سيدة سيدات رجل رجال شاب شبان شباب فتاة فتيات فتى فتية عنصر عناصر جندي جنود مقاتل
        مقاتلين مقاتلون مسلح مسلحين مسلحون عسكري عسكريين عسكريون ضابط ضباط مواطن مواطنين مواطنون مواطنة مواطنات
        إعلامي إعلاميين إعلاميون صحفي صحفيين صحفيون صحافي صحافيين ناشط ناشطين ناشطون مسعف مسعفين طبيب أطباء ممرض
        ممرضين ممرضة ممرضات فرد أفراد معتقل معتقلين معتقلون مفقود مفقودين مفقودون مختطف مختطفين مخطوف نازح نازحين
        نازحون لاجئ لاجئين لاجئون شهيد شهداء آخر آخرين آخرون أخريات عامل عمال مسن مسنين رضيع رضع قاصر قاصرين
        إعدام إعدامات نسمة جثة جثث شخصية شخصيات رهينة رهائن أسير أسرى"""
    ),
    NumberKindAr.EVENT: _folded(
        """مجزرة مجازر مذبحة مذابح هجوم هجمات غارة غارات انتهاك انتهاكات حادثة حوادث عملية عمليات اشتباك اشتباكات
        انفجار انفجارات قذيفة قذائف صاروخ صواريخ برميل براميل تفجير تفجيرات اعتداء اعتداءات ضربة ضربات اقتحام
        حملة حملات واقعة وقائع"""
    ),
    NumberKindAr.VOTE: _folded("صوت أصوات"),
    NumberKindAr.STATE: _folded("دولة دول بلد بلدان بلاد"),
    NumberKindAr.DURATION: _folded(
        "يوم أيام ساعة ساعات أسبوع أسابيع شهر أشهر شهور عام أعوام سنة سنوات سنين دقيقة دقائق عقد عقود ليلة ليال"
    ),
    NumberKindAr.MONEY: _folded("دولار دولارات ليرة ليرات يورو دينار ريال جنيه"),
    NumberKindAr.SUSPECTS: _folded("مشتبه مشتبهين متهم متهمين متهمون موقوف موقوفين"),
    NumberKindAr.THING: _folded(
        """قرية قرى بلدة بلدات مدينة مدن حي أحياء منطقة مناطق ناحية محافظة محافظات مخيم مخيمات منزل منازل بيت بيوت
        كيلومتر كيلومترات كم متر أمتار طن أطنان مركبة مركبات سيارة سيارات مبنى مباني مدرسة مدارس مستشفى مستشفيات
        مسجد مساجد فيديو صورة صور تقرير تقارير مرة مرات حاجز حواجز موقع مواقع نقطة نقاط دبابة دبابات طائرة طائرات
        مسيرة مسيرات"""
    ),
}
_PLACE_SINGULAR = _folded("قرية بلدة مدينة حي منطقة ناحية مخيم")  # "7 قرية أرزونة": an elided في, not 7 villages
_AGE_CUES = _folded("عمر العمر عمره عمرها عمرهم عمرهما بعمر البالغ البالغة يبلغ تبلغ سن بسن ابن ابنة بنت")
_TROOP_CUES = _folded("نشر حشد قوام قوامها تعداد تعدادها يضم تضم استقدم تعزيزات أرسل أرسلت دفع دفعت انتشار مؤلفة")
_PERCENT_WORDS = _folded("بالمئة بالمائة بالمية المئة المائة")
_CASUALTY = re.compile(
    fold(
        "قتل|قتيل|قتلى|ضحايا|ضحية|ضحيت|جرحى|جريح|إصاب|أصيب|مصاب|اعتقال|معتقل|مفقود|اختفاء|وفاة|وفيات|توفي|استشهد|شهيد"
        "|شهداء|ذبح|إعدام|أعدم|حصيلة|قضوا|لقوا|مصرع|نازح|نزوح|مختطف|اختطاف|خطف|جثث|جثة"
    )
)
_NISBA = re.compile(fold("(?:ي|يا|يين|يون|ية|يات)$"))
_STOPS = _folded("في من على إلى الى عن مع خلال منذ بين حتى ضمن بعد قبل لدى عند و أو ثم")

# --- tokens and the number reader ------------------------------------------------------------------------------------

_WORDS: dict[str, tuple[str, int]] = {}
for _table, _kind in [
    (_UNIT_WORDS, "unit"), (_TEEN_ONLY, "teen_only"), (_TEN_WORDS, "ten"), (_TENS_WORDS, "tens"),
    (_HUNDRED_BARE, "hundred_bare"), (_HUNDREDS, "hundred"), (_MULTIPLIERS, "mult"), (_DUAL_MULTIPLIERS, "dual_mult"),
]:
    _WORDS.update({fold(w): (_kind, v) for w, v in _table.items()})
_WORDS[_ALFA] = ("alfa", 1000)
_ARTICLE_OK = frozenset({"unit", "ten", "tens"})
_NO_ARTICLE = frozenset({fold("أحد"), fold("اثنين"), fold("اثنان"), fold("واحد")})  # الأحد, الاثنين: weekdays
_PLURAL_MULT = frozenset(fold(w) for w in ("آلاف", "ألوف", "ملايين"))
_TEN_TOKENS = frozenset(fold(w) for w in _TEN_WORDS)
_VAGUE = {fold(w): k for w, k in VAGUE_WORDS.items()}

_TOKEN = re.compile(r"(?P<d>\d+(?:[.,]\d+)*)|(?P<w>[\u0621-\u063a\u0641-\u064a\u0671-\u06d3]+|[A-Za-z]+)|(?P<p>\S)")


@dataclass(frozen=True, slots=True)
class _Tok:
    text: str  # in the matching form
    start: int  # offsets in the matching form
    end: int
    kind: str  # "d" digits, "w" word, "p" anything else


def _tokens(m: str) -> list[_Tok]:
    return [_Tok(t.group(), t.start(), t.end(), t.lastgroup or "p") for t in _TOKEN.finditer(m)]


def _digits_value(text: str) -> int | Decimal | None:
    """``2146`` → 2146; ``1,300`` / ``1.300`` → 1300 (groups of three); ``1.5`` → Decimal('1.5'); else None."""
    groups = re.split(r"[.,]", text)
    if len(groups) == 1:
        return int(text)
    if all(len(g) == 3 for g in groups[1:]) and len(set(re.findall(r"[.,]", text))) == 1 and len(groups[0]) <= 3:
        return int("".join(groups))
    if len(groups) == 2 and "." in text:
        try:
            return Decimal(text)
        except InvalidOperation:
            return None
    return None


@dataclass(frozen=True, slots=True)
class _Item:
    kind: str
    value: int | Decimal
    conj: bool  # joined to what precedes by و
    article: bool  # written with ال ("الخمس عشرة")
    start: int  # offset in the matching form, after any و
    end: int
    next: int  # index of the token after the item


def _lookup(word: str) -> tuple[str, int, bool, bool] | None:
    """(kind, value, conj, article) of a number word, with a leading و or ال taken off when that leaves one."""
    hit = _WORDS.get(word)
    if hit:
        return hit[0], hit[1], False, False
    if word.startswith("و") and len(word) > 2 and (hit := _WORDS.get(word[1:])):
        return hit[0], hit[1], True, False
    article = word.startswith("ال") and word[2:] not in _NO_ARTICLE
    if article and (hit := _WORDS.get(word[2:])) and hit[0] in _ARTICLE_OK:
        return hit[0], hit[1], False, True
    return None


def _item_at(toks: list[_Tok], j: int, tanween: frozenset[int]) -> _Item | None:
    """The number item that starts at token ``j`` (a standalone و before it included), or None."""
    if j >= len(toks):
        return None
    tok, conj = toks[j], False
    if tok.text == "و" and j + 1 < len(toks) and toks[j + 1].start - tok.end <= 1:
        j, tok, conj = j + 1, toks[j + 1], True
    if tok.kind == "d":
        value = _digits_value(tok.text)
        if value is None:
            return None
        kind = "decimal" if isinstance(value, Decimal) else "digits"
        return _Item(kind, value, conj, False, tok.start, tok.end, j + 1)
    if tok.kind != "w" or (hit := _lookup(tok.text)) is None:
        return None
    kind, value, wconj, article = hit
    if wconj and conj:
        return None
    start = tok.start + (1 if wconj else 0)
    if kind == "alfa" and j not in tanween:
        value = 2000
    if kind in ("unit", "teen_only") and 1 <= value <= 9 and j + 1 < len(toks) and toks[j + 1].text in _TEN_TOKENS:
        return _Item("teen", 10 + value, conj or wconj, article, start, toks[j + 1].end, j + 2)
    if kind == "teen_only":
        return None
    return _Item(kind, value, conj or wconj, article, start, tok.end, j + 1)


@dataclass(slots=True)
class _State:
    total: int = 0
    cur: int | Decimal = 0
    last: str = ""
    last_mult: int = 10**15


def _start(st: _State, it: _Item, toks: list[_Tok]) -> bool:
    if it.kind == "mult":
        if toks[it.next - 1].text in _PLURAL_MULT:
            return False  # "آلاف" alone is vague
        st.total, st.last, st.last_mult = int(it.value), "mult", int(it.value)
    elif it.kind == "dual_mult" or (it.kind == "alfa" and it.value == 2000):
        st.total, st.last, st.last_mult = int(it.value), "mult", int(it.value) // 2
    elif it.kind == "alfa":
        st.total, st.last, st.last_mult = 1000, "mult", 1000
    else:
        st.cur, st.last = it.value, it.kind
    return True


def _step(st: _State, it: _Item) -> bool:
    """Apply the next item to the reading if Arabic number grammar allows it there; False ends the number."""
    small = it.kind in ("unit", "ten", "teen", "tens", "hundred", "hundred_bare", "digits")
    if it.conj:
        if st.last == "mult" and st.cur == 0 and (small or it.kind == "mult") and int(it.value) < st.last_mult:
            st.cur, st.last = (0, "mult") if it.kind == "mult" else (it.value, it.kind)
            if it.kind == "mult":
                st.total, st.last_mult = st.total + int(it.value), int(it.value)
            return True
        after_hundred = st.last in ("hundred", "hundred_bare") and it.kind in ("unit", "ten", "teen", "tens", "digits")
        if after_hundred and int(it.value) < 100:
            st.cur, st.last = st.cur + it.value, it.kind
            return True
        if st.last == "unit" and it.kind == "tens":
            st.cur, st.last = st.cur + it.value, "tens"
            return True
        return False
    if it.kind in ("mult", "alfa") and st.last not in ("mult", "") and st.cur > 0:
        mult = 1000 if it.kind == "alfa" else int(it.value)
        scaled = st.cur * mult
        if scaled != int(scaled) or scaled >= st.last_mult or (st.last == "decimal" and mult < 10**6):
            return False
        st.total, st.cur, st.last, st.last_mult = st.total + int(scaled), 0, "mult", mult
        return True
    if it.kind == "hundred_bare" and st.last == "unit" and 0 < st.cur < 10:
        st.cur, st.last = st.cur * 100, "hundred"
        return True
    return False


@dataclass(frozen=True, slots=True)
class _Reading:
    value: int
    first: int  # token indexes [first, next)
    next: int
    start: int  # offsets in the matching form
    end: int
    article: bool
    words: bool  # written (at least partly) in words


def _read(toks: list[_Tok], i: int, tanween: frozenset[int]) -> _Reading | None:
    """Read the number phrase that starts at token ``i``; None when there is none."""
    first = _item_at(toks, i, tanween)
    if first is None or (first.conj and toks[i].text == "و"):
        return None
    st = _State()
    if not _start(st, first, toks):
        return None
    end, nxt, words = first.end, first.next, first.kind != "digits"
    while (it := _item_at(toks, nxt, tanween)) is not None and _step(st, it):
        end, nxt, words = it.end, it.next, words or it.kind != "digits"
    if st.last == "decimal":
        return None
    return _Reading(st.total + int(st.cur), i, nxt, first.start, end, first.article, words)


def _tanween_tokens(toks: list[_Tok], sentence: str, offsets: tuple[int, ...]) -> frozenset[int]:
    """Indexes of the tokens "ألفاً" written with tanween (1000), as against the dual construct "ألفا" (2000)."""
    return frozenset(
        j
        for j, t in enumerate(toks)
        if t.text.endswith(_ALFA) and has_tanween_fath(sentence, *map_span(offsets, t.start, t.end))
    )


def read_number_ar(text: str) -> int | None:
    """The value of ``text`` when the whole of it is one Arabic number (words, digits or both), else None.

    >>> read_number_ar("ثلاث مئة"), read_number_ar("مئتين وخمسين"), read_number_ar("3 آلاف و500")
    (300, 250, 3500)
    """
    m, offsets = matching_form(text)
    toks = _tokens(m)
    if not toks:
        return None
    reading = _read(toks, 0, _tanween_tokens(toks, text, offsets))
    if reading is None or reading.next != len(toks):
        return None
    return reading.value


# --- qualifiers ------------------------------------------------------------------------------------------------------


def _alternation(words: object) -> str:
    folded = sorted({fold(w) for w in words}, key=len, reverse=True)  # type: ignore[attr-defined]
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in folded)


_PRE_Q = {fold(k): v for k, v in PRE_QUALIFIERS.items()}
_POST_Q = {fold(k): v for k, v in POST_QUALIFIERS.items()}
_PRE_RE = re.compile(rf"(?:^|(?<=[\s(«\"“،,:؛]))[وفب]?(?P<q>{_alternation(PRE_QUALIFIERS)})\s*$")
_POST_RE = re.compile(
    rf"^(?P<skip>(?:\s+[^\s\d،,.؛:]+){{0,2}}?)\s*(?P<q>{_alternation(POST_QUALIFIERS)})(?![\u0621-\u064a])"
)
_RANGE_WORDS = frozenset(fold(w) for w in ("إلى", "حتى", "أو", "-", "–", "لغاية"))
_BETWEEN = fold("بين")


def _pre_qualifier(m: str, start: int) -> tuple[str, int, int] | None:
    """(key, start, end) of a qualifier written just before ``m[start]``."""
    base = max(0, start - 40)
    hit = _PRE_RE.search(m, base, start)
    if hit is None:
        return None
    return _PRE_Q[re.sub(r"\s+", " ", hit.group("q"))], hit.start("q"), hit.end("q")


def _post_qualifier(m: str, end: int) -> tuple[str, int, int] | None:
    """(key, start, end) of a qualifier written after the number and its noun ("50 شخصاً على الأقل")."""
    hit = _POST_RE.match(m[end : end + 60])
    if hit is None:
        return None
    key = _POST_Q[re.sub(r"\s+", " ", hit.group("q"))]
    if key == "more_than" and hit.group("skip"):
        return None  # "ونيف" follows the number itself
    return key, end + hit.start("q"), end + hit.end("q")


# --- candidates: numbers, ranges, vague words, duals, singular items -------------------------------------------------

_DUALS = {fold(k): fold(v) for k, v in DUAL_NOUNS.items()}
_CONSTRUCT = {fold(k): fold(v) for k, v in _CONSTRUCT_DUALS.items()}
_SINGULARS = frozenset(fold(w) for w in _SINGULAR_PERSONS)
_A_FEW_HEADS = frozenset(fold(w) for w in ("عدد", "عددا"))
_MIN = fold("من")
_SCALE_WORDS = {
    fold(w): v
    for w, v in [
        ("آلاف", 1000), ("الآلاف", 1000), ("ألوف", 1000), ("الألوف", 1000), ("مئات", 100), ("المئات", 100),
        ("ملايين", 10**6), ("الملايين", 10**6),
    ]
}
_LIST_PUNCT = frozenset("،,:؛-–")


@dataclass(frozen=True, slots=True, order=True)
class _Cand:
    start: int  # offsets in the matching form
    end: int
    first: int  # token indexes [first, next)
    next: int
    kind: str  # number | range | vague | dual | singular
    value: int = 0
    high: int = 0
    vague: str = ""
    article: bool = False
    words: bool = False
    joiner: str = ""  # the range word as it appears in the matching form


def _strip_clitic(word: str) -> tuple[str, int]:
    """A leading و / ب / وب taken off a word, with its length."""
    for pre in ("وب", "و", "ب"):
        if word.startswith(pre) and len(word) - len(pre) >= 3:
            return word[len(pre) :], len(pre)
    return word, 0


def _number_cand(toks: list[_Tok], i: int, tanween: frozenset[int]) -> _Cand | None:
    a = _read(toks, i, tanween)
    if a is None:
        return None
    after = a.next
    b: _Reading | None = None
    if after < len(toks) and toks[after].text in _RANGE_WORDS:
        b = _read(toks, after + 1, tanween)
    elif i > 0 and toks[i - 1].text == _BETWEEN and after < len(toks) and toks[after].text.startswith("و"):
        b = _read(toks, after + 1, tanween) if toks[after].text == "و" else _read_conj(toks, after, tanween)
    if b is not None and b.value > a.value:
        return _Cand(
            a.start,
            b.end,
            i,
            b.next,
            "range",
            a.value,
            b.value,
            article=a.article,
            words=a.words or b.words,
            joiner=toks[after].text,
        )
    return _Cand(a.start, a.end, i, a.next, "number", a.value, article=a.article, words=a.words)


def _read_conj(toks: list[_Tok], i: int, tanween: frozenset[int]) -> _Reading | None:
    """Read a number written with و in front of it ("وستين" after "بين خمسين")."""
    it = _item_at(toks, i, tanween)
    if it is None or not it.conj:
        return None
    st = _State()
    if not _start(st, it, toks):
        return None
    end, nxt = it.end, it.next
    while (nx := _item_at(toks, nxt, tanween)) is not None and _step(st, nx):
        end, nxt = nx.end, nx.next
    return None if st.last == "decimal" else _Reading(st.total + int(st.cur), i, nxt, it.start, end, False, True)


def _vague_cand(toks: list[_Tok], i: int) -> _Cand | None:
    word, cut = toks[i].text, 0
    if word not in _VAGUE and word not in _A_FEW_HEADS:
        word, cut = _strip_clitic(word)
    start = toks[i].start + cut
    if word in _A_FEW_HEADS and i + 1 < len(toks) and toks[i + 1].text == _MIN:
        return _Cand(start, toks[i + 1].end, i, i + 2, "vague", vague="a_few")
    bare = word[2:] if word.startswith("ال") else word
    key = _VAGUE.get(bare) or _VAGUE.get(word)
    if key is None:
        return None
    end, nxt = toks[i].end, i + 1
    if nxt < len(toks) and (scale := _SCALE_WORDS.get(toks[nxt].text)) and (key, scale) in _VAGUE_SCALED:
        key, end, nxt = _VAGUE_SCALED[(key, scale)], toks[nxt].end, nxt + 1
    return _Cand(start, end, i, nxt, "vague", vague=key)


def _dual_cand(toks: list[_Tok], i: int, tanween_free: bool) -> _Cand | None:
    word, cut = _strip_clitic(toks[i].text)
    start = toks[i].start + cut
    if word in _DUALS:
        return _Cand(start, toks[i].end, i, i + 1, "dual", 2)
    nxt = toks[i + 1].text if i + 1 < len(toks) else ""
    if word in _CONSTRUCT and nxt.startswith("ال") and tanween_free:
        return _Cand(start, toks[i + 1].end, i, i + 2, "dual", 2)
    return None


def _candidates(toks: list[_Tok], sentence: str, offsets: tuple[int, ...]) -> list[_Cand]:
    tanween = _tanween_tokens(toks, sentence, offsets)
    cands: list[_Cand] = []
    i = 0
    while i < len(toks):
        tok = toks[i]
        cand = None
        if tok.kind in "dw":
            cand = _number_cand(toks, i, tanween) or _vague_cand(toks, i)
            if cand is None and tok.kind == "w":
                free = "\u064b" not in sentence[slice(*map_span(offsets, tok.start, tok.end))]
                cand = _dual_cand(toks, i, free)
        if cand is None:
            i += 1
            continue
        cands.append(cand)
        i = cand.next
    return cands


def _singulars(toks: list[_Tok], cands: list[_Cand]) -> list[_Cand]:
    """Singular person nouns that are items of an enumeration of counts ("…، و12 قتيلاً، وصحفي").

    A bare singular such as إعلامي، سيدة، طفل، مواطنة counts one person when all of these hold: the sentence has
    another count; the word has no article and does not follow a number (then it is that number's noun); it is joined
    to the list (a و on it, or a list comma, colon or و before it, or a و-joined count right after it); and what follows
    it ends the item (the end, punctuation, or a word with و).
    """
    if not cands:
        return []
    taken = {j for c in cands for j in range(c.first, c.next)}
    starts = {c.first for c in cands}
    found: list[_Cand] = []
    for j, tok in enumerate(toks):
        if j in taken or tok.kind != "w":
            continue
        word, cut = _strip_clitic(tok.text)
        if word not in _SINGULARS or (cut and tok.text[0] != "و"):
            continue
        prev = toks[j - 1] if j > 0 else None
        nxt = toks[j + 1] if j + 1 < len(toks) else None
        if prev is not None and (prev.kind == "d" or (j - 1) in taken):
            continue
        joined = bool(cut) or (prev is not None and (prev.text in _LIST_PUNCT or prev.text == "و"))
        joined = joined or (nxt is not None and nxt.text.startswith("و") and (j + 1) in starts)
        ends = nxt is None or nxt.kind == "p" or nxt.text.startswith("و")
        if joined and ends:
            found.append(_Cand(tok.start + cut, tok.end, j, j + 1, "singular", 1))
    return found


# --- what a number counts --------------------------------------------------------------------------------------------

_VOTE_JOIN = fold("مقابل")
_YEAR_CUES = _folded("عام العام لعام سنة السنة")


def _forms(word: str) -> list[str]:
    """The word, without its article, and without the alef of the accusative tanween ("قتيلاً" → قتيلا → قتيل)."""
    out = [word]
    if word.startswith("ال") and len(word) > 3:
        out.append(word[2:])
    out += [w[:-1] for w in list(out) if w.endswith("ا") and len(w) > 3]
    return out


def _noun_kind(word: str) -> NumberKindAr | None:
    for form in _forms(word):
        for kind in (
            NumberKindAr.SUSPECTS,
            NumberKindAr.EVENT,
            NumberKindAr.VOTE,
            NumberKindAr.STATE,
            NumberKindAr.DURATION,
            NumberKindAr.MONEY,
            NumberKindAr.THING,
            NumberKindAr.COUNT,
        ):
            if form in _HEADS[kind]:
                return kind
    return None


def _head_index(toks: list[_Tok], c: _Cand) -> int | None:
    """The token of the noun a number counts: after it, or before it for "الدول الخمس عشرة" and "قتيل واحد"."""
    if c.kind in ("dual", "singular"):
        return c.first
    j = c.next
    if c.kind == "vague" and j < len(toks) and toks[j].text == _MIN:
        j += 1
    follows = not (c.article or (c.words and c.value in (1, 2) and c.kind == "number"))
    if follows and j < len(toks) and toks[j].kind == "w" and toks[j].text not in _STOPS:
        return j
    if (c.article or (c.words and c.value in (1, 2))) and c.first > 0 and toks[c.first - 1].kind == "w":
        return c.first - 1
    return None


def _classify(m: str, toks: list[_Tok], c: _Cand, head: int | None) -> tuple[NumberKindAr, str]:
    nxt = toks[c.next].text if c.next < len(toks) else ""
    prev = toks[c.first - 1].text if c.first > 0 else ""
    if (
        nxt == "%"
        or nxt in _PERCENT_WORDS
        or (nxt == fold("في") and m[toks[c.next].end :].lstrip().startswith(fold("المئة")))
    ):
        return NumberKindAr.PERCENT, "a percentage"
    if prev == _VOTE_JOIN or _VOTE_JOIN in (t.text for t in toks[c.next : c.next + 3]):
        return NumberKindAr.VOTE, "one side of a vote (… مقابل …)"
    if c.kind == "number" and not c.words and 1900 <= c.value <= 2100 and prev in _YEAR_CUES:
        return NumberKindAr.YEAR, "a year"
    if [t.text for t in toks[c.next : c.next + 2]] in ([_MIN, cue] for cue in _AGE_CUES):
        return NumberKindAr.AGE, "an age (… من عمره / من العمر)"
    if head is None:
        return NumberKindAr.BARE, "no noun after the number"
    word = toks[head].text
    kind = _noun_kind(_strip_clitic(word)[0] if c.kind in ("dual", "singular") else word)
    if c.kind in ("dual", "singular"):
        return NumberKindAr.COUNT, "a dual or an enumerated singular person noun"
    if kind is NumberKindAr.THING and word in _PLACE_SINGULAR and c.value <= 10:
        return NumberKindAr.BARE, "a singular place noun after a number under 11 is a place name (an elided في)"
    if kind is NumberKindAr.DURATION:
        before = {t.text for t in toks[max(0, c.first - 3) : c.first]}
        if before & _AGE_CUES or prev == "(":
            return NumberKindAr.AGE, "an age"
        return NumberKindAr.DURATION, "a duration"
    if kind is NumberKindAr.COUNT:
        if _TROOP_CUES & {t.text for t in toks} and not _CASUALTY.search(m):
            return NumberKindAr.TROOPS, "a strength of forces, not a toll"
        return NumberKindAr.COUNT, f"counts people ({word})"
    if kind is not None:
        return kind, f"counts {kind.value} ({word})"
    if _NISBA.search(word) and len(word) >= 4:
        return NumberKindAr.COUNT, f"a nisba noun of people ({word})"
    if _CASUALTY.search(m):
        return NumberKindAr.COUNT, f"an unlisted noun in a casualty sentence ({word})"
    return NumberKindAr.THING, f"an unlisted noun ({word})"


# --- the public API --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NumberMentionAr:
    """A number read from an Arabic sentence, what kind of number it is and why, and the noun it counts."""

    quantity: Quantity
    kind: NumberKindAr
    reason: str
    head: str | None  # the counted noun as written in the sentence


def _quantity(sentence: str, m: str, offsets: tuple[int, ...], c: _Cand) -> Quantity:
    key, qtext, qstart, qend = "exact", "", c.start, c.end
    if c.kind in ("number", "vague"):
        if (pre := _pre_qualifier(m, c.start)) is not None:
            key, qstart = pre[0], pre[1]
            qtext = sentence[slice(*map_span(offsets, pre[1], pre[2]))]
        elif (post := _post_qualifier(m, c.end)) is not None:
            key, qend = post[0], post[2]
            qtext = sentence[slice(*map_span(offsets, post[1], post[2]))]
    if c.kind == "range":
        low, best, high = apply_range(c.value, c.high)
        key, qtext = RANGE_KEY, c.joiner
    elif c.kind == "vague":
        low, best, high = apply_vague(c.vague, key)
        if key not in ("more_than", "at_least"):  # as in English: "عشرات" is coded ``tens``, "نحو مئات" too
            key, qtext = c.vague, sentence[slice(*map_span(offsets, c.start, c.end))]
    else:
        low, best, high = apply_qualifier(key, c.value)
    start, end = map_span(offsets, qstart, qend)
    if c.kind == "range":
        j0, j1 = map_span(offsets, c.start, c.end)
        qtext = sentence[j0:j1]
    return Quantity(low, best, high, key, qtext, sentence[start:end], Span(start, end))


def _mention(sentence: str, m: str, offsets: tuple[int, ...], toks: list[_Tok], c: _Cand) -> NumberMentionAr:
    head = _head_index(toks, c)
    kind, reason = _classify(m, toks, c, head)
    head_text = None
    if head is not None:
        tok = toks[head]
        cut = _strip_clitic(tok.text)[1] if head == c.first else 0
        head_text = sentence[slice(*map_span(offsets, tok.start + cut, tok.end))]
    return NumberMentionAr(_quantity(sentence, m, offsets, c), kind, reason, head_text)


def _overlaps(c: _Cand, spans: list[tuple[int, int]]) -> bool:
    return any(s < c.end and c.start < e for s, e in spans)


def number_mentions_ar(sentence: str) -> list[NumberMentionAr]:
    """Every number in an Arabic ``sentence`` outside a date, with its kind, the reason and the counted noun.

    Raises ``TypeError`` when ``sentence`` is not a string.
    """
    return list(_mentions(sentence))


@lru_cache(maxsize=1024)
def _mentions(sentence: str) -> tuple[NumberMentionAr, ...]:
    m, offsets = matching_form(sentence)
    toks = _tokens(m)
    dates = date_spans_matching(m)
    cands = [c for c in _candidates(toks, sentence, offsets) if not _overlaps(c, dates)]
    cands = sorted(cands + _singulars(toks, cands))
    return tuple(_mention(sentence, m, offsets, toks, c) for c in cands)


def find_quantities_ar(sentence: str) -> list[Quantity]:
    """Every quantity in an Arabic ``sentence`` (dates excepted), spans into ``sentence`` as given.

    Use :func:`is_casualty_count` to keep the counts of people, and :func:`head_noun_ar` for what each counts.
    """
    return [mention.quantity for mention in _mentions(sentence)]


def _mention_for(sentence: str, quantity: Quantity) -> NumberMentionAr:
    for mention in _mentions(sentence):
        if mention.quantity == quantity:
            return mention
    raise ValueError(f"quantity {quantity.text!r} at {quantity.span} was not read from sentence {sentence[:60]!r}")


def head_noun_ar(sentence: str, quantity: Quantity) -> str | None:
    """The noun ``quantity`` counts, as written (قتيلاً، أشخاص، أطفال، الدول …), or None when it has none.

    For a dual or an enumerated singular the noun is the word itself (قتيلان، إعلامي). Raises ``ValueError`` when
    ``quantity`` was not found in ``sentence`` by :func:`find_quantities_ar`.
    """
    return _mention_for(sentence, quantity).head


def is_casualty_count(sentence: str, quantity: Quantity) -> bool:
    """Whether ``quantity`` counts people in a casualty sense (item 9 of issue 8).

    True for a ``COUNT`` (a person noun, a dual, an enumerated singular, a nisba noun, or an unlisted noun in a
    sentence about killing, injury, detention, disappearance or displacement), and for a ``BARE`` number in such a
    sentence ("4 في القرية" after "مقتل 9 أشخاص") or beside a count of people ("و12 مدنياً: 5 في حي …").
    False for massacres and other events, votes, ages, durations, years, percentages, states, troop strengths,
    suspects, money and things. A bare list line ("– حماة: 40.") gives False on its own: the claim extractor
    decides it from the line that introduces the list.
    """
    mention = _mention_for(sentence, quantity)
    if mention.kind is NumberKindAr.COUNT:
        return True
    if mention.kind is not NumberKindAr.BARE:
        return False
    beside_count = any(other.kind is NumberKindAr.COUNT for other in _mentions(sentence))
    return beside_count or _CASUALTY.search(matching_form(sentence)[0]) is not None


def may_count_people(sentence: str, quantity: Quantity) -> bool:
    """Whether ``quantity`` could count people once a list's heading says what ("– حماة: 262."): COUNT or BARE."""
    return _mention_for(sentence, quantity).kind in (NumberKindAr.COUNT, NumberKindAr.BARE)
