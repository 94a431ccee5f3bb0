
"""A generator of synthetic Arabic news reports about violence in Syria, for benchmarks and scale tests.

Written for this project from templates (no sentence of a real article): a headline with the toll, a monitor's toll
with a breakdown by place ("توزعوا كالآتي: …"), a cumulative toll listed by governorate, a witness account with a
caveat, Levantine and Egyptian month names, Arabic-Indic digits, number words and vague words, plus the faults real
Arabic pages show: a headline repeated, ``<strong>`` tags escaped into the text, a navigation block with its own
dates, and an undated page. Half are HTML pages, half plain text. Seeded: the same seed gives the same corpus.
"""

from __future__ import annotations

import datetime as dt
import html
import random
from pathlib import Path

PLACES = [("بانياس", "طرطوس"), ("جبلة", "اللاذقية"), ("القرداحة", "اللاذقية"), ("صافيتا", "طرطوس"),
          ("مصياف", "حماة"), ("تلكلخ", "حمص"), ("سراقب", "إدلب"), ("الصنمين", "درعا"), ("دوما", "ريف دمشق"),
          ("شهبا", "السويداء"), ("منبج", "حلب"), ("الميادين", "دير الزور")]
GOVERNORATES = ["اللاذقية", "طرطوس", "حماة", "حمص", "إدلب", "درعا", "حلب", "السويداء"]
MONITORS = ["المرصد السوري لحقوق الإنسان", "الشبكة السورية لحقوق الإنسان", "وزارة الصحة", "الهلال الأحمر"]
VERBS = ["وثّق", "أفاد", "أعلن", "ذكر"]
OUTLETS = ["نشرة الساحل", "بوابة الشام", "صدى العاصي", "مرآة الجنوب"]
LEVANTINE = ["كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول", "تشرين الأول",
             "تشرين الثاني", "كانون الأول"]
EGYPTIAN = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر",
            "ديسمبر"]
WEEKDAYS = ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]
VICTIMS = ["شخصاً", "مدنياً", "عنصراً من قوات الأمن", "مقاتلاً"]
WORD_COUNTS = ["عشرات", "مئات", "عدد من", "ثلاثة", "خمسة عشر", "أربعين", "مئتين وخمسين"]
QUALIFIERS = ["", "نحو ", "أكثر من ", "ما لا يقل عن ", "قرابة ", "حوالي "]
_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _digits(n: int, rng: random.Random) -> str:
    return str(n).translate(_INDIC) if rng.random() < 0.25 else str(n)


def _date(d: dt.date, rng: random.Random) -> str:
    month = LEVANTINE[d.month - 1]
    style = rng.random()
    if style < 0.4:
        return f"{d.day} {month} {d.year}"
    if style < 0.7:
        return f"{d.day} {month}/{EGYPTIAN[d.month - 1]}"
    return f"{WEEKDAYS[d.weekday()]} {d.day} {EGYPTIAN[d.month - 1]}"


def _breakdown(rng: random.Random, town: str) -> tuple[int, str]:
    """A total and its parts by place: "… توزعوا كالآتي: 3 في X، و5 في قرية Y"."""
    parts = [rng.randint(1, 30) for _ in range(rng.randint(2, 4))]
    names = [town, *(f"قرية {rng.choice(['المزيرعة', 'بيت ياشوط', 'عين الكروم', 'الرصافة'])}" for _ in parts[1:])]
    items = "، و".join(f"{_digits(n, rng)} في {name}" for n, name in zip(parts, names, strict=True))
    return sum(parts), items


def article(rng: random.Random) -> tuple[str, str, str | None]:
    """One report as (title, body paragraphs joined by blank lines, ISO publication date or None for an undated
    page)."""
    published = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 300))
    start = published - dt.timedelta(days=rng.randint(5, 12))
    end = start + dt.timedelta(days=rng.randint(1, 3))
    town, governorate = rng.choice(PLACES)
    monitor = rng.choice(MONITORS)
    total, items = _breakdown(rng, town)
    by_governorate = {g: rng.randint(3, 400) for g in rng.sample(GOVERNORATES, rng.randint(2, 4))}
    cumulative = sum(by_governorate.values()) + rng.randint(0, 200)
    title = f"{_digits(total, rng)} قتيلاً في {governorate} خلال أيام من العنف في ريف {town}"
    paragraphs = [
        f"{rng.choice(VERBS)} {monitor} مقتل {rng.choice(QUALIFIERS)}{_digits(total, rng)} {rng.choice(VICTIMS)} في "
        f"محافظة {governorate} بين {start.day} و{end.day} من {LEVANTINE[end.month - 1]}، توزعوا كالآتي: {items}.",
        f"وأضاف أن بين القتلى {_digits(rng.randint(1, 9), rng)} أطفال و{rng.choice(['سيدتين', 'ثلاث نساء'])}، "
        f"فيما أصيب {rng.choice(WORD_COUNTS)} آخرين بجروح متفاوتة.",
        f"وقال أحد السكان إن مسلحين اقتحموا الحي يوم {WEEKDAYS[start.weekday()]} الماضي، ولم يتسنَّ التحقق من روايته "
        f"بشكل مستقل.",
        f"ووثق {monitor} حصيلة الضحايا منذ {_date(start - dt.timedelta(days=20), rng)} بحسب المحافظات:",
        *(f"– {g}: {_digits(n, rng)}." for g, n in by_governorate.items()),
        f"ليرتفع العدد الإجمالي للقتلى من مدنيين وعسكريين إلى {_digits(cumulative, rng)}، "
        f"كما وثق {rng.randint(2, 40)} مجزرة منذ بداية الشهر.",
        f"وفي جلسة عقدت في {_date(published - dt.timedelta(days=1), rng)} صوّت المجلس المحلي بأغلبية "
        f"{rng.randint(10, 40)} صوتاً مقابل {rng.randint(1, 9)} أصوات على خطة للإغاثة.",
    ]
    return title, "\n\n".join(paragraphs), published.isoformat() if rng.random() < 0.9 else None


_NAVIGATION = "اخترنا لك\n\nحدث اليوم - الاثنين 2 شباط 2026\n\n02-02-2026\n\nتقرير"


def write_corpus(folder: Path, n: int, seed: int = 11) -> list[Path]:
    """Write ``n`` Arabic reports into ``folder``; return their paths."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        title, body, published = article(rng)
        outlet = rng.choice(OUTLETS)
        if i % 2:
            path = folder / f"report_{i:06d}.html"
            heading = html.escape(f"<strong>{title}</strong>") if rng.random() < 0.3 else html.escape(title)
            lines = (title, *body.split("\n\n"), *_NAVIGATION.split("\n\n"))
            paras = "".join(f"<p>{html.escape(p)}</p>" for p in lines)
            meta = f"<meta property='article:published_time' content='{published}'>" if published else ""
            path.write_text(
                f"<!doctype html><html lang='ar' dir='rtl'><head><meta charset='utf-8'><title>{heading}</title>{meta}"
                f"<meta property='og:site_name' content='{outlet}'></head><body><article><h1>{heading}</h1>"
                f"{paras}</article></body></html>",
                encoding="utf-8",
            )
        else:
            path = folder / f"report_{i:06d}.txt"
            path.write_text(f"{title}\n\n{title}\n\n{body}\n\n{_NAVIGATION}\n", encoding="utf-8")
        paths.append(path)
    return paths
