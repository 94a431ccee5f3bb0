"""Fingerprints: the sha256 of original bytes (re-ingesting a file is a no-op) and MinHash near-duplicates (a
republished copy of a known document is linked to it, so that it is not counted as an independent source).

The MinHash is taken over word shingles of a matching form of the cleaned text: case folded, NFKC, Arabic
diacritics and tatweel removed, alef, yeh and ta marbuta variants unified, Arabic-Indic and Persian digits read
as ASCII, punctuation dropped. A copy with other site chrome, another footer and a few edited words stays close to
its original once both are cleaned; a rewritten wire story does not (that needs claim-level matching, which is not
done here).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import cache

import numpy as np
from datasketch import MinHash, MinHashLSH

NUM_PERM = 128
SHINGLE_WORDS = 3
DEFAULT_THRESHOLD = 0.8
#: Texts shorter than this (in words) are too short to call a copy; they are never matched.
MIN_WORDS = 12

_WORD = re.compile(r"\w+")
_ARABIC_MARKS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_UNIFY = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        "ؤ": "و",
        "ئ": "ي",
        **{chr(0x0660 + i): str(i) for i in range(10)},
        **{chr(0x06F0 + i): str(i) for i in range(10)},
    }
)


def sha256_bytes(data: bytes) -> str:
    """The hex sha256 of some bytes (documents are keyed by the hash of their original bytes)."""
    return hashlib.sha256(data).hexdigest()


def matching_words(text: str) -> list[str]:
    """The words of a text in matching form (see the module docstring)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _ARABIC_MARKS.sub("", text).translate(_UNIFY)
    return _WORD.findall(text)


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[bytes]:
    """The set of word ``size``-grams of a text in matching form (the whole text when it is shorter)."""
    return _shingles(matching_words(text), size)


def _shingles(words: list[str], size: int) -> set[bytes]:
    if len(words) <= size:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


@cache
def _template(num_perm: int) -> MinHash:
    """One MinHash per size whose permutations are reused (drawing them costs more than hashing a document)."""
    return MinHash(num_perm=num_perm)


def minhash(text: str, num_perm: int = NUM_PERM) -> MinHash:
    """The MinHash of a text's word shingles (empty for an empty text)."""
    return _minhash(matching_words(text), num_perm)


def _minhash(words: list[str], num_perm: int) -> MinHash:
    template = _template(num_perm)
    signature = MinHash(num_perm=num_perm, permutations=template.permutations, scheme=template.scheme)
    signature.update_batch(sorted(_shingles(words, SHINGLE_WORDS)))
    return signature


class CopyIndex:
    """Documents seen so far, by MinHash LSH; finds the earlier document a new text is a near-copy of.

    >>> index = CopyIndex()
    >>> index.add("a", text)          # doctest: +SKIP
    >>> index.find_copy(edited_text)  # doctest: +SKIP
    ('a', 0.91)
    """

    def __init__(self, threshold: float = DEFAULT_THRESHOLD, num_perm: int = NUM_PERM) -> None:
        if not 0.0 < threshold < 1.0:
            raise ValueError(f"threshold must be between 0 and 1, not {threshold}")
        self.threshold = threshold
        self.num_perm = num_perm
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self._signatures: dict[str, np.ndarray] = {}
        self._order: dict[str, int] = {}
        self._last: tuple[str, MinHash | None] = ("", None)

    def __len__(self) -> int:
        return len(self._signatures)

    def __contains__(self, key: object) -> bool:
        return key in self._signatures

    def _signature(self, text: str) -> MinHash | None:
        """The MinHash of a text long enough to compare (the last one is reused: find_copy then add)."""
        if self._last[0] is text or self._last[0] == text:
            return self._last[1]
        words = matching_words(text)  # once: the length test and the shingles both read them
        signature = _minhash(words, self.num_perm) if len(words) >= MIN_WORDS else None
        self._last = (text, signature)
        return signature

    def add(self, key: str, text: str) -> None:
        """Index a document's cleaned text under ``key``; adding a known key again does nothing."""
        if key in self._signatures:
            return
        signature = self._signature(text)
        if signature is None:
            return
        self._lsh.insert(key, signature)
        self._signatures[key] = signature.hashvalues
        self._order[key] = len(self._order)

    def find_copy(self, text: str) -> tuple[str, float] | None:
        """The key of the indexed document most similar to ``text`` and their estimated Jaccard similarity,
        or None when no indexed document is a near-copy (similarity under the threshold)."""
        if not self._signatures:
            return None
        signature = self._signature(text)
        if signature is None:
            return None
        candidates = sorted(self._lsh.query(signature), key=self._order.__getitem__)
        if not candidates:
            return None
        stacked = np.stack([self._signatures[key] for key in candidates])
        scores = (stacked == signature.hashvalues).mean(axis=1)
        best = int(np.argmax(scores))  # the first (earliest indexed) of the best
        if scores[best] < self.threshold - 0.1:
            return None
        return candidates[best], float(scores[best])
