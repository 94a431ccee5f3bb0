"""Name normalisation for Arabic and Latin-script victim names, and a cross-script key.

Three layers, each idempotent (``f(f(x)) == f(x)``, property-tested):

* :func:`normalize_arabic` cleans Arabic script without changing which name it is.
* :func:`normalize_latin` folds the usual transliteration variants of one Arabic name to one spelling.
* :func:`name_key` reduces either script to a consonant skeleton, so that ``محمد`` and ``Mohammed`` meet.

:func:`split_name` cuts a full name into given / father / grandfather / family parts, keeping compounds
(``Abd al-Rahman``, ``Nour al-Din``, ``Abu Bakr``) together. Every rule is listed with examples in docs/linkage.md.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from tawthiq.extract.arabic import ASCII_DIGITS

# --- Arabic -------------------------------------------------------------------------------------------------------

#: Harakat, tanween, shadda, sukun, superscript alef, Quranic marks (U+0610-061A, U+064B-065F, U+0670, U+06D6-06ED).
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_TATWEEL = "\u0640"

#: Letter unifications, applied character by character (never through Unicode decomposition: NFD of آ is ا + U+0653,
#: and tools that then "restore" the hamza produce ءا or ءء; mapping the precomposed letter directly avoids that).
_ARABIC_LETTERS = str.maketrans(
    {
        "أ": "ا",  # alef with hamza above
        "إ": "ا",  # alef with hamza below
        "آ": "ا",  # alef with madda: one alef, never two hamzas
        "ٱ": "ا",  # alef wasla
        "ى": "ي",  # alef maqsura written as ya (Mustafa مصطفى / مصطفي)
        "ة": "ه",  # ta marbuta at the end of a word (Fatima فاطمة / فاطمه)
        "ؤ": "و",  # hamza on waw
        "ئ": "ي",  # hamza on ya
        "ک": "ك",  # Persian kaf
        "ی": "ي",  # Persian ya
        "ھ": "ه",  # Urdu heh
        "\u200c": " ",  # zero-width non-joiner
        "\u200d": "",  # zero-width joiner
        "\u200f": "",  # right-to-left mark
        "\u200e": "",  # left-to-right mark
    }
)
_ARABIC_RANGE = re.compile("[\u0600-\u06ff]")
_NON_NAME = re.compile(r"[^\w\s]+")
_SPACES = re.compile(r"\s+")


def is_arabic(text: str) -> bool:
    """True when ``text`` contains Arabic letters.

    >>> is_arabic("محمد"), is_arabic("Mohammed")
    (True, False)
    """
    return bool(_ARABIC_RANGE.search(text))


def normalize_arabic(text: str) -> str:
    """Clean Arabic script for comparison.

    Rules, in order:

    1. strip harakat, shadda, tanween and Quranic marks: ``مُحَمَّد`` → ``محمد``;
    2. strip tatweel (kashida): ``محـــمد`` → ``محمد``;
    3. alef forms to bare alef, directly (``آمنة`` → ``امنه``, never ``ءامنه``): ``أحمد`` → ``احمد``,
       ``إبراهيم`` → ``ابراهيم``;
    4. alef maqsura to ya: ``مصطفى`` → ``مصطفي``; ta marbuta to ha: ``فاطمة`` → ``فاطمه``;
    5. hamza carriers to their letter: ``مؤمن`` → ``مومن``, ``هانئ`` → ``هاني``; Persian kaf/ya to Arabic;
    6. punctuation to spaces, runs of spaces to one: ``عبد  الرحمن،`` → ``عبد الرحمن``.

    >>> normalize_arabic("آمِنَة")
    'امنه'
    """
    text = unicodedata.normalize("NFC", text)
    text = _ARABIC_MARKS.sub("", text).replace(_TATWEEL, "")
    text = text.translate(_ARABIC_LETTERS).translate(ASCII_DIGITS)
    text = _NON_NAME.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


# --- Latin ----------------------------------------------------------------------------------------------------------

_APOSTROPHES = re.compile("['`\u2018\u2019\u02bb\u02bc\u02be\u02bf\u0060\u00b4]")
#: Article spellings written apart from the name: al-Hamwi, el Hamwi, Al Hamwi, ad-Dandashi, as-Sayyid, ul-Haq.
_ARTICLES = frozenset(
    {
        "al",
        "el",
        "il",
        "ul",
        "l",
        "ad",
        "ar",
        "as",
        "at",
        "az",
        "an",
        "ash",
        "ath",
        "adh",
        "ed",
        "er",
        "es",
        "et",
        "ez",
        "en",
    }
)
#: Filiation words dropped between names: bin, ibn, ben, bint, binti.
_FILIATION = frozenset({"bin", "ibn", "ben", "bint", "binti", "bn"})
#: First element of an ``Abd X`` compound in its spellings: Abd, Abdul, Abdel, Abdal, Abdil, Abed, Abdoul.
_ABD = re.compile(r"^(?:abd|abed|abid|abdu|abdul|abdel|abdal|abdil|abdol|abdoul)(?:al|el|ul|il|ol)?$")
_ABD_GLUED = re.compile(r"^(?:abd|abed|abdu)(?:ul|el|al|il|ol|oul|u|e|a|i)?(?=[a-z]{3,})")
#: Second element of ``X al-Din`` compounds: Nour al-Din, Salah ad-Din, Nureddin, Alaa eddine.
_DIN = re.compile(r"^(?:[aeiu]?l|[aeiu])?d{1,2}(?:in|een|ine|ina)$")
_DIN_GLUED = re.compile(r"(?<=[a-z]{3})(?:[aeiu]?l|[aeiu])?d{1,2}(?:in|een|ine|ina)$")
_ABU = frozenset({"abu", "abou", "abo", "bu"})
_LATIN_VOWELS = (("ee", "i"), ("oo", "u"), ("ou", "u"), ("ai", "ai"), ("ey", "ay"), ("e", "a"), ("o", "u"))
_DOUBLE = re.compile(r"([a-z])\1+")


#: An article glued to a capitalised name (``AlAhmad``, ``ElHamwi``) is written apart before case is folded.
_GLUED_CAPITAL = re.compile(r"\b([AaEe]l)(?=[A-Z][a-z])")


def fold_ascii(text: str) -> str:
    """Lower-case ASCII letters only: accents and ʿayn/hamza apostrophes dropped, other marks to spaces.

    >>> fold_ascii("Ḥusayn ʿAbd-al-Raḥmān"), fold_ascii("AlAhmad")
    ('husayn abd al rahman', 'al ahmad')
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _GLUED_CAPITAL.sub(r"\1 ", text)
    text = _APOSTROPHES.sub("", text.lower())
    text = re.sub(r"[^a-z\s]+", " ", text)
    return _SPACES.sub(" ", text).strip()


