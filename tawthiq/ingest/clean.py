"""Cleaning of messy real documents: what a scraper stored, made into the text claims point into.

What is taken out, and why (each removal is recorded in ``Cleaned.removed`` as ``(reason, text)``):

* site chrome: membership and offer promos, ad markers, code residue (``spot_img``), share buttons, newsletter and
  podcast promos, cookie banners, copyright lines (reason ``chrome`` / ``advertisement``);
* navigation: breadcrumb lines ("Home" glued to a section name), and "related / we chose for you" blocks with the
  short link lines and dates that follow them (``breadcrumb`` / ``navigation block``);
* photo captions, kept apart as :class:`~tawthiq.model.Caption` with the date they state (``caption``);
* syndication footers ("The post ... appeared first on ..."), the publisher returned (``syndication``);
* HTML tag residue escaped into the text (``tag residue``);
* repeated headlines, paragraphs and sentences: the first occurrence is kept (``repeated ...``);
* stray one-letter fragment lines (``fragment``).

What is changed in place (also recorded): a paragraph cut mid-sentence and glued to the next one is split in two
(``splice``); a sentence glued to the next across a full stop gets its space back (``glued sentence``). Paragraphs
that end mid-sentence are kept and noted (``truncated``). Everything else is kept as it was; only newlines, trailing
spaces and runs of blank lines are normalised. See docs/cleaning.md.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise

from tawthiq.extract.arabic import ASCII_DIGITS
from tawthiq.model import Caption

CHROME = "chrome"
ADVERTISEMENT = "advertisement"
BREADCRUMB = "breadcrumb"
NAVIGATION = "navigation block"
CAPTION = "caption"
SYNDICATION = "syndication"
TAG_RESIDUE = "tag residue"
REPEATED_HEADLINE = "repeated headline"
REPEATED_PARAGRAPH = "repeated paragraph"
REPEATED_SENTENCE = "repeated sentence"
FRAGMENT = "fragment"
SPLICE = "splice"
GLUED_SENTENCE = "glued sentence"
TRUNCATED = "truncated"

#: Reasons that record a change or a note rather than text taken out of the body.
NOTE_REASONS = frozenset({SPLICE, GLUED_SENTENCE, TRUNCATED, TAG_RESIDUE})

_UNCASED_LANGUAGES = frozenset({"ar", "fa", "ur", "he", "ps", "ku"})
_MAX_PASSES = 8
_MIN_DUP_SENTENCE_WORDS = 8
_MIN_DUP_PARAGRAPH_WORDS = 3
_MAX_HEADLINE_WORDS = 25
_MIN_TRUNCATED_WORDS = 15
_MAX_FIRST_LINE_TITLE_WORDS = 16
_FOOTER_WINDOW = 3


@dataclass(slots=True)
class Cleaned:
    """The cleaned body text and everything that was taken out of it."""

    text: str
    captions: list[Caption] = field(default_factory=list)
    removed: list[tuple[str, str]] = field(default_factory=list)
    title: str = ""
    syndication: str | None = None


@dataclass(slots=True)
class _Para:
    """One non-empty line and how many newlines (1 or 2) separated it from the previous one."""

    text: str
    gap: int


@dataclass(slots=True)
class _State:
    removed: list[tuple[str, str]] = field(default_factory=list)
    captions: list[Caption] = field(default_factory=list)
    syndication: str | None = None
    syndicated_title: str = ""
    headline: str = ""
    cased: bool = True


# --- tag residue ---------------------------------------------------------------------------------------------------

_TAG_NAMES = (
    r"a|abbr|article|aside|b|big|blockquote|br|button|center|cite|code|div|em|figcaption|figure|font|footer|h[1-6]"
    r"|header|hr|i|iframe|img|label|li|mark|nav|ol|p|pre|q|s|script|section|small|span|strike|strong|style|sub|sup"
    r"|table|tbody|td|th|thead|time|tr|u|ul"
)
_LITERAL_TAG = re.compile(rf"</?(?:{_TAG_NAMES})\b[^<>\n]{{0,200}}?/?>", re.IGNORECASE)
_ESCAPED_TAG = re.compile(rf"&lt;/?(?:{_TAG_NAMES})\b[^\n]{{0,200}}?&gt;", re.IGNORECASE)
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|apos|nbsp|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});")


def strip_tag_residue(text: str) -> str:
    """Remove HTML tags (literal or escaped as ``&lt;strong&gt;``) and decode entities left in a text."""
    if "<" not in text and "&" not in text:
        return text
    previous = None
    while previous != text:
        previous = text
        text = _ESCAPED_TAG.sub("", text)
        text = _LITERAL_TAG.sub("", text)
        text = _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)
    return text


# --- line patterns -------------------------------------------------------------------------------------------------

_ADVERT = re.compile(
    r"[\W_]*(?:advertisements?|adverts?|ads?|sponsored(?: content)?|paid content|promoted|story continues below"
    r"(?: advertisement)?|article continues below|continue reading(?: below)?|scroll to continue(?: with content)?"
    r"|publicité|anzeige|reklam|إعلان|إعلانات|محتوى (?:مدفوع|ممول))[\W_]*",
    re.IGNORECASE,
)
_CHROME = re.compile(
    r"(?:become an? (?:member|subscriber|supporter|patron)\b.*"
    r"|get (?:the )?(?:best|latest|top) (?:offers|deals|news|stories|updates|headlines)\b.*"
    r"|(?:subscribe|sign up|sign in|log ?in|register|donate|support us)(?: now| today| for free| here)?[.!]?"
    r"|already (?:a )?(?:member|subscriber)\b.*|create (?:an |your )?account|my account|manage (?:your )?subscription"
    r"|support (?:our|independent) journalism\b.*|skip to (?:main )?(?:content|navigation)|toggle navigation"
    r"|(?:open|close) menu|menu|search|back to top|loading\W*|please enable javascript\b.*|you are here:?"
    r"|cookie (?:settings|policy|preferences)|privacy policy|terms (?:of (?:use|service)|and conditions)"
    r"|we use cookies\b.*|all rights reserved\b.*|(?:©|\(c\)).*|copyright\s+(?:©\s*)?\d{4}\b.*"
    r"|(?:tags|topics|filed under|keywords)\s*:.*"
    r"|(?:read more|read also|see also|also read|more on this story|related)\s*:.*"
    r"|listen to (?:our|the) podcasts?\b.*|download (?:our|the) app\b.*"
    r"|(?:follow|like) us on\b.*|follow \S+(?: \S+)? on (?:twitter|x|facebook|instagram|telegram|whatsapp)\b.*"
    r"|(?:e-?mail|print|comments?|save|copy link|share)"
    r"|شارك(?: الخبر| المقال| عبر.*)?|مشاركة(?: الخبر| المقال)?|تابعونا(?: على.*)?|تابعنا(?: على.*)?"
    r"|اشترك(?: الآن| في النشرة.*| في القناة.*)?|جميع الحقوق محفوظة.*|حقوق النشر.*|طباعة|أضف تعليق[اًا]*"
    r"|(?:الوسوم|كلمات مفتاحية)\s*:.*|(?:اقرأ|إقرأ) (?:أيضا|ايضا|أيضاً|ايضاً)\s*:.*"
    r"|lire aussi\s*:.*|partager|s'abonner|paylaş|abone ol)",
    re.IGNORECASE,
)
_PROMO = re.compile(
    r"(?=.*\b(?:sign up|subscribe|listen|follow|download|register)\b)"
    r"(?=.*\b(?:newsletters?|e-?mails?|inbox|podcasts?|alerts)\b)(?=.*\b(?:our|here|free|weekly|daily)\b).*",
    re.IGNORECASE,
)
_CODE_RESIDUE = re.compile(r"[A-Za-z]+(?:_[A-Za-z0-9]+)+|\[/?[a-z_]+(?:\s[^\]]*)?\]|\{\{[^}]*\}\}")
_SHARE_WORDS = frozenset([
    "share", "tweet", "facebook", "twitter", "whatsapp", "telegram", "linkedin", "reddit", "pinterest", "messenger",
    "شارك", "مشاركة", "فيسبوك", "تويتر", "واتساب", "تلغرام",
])  # fmt: skip
_SHARE_FILLER = frozenset([
    "on", "via", "this", "the", "article", "story", "page", "post", "email", "e", "mail", "print", "copy", "link", "x",
    "save",
])  # fmt: skip
_NAV_MARKER = re.compile(
    r"(?:related|related (?:articles|stories|content|coverage|posts|news|topics|reading)|read more|read also"
    r"|see also|also read|more (?:from|on) .{1,40}|recommended(?: for you| stories| articles)?"
    r"|you (?:may|might) also like|most (?:read|popular|viewed|shared)|trending(?: now)?|editor'?s picks"
    r"|latest (?:news|stories|articles)|top stories|more stories|in other news"
    r"|اخترنا لك|(?:اقرأ|إقرأ) (?:أيضا|ايضا|أيضاً|ايضاً)|(?:أخبار|مواضيع|مقالات) (?:ذات صلة|متعلقة)"
    r"|الأكثر (?:قراءة|مشاهدة|تداولا|تداولاً)|آخر الأخبار|قد يعجبك (?:أيضا|أيضاً)|شاهد (?:أيضا|أيضاً)"
    r"|يهمك (?:أيضا|أيضاً)|المزيد(?: من الأخبار)?|lire aussi|à lire aussi|sur le même sujet|ilgili haberler)"
    r"\s*:?",
    re.IGNORECASE,
)
_CRUMB_HOME = re.compile(
    r"(?:Home|HOME|Start|Accueil|Inicio|Startseite|Anasayfa|Ana Sayfa|الرئيسية|الصفحة الرئيسية)"
    r"(?:\s*[>»›/|•:]\s*|\s+[-–—]\s+|(?=[A-Z‘“'\"\u0600-\u06ff]))"
)
_CRUMB_SEPARATORS = re.compile(r"\s*[>»›]\s*|\s+/\s+")
_TERMINAL = re.compile(r"[.!?؟…][\"”’»)\]]*$")
_SENTENCE_END = re.compile(r"[.!?؟…]+[\"”’»)\]]*\s+")
_FRAGMENT = re.compile(r"[^\W\d_]")
_TOKEN = re.compile(r"\w+")
_MAX_CHROME_WORDS = 40


def _words(text: str) -> int:
    return len(text.split())


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


def _chrome_reason(line: str) -> str | None:
    """The reason a whole line is site chrome, or None when it is body text."""
    stripped = line.strip()
    words = _words(stripped)
    if words > _MAX_CHROME_WORDS:
        return None
    if words <= 6 and _ADVERT.fullmatch(stripped):
        return ADVERTISEMENT
    if words <= 3 and _CODE_RESIDUE.fullmatch(stripped):
        return CHROME
    if words <= 25 and (_CHROME.fullmatch(stripped) or _PROMO.fullmatch(stripped)):
        return CHROME
    if words <= 12 and _is_share_bar(stripped):
        return CHROME
    if _CRUMB_HOME.match(stripped):
        return BREADCRUMB
    if words <= 15 and not _TERMINAL.search(stripped):
        parts = _CRUMB_SEPARATORS.split(stripped)
        if len(parts) >= 3 and all(0 < _words(p) <= 4 for p in parts):
            return BREADCRUMB
    if len(stripped) == 1 and _FRAGMENT.match(stripped):
        return FRAGMENT
    return None


def _is_share_bar(line: str) -> bool:
    tokens = _TOKEN.findall(line.casefold())
    return any(t in _SHARE_WORDS for t in tokens) and all(t in _SHARE_WORDS or t in _SHARE_FILLER for t in tokens)


def _is_nav_item(line: str) -> bool:
    """A short link, label or date line of a navigation block (not a sentence)."""
    stripped = line.strip()
    return _words(stripped) <= 15 and not _TERMINAL.search(stripped)


# --- captions ------------------------------------------------------------------------------------------------------

_CAPTION_LABEL = re.compile(
    r"(?:(?:^|(?<=[\s.,;(\]]))(?:Photograph|Photographs|Photo|Photos|PHOTO|Photo credit|Picture|Image|Illustration"
    r"|Credit|Footage)|(?<=[a-z])(?:Photograph|Photo))\s*:\s*(?P<credit>(?:[A-Z]|courtesy)[^:\n]{1,120}?)\s*[.)]?$"
    r"|(?:^|(?<=[\s(]))(?:صورة|الصورة|تصوير|الصور)\s*:\s*(?P<credit_ar>[^:\n]{2,80}?)\s*[.)]?$"
)
_AGENCIES = (
    r"Reuters|AFP|AP|Getty Images|EPA|EPA-EFE|Anadolu(?: Agency)?|SANA|Associated Press|Xinhua|Shutterstock|Alamy"
    r"|رويترز|فرانس برس|أ\.? ?ف\.? ?ب|الأناضول|سانا"
)
_AGENCY_CAPTION = re.compile(
    rf"\s*[(\[](?P<credit>(?:(?:photo|photograph|صورة)\s*:?\s*)?[^()\[\]\n]{{0,60}}?\b(?:{_AGENCIES})[^()\[\]\n]{{0,30}})"
    r"[)\]]\.?$",
    re.IGNORECASE,
)
_MAX_CAPTION_WORDS = 50


def _caption(line: str) -> Caption | None:
    """Read a line as a photo caption (a description ending with its photo credit), or return None."""
    stripped = line.strip()
    if _words(stripped) > _MAX_CAPTION_WORDS + 12:
        return None
    match = _CAPTION_LABEL.search(stripped) if ":" in stripped else None
    if match is None:
        if not stripped.rstrip(".").endswith((")", "]")):
            return None
        match = _AGENCY_CAPTION.search(stripped)
        if match is None or _words(stripped) > 40 or "“" in stripped or match.start() == 0:
            return None
    credit = (match.group("credit") or match.groupdict().get("credit_ar") or "").strip()
    body = stripped[: match.start()].strip()
    if _words(body) > _MAX_CAPTION_WORDS or _words(credit) > 12:
        return None
    return Caption(text=body, date=caption_date(body), credit=credit)


def parse_caption(text: str) -> Caption:
    """A caption from the text of a figure caption: its credit split off when it has one, its stated date read."""
    caption = _caption(text)
    if caption is not None:
        return caption
    stripped = " ".join(text.split())
    return Caption(text=stripped, date=caption_date(stripped))


_EN_MONTHS = {
    m: i
    for i, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for m in names
}
_AR_MONTHS = {
    "كانون الثاني": 1, "شباط": 2, "آذار": 3, "اذار": 3, "نيسان": 4, "أيار": 5, "ايار": 5, "حزيران": 6, "تموز": 7,
    "آب": 8, "اب": 8, "أيلول": 9, "ايلول": 9, "تشرين الأول": 10, "تشرين الاول": 10, "تشرين الثاني": 11,
    "كانون الأول": 12, "كانون الاول": 12, "يناير": 1, "فبراير": 2, "مارس": 3, "أبريل": 4, "ابريل": 4, "إبريل": 4,
    "مايو": 5, "يونيو": 6, "يونيه": 6, "يوليو": 7, "يوليه": 7, "أغسطس": 8, "اغسطس": 8, "سبتمبر": 9, "أكتوبر": 10,
    "اكتوبر": 10, "نوفمبر": 11, "ديسمبر": 12,
}  # fmt: skip
_EN_MONTH_RE = "|".join(sorted(_EN_MONTHS, key=len, reverse=True))
_AR_MONTH_RE = "|".join(sorted(_AR_MONTHS, key=len, reverse=True))
_DATE_DMY = re.compile(rf"\b(\d{{1,2}})(?:st|[nr]d|th)?\s+({_EN_MONTH_RE})\.?,?\s+((?:19|20)\d\d)\b", re.IGNORECASE)
_DATE_MDY = re.compile(rf"\b({_EN_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|[nr]d|th)?,?\s+((?:19|20)\d\d)\b", re.IGNORECASE)
_DATE_ISO = re.compile(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b")
_DATE_AR = re.compile(rf"(?<!\d)(\d{{1,2}})\s+(?:من\s+)?({_AR_MONTH_RE})(?:\s*/\s*\S+)?\s+((?:19|20)\d\d)(?!\d)")
_DIACRITICS = re.compile(r"[\u064b-\u0652\u0640]")


def _safe_date(year: str, month: int, day: str) -> dt.date | None:
    try:
        return dt.date(int(year), month, int(day))
    except ValueError:
        return None


def caption_date(text: str) -> dt.date | None:
    """The first full date (day, month and year) a caption states, in English or Arabic, or None."""
    text = _DIACRITICS.sub("", text.translate(ASCII_DIGITS))
    found: list[tuple[int, dt.date | None]] = []
    if m := _DATE_DMY.search(text):
        found.append((m.start(), _safe_date(m.group(3), _EN_MONTHS[m.group(2).casefold()], m.group(1))))
    if m := _DATE_MDY.search(text):
        found.append((m.start(), _safe_date(m.group(3), _EN_MONTHS[m.group(1).casefold()], m.group(2))))
    if m := _DATE_ISO.search(text):
        found.append((m.start(), _safe_date(m.group(1), int(m.group(2)), m.group(3)) if m.group(2) < "13" else None))
    if m := _DATE_AR.search(text):
        found.append((m.start(), _safe_date(m.group(3), _AR_MONTHS[m.group(2)], m.group(1))))
    dates = [d for _, d in sorted(found, key=lambda pair: pair[0]) if d is not None]
    return dates[0] if dates else None


# --- syndication footers -------------------------------------------------------------------------------------------

_FOOTER_START = r"(?:^|(?<=[.!?\"”’]))\s*"
_SYNDICATION = (
    re.compile(_FOOTER_START + r"The post (?P<title>.+?) appeared first on (?P<pub>[^\n]{2,80}?)\s*\.?$"),
    re.compile(
        _FOOTER_START + r"This (?:article|story|piece|post|report) (?:was |is )?(?:originally |first )?"
        r"(?:appeared|published|posted|republished)(?: originally| first)? (?:on|in|by|at|from) "
        r"(?P<pub>[^\n]{2,80}?)(?:\s+(?:on|under) [^\n]{0,80})?\s*\.?$",
        re.IGNORECASE,
    ),
    re.compile(
        _FOOTER_START + r"(?:Originally|First) (?:published|posted|appeared) (?:on|in|by|at) (?P<pub>[^\n]{2,80}?)"
        r"\s*\.?$",
        re.IGNORECASE,
    ),
    re.compile(
        _FOOTER_START + r"Republished (?:with permission )?(?:from|by) (?P<pub>[^\n]{2,80}?)\s*\.?$", re.IGNORECASE
    ),
    re.compile(_FOOTER_START + r"نُ?شر (?:هذا )?(?:المقال|التقرير|الخبر) (?:أولاً |أولا |لأول مرة )?(?:على|في) "
               r"(?P<pub>[^\n]{2,60}?)\s*\.?$"),
)  # fmt: skip
_PUBLISHER_TAIL = re.compile(r"\s+(?:on|at)\s+(?:\d|[A-Z][a-z]+ \d).*$")


def _strip_syndication(paras: list[_Para], state: _State) -> list[_Para]:
    """Remove a syndication footer from the end of one of the last few paragraphs."""
    for index in range(len(paras) - 1, max(-1, len(paras) - 1 - _FOOTER_WINDOW), -1):
        text = paras[index].text
        for pattern in _SYNDICATION:
            match = pattern.search(text)
            if match is None:
                continue
            state.removed.append((SYNDICATION, text[match.start() :].strip()))
            state.syndication = _PUBLISHER_TAIL.sub("", match.group("pub").strip()).rstrip(" .")
            if "title" in match.groupdict() and not state.syndicated_title:
                state.syndicated_title = match.group("title").strip()
            rest = text[: match.start()].rstrip()
            head, tail = paras[:index], paras[index + 1 :]
            return [*head, *([_Para(rest, paras[index].gap)] if rest.strip() else []), *tail]
    return paras


# --- the line pass -------------------------------------------------------------------------------------------------


def _line_pass(paras: list[_Para], state: _State) -> list[_Para]:
    """Strip tag residue, then drop chrome, crumbs, captions and navigation blocks line by line."""
    kept: list[_Para] = []
    in_nav = False
    for para in paras:
        text = strip_tag_residue(para.text).rstrip()
        if text != para.text:
            state.removed.append((TAG_RESIDUE, para.text))
        if not text.strip():
            continue
        if in_nav and _is_nav_item(text):
            state.removed.append((NAVIGATION, text))
            continue
        in_nav = False
        if _NAV_MARKER.fullmatch(text.strip()):
            state.removed.append((NAVIGATION, text))
            in_nav = True
            continue
        reason = _chrome_reason(text)
        if reason is not None:
            state.removed.append((reason, text))
            continue
        caption = _caption(text)
        if caption is not None:
            state.removed.append((CAPTION, text))
            state.captions.append(caption)
            continue
        kept.append(_Para(text, para.gap))
    return _strip_syndication(kept, state)


# --- splices and glued sentences -----------------------------------------------------------------------------------

_LOWER = "a-zß-öø-ÿ"
_UPPER = "A-ZÀ-ÖØ-Þ"
_SPLICE = re.compile(rf"(?<![\w#@/.\-’'&])(?P<left>[{_LOWER}]{{3,}})(?P<right>[{_UPPER}][{_LOWER}]{{2,}})")
_CASE_CHANGE = re.compile(rf"[{_LOWER}][{_UPPER}]")
_GLUED_LATIN = re.compile(r"[.!?]+[\"”’»)]*(?=[A-Z][a-z])")
_GLUED_ARABIC = re.compile(r"[.!?؟]+(?=[\u0621-\u064a])")
_GLUED_BEFORE = {_GLUED_LATIN: re.compile(r"[a-z]{2}$"), _GLUED_ARABIC: re.compile(r"[\u0621-\u064a\u064b-\u0652]{2}$")}
_URLISH = re.compile(r"://|www\.|@|\.(?:com|org|net|gov|edu|html?|php)\b", re.IGNORECASE)
_MIN_SPLICE_CONTEXT_WORDS = 3


def _token_at(text: str, start: int, end: int) -> str:
    left = text.rfind(" ", 0, start) + 1
    right = text.find(" ", end)
    return text[left : right if right >= 0 else len(text)]


def _split_splices(paras: list[_Para], state: _State, gap: int) -> list[_Para]:
    """Split a paragraph where a cut-off sentence runs into a capitalised word with no space ("braceletSectarian")."""
    if not state.cased:
        return paras
    glued = [bool(_CASE_CHANGE.search(p.text)) for p in paras]
    if not any(glued):
        return paras
    counts = Counter(m.group(0) for p, g in zip(paras, glued, strict=True) if g for m in _SPLICE.finditer(p.text))
    out: list[_Para] = []
    for para, has_case_change in zip(paras, glued, strict=True):
        if not has_case_change:
            out.append(para)
            continue
        text, current_gap = para.text, para.gap
        for match in _SPLICE.finditer(para.text):
            offset = len(para.text) - len(text)
            start = match.start("right") - offset
            if start <= 0 or counts[match.group(0)] > 1 or _URLISH.search(_token_at(text, start - 1, start)):
                continue
            before, after = text[:start], text[start:]
            if _words(before) < _MIN_SPLICE_CONTEXT_WORDS or _words(after) < _MIN_SPLICE_CONTEXT_WORDS:
                continue
            state.removed.append((SPLICE, f"…{before[-40:]}|{after[:40]}…"))
            out.append(_Para(before, current_gap))
            text, current_gap = after, gap
        out.append(_Para(text, current_gap))
    return out


def _unglue(paras: list[_Para], state: _State) -> list[_Para]:
    """Put back the space lost between two sentences ("them.As", "الإنسان.المرصد"), never inside URLs or numbers."""
    out: list[_Para] = []
    for para in paras:
        text = para.text
        for pattern in (_GLUED_LATIN, _GLUED_ARABIC):
            pieces: list[str] = []
            last = 0
            for match in pattern.finditer(text):
                if not _GLUED_BEFORE[pattern].search(text, max(0, match.start() - 2), match.start()):
                    continue
                if _URLISH.search(_token_at(text, match.start(), match.end())):
                    continue
                pieces.append(text[last : match.end()])
                pieces.append(" ")
                last = match.end()
                state.removed.append((GLUED_SENTENCE, text[max(0, match.start() - 20) : match.end() + 20]))
            text = "".join(pieces) + text[last:] if pieces else text
        out.append(_Para(text, para.gap))
    return out


# --- repeated headlines, paragraphs and sentences ------------------------------------------------------------------


def _is_headline(text: str) -> bool:
    stripped = text.strip()
    words = _words(stripped)
    return 2 <= words <= _MAX_HEADLINE_WORDS and not re.search(r"[.,;:]$", stripped)


def _drop_repeated_sentences(text: str, seen: set[str], state: _State) -> str:
    """Remove sentences (of some length) already seen earlier in the document; keep all else byte for byte."""
    bounds = [0, *(m.end() for m in _SENTENCE_END.finditer(text)), len(text)]
    pieces = [text[a:b] for a, b in pairwise(bounds) if b > a]
    kept: list[str] = []
    for piece in pieces:
        key = _key(piece)
        if key.count(" ") >= _MIN_DUP_SENTENCE_WORDS - 1:
            if key in seen:
                state.removed.append((REPEATED_SENTENCE, piece.strip()))
                continue
            seen.add(key)
        kept.append(piece)
    return "".join(kept).rstrip() if len(kept) < len(pieces) else text


def _dedupe(paras: list[_Para], state: _State) -> list[_Para]:
    """Keep the first occurrence of every repeated paragraph and of every repeated long sentence."""
    first_seen: dict[str, int] = {}
    sentences: set[str] = set()
    out: list[_Para] = []
    for para in paras:
        key = _key(para.text)
        if _words(key) >= _MIN_DUP_PARAGRAPH_WORDS and key in first_seen:
            headline = first_seen[key] < 4 and _is_headline(para.text)
            if headline and not state.headline:
                state.headline = out[first_seen[key]].text.strip()
            state.removed.append((REPEATED_HEADLINE if headline else REPEATED_PARAGRAPH, para.text))
            continue
        text = _drop_repeated_sentences(para.text, sentences, state)
        if not text.strip():
            continue
        first_seen.setdefault(key, len(out))
        first_seen.setdefault(_key(text), len(out))
        out.append(_Para(text, para.gap))
    return out


# --- the whole -----------------------------------------------------------------------------------------------------


def _split_paragraphs(text: str) -> list[_Para]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2029", "\n\n").replace("\u2028", "\n")
    paras: list[_Para] = []
    blank = 0
    for line in text.split("\n"):
        line = line.rstrip()
        if not line.strip():
            blank += 1
            continue
        paras.append(_Para(line, 2 if blank and paras else 1))
        blank = 0
    return paras


def _join(paras: list[_Para]) -> str:
    return "".join(("\n" * p.gap if i else "") + p.text for i, p in enumerate(paras))


def _title(paras: list[_Para], state: _State) -> str:
    title = state.headline
    first = paras[0].text if paras else ""
    if not title and len(paras) > 1 and _is_headline(first) and _words(first) <= _MAX_FIRST_LINE_TITLE_WORDS:
        title = paras[0].text.strip()
    if not title:
        title = state.syndicated_title
    section = re.search(r"\s+\|\s+([^|]{1,40})$", title)
    if section and _words(section.group(1)) <= 3:
        title = title[: section.start()]
    return title.strip()


def _note_truncated(paras: list[_Para], title: str, state: _State) -> None:
    """Note prose paragraphs that end mid-sentence (not the headline, not short lines); they are kept."""
    for para in paras:
        stripped = para.text.strip()
        if _words(stripped) < _MIN_TRUNCATED_WORDS or _TERMINAL.search(stripped) or stripped.startswith(title or "\0"):
            continue
        if stripped[-1] in ":;":
            continue
        state.removed.append((TRUNCATED, "…" + stripped[-60:]))


def clean_text(text: str, language: str = "en") -> Cleaned:
    """Clean the text of one document; see the module docstring for what is removed and why.

    ``language`` (ISO 639-1) switches off the rules that rely on letter case for scripts without it (Arabic ...).
    Cleaning is idempotent: cleaning a cleaned text changes nothing (only ``truncated`` notes are repeated).
    """
    state = _State(cased=language not in _UNCASED_LANGUAGES)
    paras = _split_paragraphs(text)
    gap = 2 if any(p.gap == 2 for p in paras) else 1
    for _ in range(_MAX_PASSES):
        before = [(p.text, p.gap) for p in paras]
        paras = _line_pass(paras, state)
        paras = _split_splices(paras, state, gap)
        paras = _unglue(paras, state)
        paras = _dedupe(paras, state)
        if [(p.text, p.gap) for p in paras] == before:
            break
    title = _title(paras, state)
    _note_truncated(paras, title, state)
    return Cleaned(
        text=_join(paras),
        captions=state.captions,
        removed=state.removed,
        title=title,
        syndication=state.syndication,
    )