def _fold_vowels(token: str) -> str:
    """Vowel variants to one spelling: e→a, o→u, ee→i, oo/ou→u, non-initial y→i, doubled letters to one."""
    for old, new in _LATIN_VOWELS:
        token = token.replace(old, new)
    token = token[:1] + token[1:].replace("y", "i")
    single = _DOUBLE.sub(r"\1", token)
    return token if single != token and single in _ARTICLES else single  # Ezz stays azz, never the article az


def _canon_token(token: str, later: bool) -> str:
    """One Latin word to its canonical spelling; ``later`` is True for words after the first (glued articles go)."""
    while True:
        before = token
        glued = _ABD_GLUED.match(token)
        if glued:
            token = "abd" + token[glued.end() :]
        token = _DIN_GLUED.sub("din", token)
        if later and len(token) > 4 and token[:2] in ("al", "el") and token[2] not in "aeiouly":
            token = token[2:]
        token = _fold_vowels(token)
        if token == before:
            return token


def _is_one_of(token: str, canon: str, words: frozenset[str]) -> bool:
    return token in words or canon in words


def _join_compounds(tokens: list[str]) -> list[str]:
    """Join ``abd`` + name, ``abu`` + name and name + ``din``; drop articles and filiation words."""
    out: list[str] = []
    pending = ""
    for token in tokens:
        canon = _canon_token(token, later=False)
        if _is_one_of(token, canon, _ARTICLES) or _is_one_of(token, canon, _FILIATION):
            continue
        if _ABD.match(token) or _ABD.match(canon):
            pending += "abd"
            continue
        if _is_one_of(token, canon, _ABU):
            pending += "abu"
            continue
        if (_DIN.match(token) or _DIN.match(canon)) and out and not pending:
            out[-1] += "din"
            continue
        out.append(pending + canon)
        pending = ""
    if pending:
        out.append(pending)
    return out


def normalize_latin(text: str) -> str:
    """Fold the Latin transliterations of one Arabic name to one spelling.

    Rules, in order:

    1. accents and apostrophes dropped, lower case, hyphens to spaces: ``Ḥasan`` → ``hasan``, ``Sa'id`` → ``said``;
    2. articles dropped when written apart: ``al-Hamwi``, ``el Hamwi``, ``Al Hamwi`` → ``hamwi``; ``ad-Dandashi`` →
       ``dandashi``; glued articles on a later name too: ``Ahmad Alhamwi`` → ``ahmad hamwi``;
    3. filiation words dropped: ``Ahmad bin Ali`` → ``ahmad ali``;
    4. ``Abd`` compounds joined: ``Abd al-Rahman``, ``Abdul Rahman``, ``Abdel Rahman``, ``Abdulrahman`` → ``abdrahman``;
       ``Abu Bakr`` → ``abubakr``; ``Nour al-Din``, ``Nureddin`` → ``nurdin``;
    5. vowel variants: ``ee``→``i``, ``oo``/``ou``→``u``, ``e``→``a``, ``o``→``u``, non-initial ``y``→``i``, doubled
       letters once: ``Mohammed``, ``Muhammad``, ``Mohamad`` → ``muhamad``; ``Hussein``, ``Husayn`` → ``husain``;
    6. abbreviations of Muhammad: ``Mhd``, ``Mohd``, ``Muhd`` → ``muhamad``.

    >>> normalize_latin("Abdel-Rahman el Hamwi")
    'abdrahman hamwi'
    """
    result = _latin_pass(text)
    for _ in range(4):  # a pass can make a new compound (``abd o`` → ``abdu``): repeat to the fixed point
        again = _latin_pass(result)
        if again == result:
            break
        result = again
    return result


#: Abbreviations written on real lists for the commonest name (after vowel folding): ``Mhd``, ``Mohd``, ``Muhd``.
_ABBREVIATIONS = {"mhd": "muhamad", "muhd": "muhamad", "mhmd": "muhamad"}


def _latin_pass(text: str) -> str:
    tokens = _join_compounds(fold_ascii(text).split())
    out = [_canon_token(token, later=i > 0) for i, token in enumerate(tokens)]
    return " ".join(_ABBREVIATIONS.get(t, t) for t in out if t)


@lru_cache(maxsize=262_144)
def normalize_name(text: str) -> str:
    """:func:`normalize_arabic` for Arabic script, :func:`normalize_latin` otherwise; empty for None-like input."""
    if not text or not text.strip():
        return ""
    return _arabic_tokens_joined(normalize_arabic(text)) if is_arabic(text) else normalize_latin(text)


def _arabic_tokens_joined(text: str) -> str:
    """Arabic compounds joined as in Latin: ``عبد الرحمن`` → ``عبدالرحمن``, ``نور الدين`` → ``نورالدين``; بن dropped."""
    out: list[str] = []
    pending = ""
    for token in text.split():
        if token in ("بن", "ابن", "بنت"):
            continue
        if token in ("عبد", "ابو", "ابي", "العبد"):
            pending += token
            continue
        if token == "الدين" and out and not pending:
            out[-1] += token
            continue
        out.append(pending + token)
        pending = ""
    if pending:
        out.append(pending)
    return " ".join(out)


# --- Cross-script key -----------------------------------------------------------------------------------------------

_ARABIC_SKELETON = str.maketrans(
    {
        "ب": "b", "ت": "t", "ث": "t", "ج": "j", "ح": "h", "خ": "x", "د": "d", "ذ": "d", "ر": "r", "ز": "z",
        "س": "s", "ش": "c", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "غ": "g", "ف": "f", "ق": "k", "ك": "k",
        "ل": "l", "م": "m", "ن": "n", "ه": "h",
        "ا": "", "ع": "", "ء": "", "و": "", "ي": "",
    }
)  # fmt: skip
_LATIN_DIGRAPHS = (("kh", "x"), ("sh", "c"), ("ch", "c"), ("th", "t"), ("dh", "d"), ("gh", "g"), ("dj", "j"),
                   ("ph", "f"), ("ck", "k"), ("q", "k"), ("v", "f"), ("p", "b"))  # fmt: skip
_SKELETON_DROP = re.compile(r"[aeiouwy]")
_NOT_KEY_LETTER = re.compile(r"[^a-z]")


#: Names that begin with the letters ال without an article: Elias.
_NOT_ARTICLE = frozenset({"الياس", "اليسع"})


def _arabic_word_key(word: str) -> str:
    if word.startswith("ال") and len(word) > 3 and word not in _NOT_ARTICLE:
        word = word[2:]
    for compound in ("عبد", "ابو", "ابي", "العبد"):
        if word.startswith(compound + "ال") and len(word) > len(compound) + 3:
            word = compound + word[len(compound) + 2 :]
    if word.endswith("الدين") and len(word) > 5:
        word = word[:-5] + "دين"
    if word.endswith(("ه", "ح")) and len(word) > 2:
        word = word[:-1]  # ta marbuta (already ه), the final ه of الله, a final ح (Latin: Saleh, Falah)
    return word.translate(_ARABIC_SKELETON)


def _latin_word_key(word: str) -> str:
    if len(word) > 4 and word.startswith("al") and word[2] not in "aeiouly":
        word = word[2:]  # a glued article: Alhamwi
    if len(word) > 2 and word.endswith("h") and word[-2] in "aeiou":
        word = word[:-1]  # Fatmeh, Fatimah, Abdullah: final h of ta marbuta / Allah
    word = word.replace("kh", "\x01").replace("sh", "\x02").replace("ch", "\x02")
    for old, new in _LATIN_DIGRAPHS[3:]:
        word = word.replace(old, new)
    word = word.replace("\x01", "x").replace("\x02", "c")
    return _SKELETON_DROP.sub("", word)


@lru_cache(maxsize=262_144)
def name_key(text: str) -> str:
    """A consonant skeleton of a name that is the same for its Arabic spelling and its transliterations.

    Vowels, ``w``/``y`` and their Arabic letters (ا و ي ع ء) are dropped, the article and a final ta marbuta / ``h``
    after a vowel go, emphatic and plain consonants fold together (ص/س → s, ط/ت/ث/th → t, ض/ذ/د/dh → d, ظ/ز → z,
    ق/ك/q → k), digraphs map to one letter (خ/kh → x, ش/sh/ch → c, غ/gh → g), doubled letters count once, and a
    final ``t`` is read as ``d`` (``Ahmet``, ``أحمد`` → ``hmd``). Words stay separated by spaces.

    The key is deliberately coarse: short vowels are not written in Arabic, so ``محمد``/``محمود`` (Muhammad/Mahmud)
    and ``حسن``/``حسين`` share ``mhmd`` and ``hsn``. It is for blocking and for comparing across scripts; same-script
    pairs are also compared on :func:`normalize_name`, which keeps them apart.

    >>> name_key("محمد") == name_key("Mohammed") == name_key("Muhammad") == name_key("Mohamad")
    True
    >>> name_key("عبد الرحمن") == name_key("Abdul Rahman") == name_key("Abd al-Rahman")
    True
    """
    norm = normalize_name(text)
    if not norm:
        return ""
    keys = []
    for word in norm.split():
        key = _arabic_word_key(word) if is_arabic(word) else _latin_word_key(word)
        key = _NOT_KEY_LETTER.sub("", key)  # a digit or a sign left by normalisation (``0؀``) is no consonant
        keys.append(_final_voiced(_DOUBLE.sub(r"\1", key)))
    return " ".join(k for k in keys if k)


def _final_voiced(key: str) -> str:
    """A final ``t`` of a word's key as ``d``: Turkish and Levantine spellings devoice a final د (``Ahmet``/``أحمد``,
    ``Murat``/``مراد``, ``Mahmut``), so the key folds the two at the end of a word, in both scripts alike
    (``رفعت``/``Rifaat`` → ``rfd``)."""
    return key[:-1] + "d" if len(key) > 1 and key.endswith("t") else key


#: One ASCII character per Arabic letter (upper case and signs, never the lower-case letters of Latin spellings).
_ASCII_LETTERS = str.maketrans(
    {
        **dict(zip("ابتجحخدذرزسشصضطعغفقكلمنهوي", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", strict=True)),
        "ث": "@", "ظ": "#", "ء": "$", "پ": "%", "چ": "&", "ژ": "*", "گ": "+", "ڤ": "<",
    }
)  # fmt: skip


#: Latin letters that transliterations write for one Arabic letter: ذ as ``dh`` or ``z``, ث as ``th`` or ``s`` (as
#: spoken in the Levant), ق as ``q`` or ``k``, ش as ``sh`` or ``ch`` (French): Mundhir / Munzer, Othman / Osman,
#: Thaer / Saer, Qasim / Kassem, Aicha / Aisha.
_SOUND_FOLDS = (("dh", "z"), ("th", "s"), ("q", "k"), ("ch", "sh"))
_FINAL_H = re.compile(r"(?<=[aeiou])h\b")


def sound_spelling(spelling: str) -> str:
    """A Latin spelling with the sound-alike letters of :data:`_SOUND_FOLDS` folded, a final ``h`` after a vowel (ta
    marbuta: Fatmeh / Fatma) dropped and the words run together, so that two Latin transliterations of one name are
    compared letter for letter. Arabic and its ASCII spelling (upper case) only lose their spaces. ``splink_model``
    compares ``<part>_sound`` in one script, and the given-name rule of ``conflicts`` reads it, beside the
    normalised spelling.

    >>> sound_spelling("mundhir"), sound_spelling("uthman"), sound_spelling("fatmah"), sound_spelling("TWAW")
    ('munzir', 'usman', 'fatma', 'TWAW')
    """
    for old, new in _SOUND_FOLDS:
        spelling = spelling.replace(old, new)
    return _FINAL_H.sub("", spelling).replace(" ", "")


def ascii_spelling(norm: str) -> str:
    """A normalised spelling written with one ASCII character per letter, for string similarity in SQL.

    DuckDB measures edit distance and Jaro–Winkler on UTF-8 bytes, where an Arabic letter is two, and Spark on
    characters: one typo in ``كنان`` is two edits on one engine and one on the other. Written this way both engines
    (and :mod:`jellyfish`, on the original) agree. Latin spellings are returned as they are.

    >>> ascii_spelling("كنان"), ascii_spelling("kinan")
    ('TWAW', 'kinan')
    """
    return norm.translate(_ASCII_LETTERS)


# --- Splitting a full name ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NameParts:
    """A full name cut into its parts (normalised); missing parts are empty strings."""

    given: str
    father: str
    grandfather: str
    family: str


def split_name(full: str) -> NameParts:
    """Cut a full Arabic-style name into given, father, grandfather and family names.

    One word: the given name. Two: given and family. Three: given, father, family. Four or more: given, father,
    grandfather, and the rest as the family name. Compounds count as one word (see :func:`normalize_name`).

    >>> split_name("Mohammed Abdel Rahman al-Hamwi")
    NameParts(given='muhamad', father='abdrahman', grandfather='', family='hamwi')
    """
    words = normalize_name(full).split()
    if not words:
        return NameParts("", "", "", "")
    if len(words) == 1:
        return NameParts(words[0], "", "", "")
    if len(words) == 2:
        return NameParts(words[0], "", "", words[1])
    if len(words) == 3:
        return NameParts(words[0], words[1], "", words[2])
    return NameParts(words[0], words[1], words[2], " ".join(words[3:]))
