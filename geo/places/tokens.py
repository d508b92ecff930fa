"""Article text → sentences and word tokens with character offsets (linear in text length).

Words may hide invisible characters (zero-width spaces and joiners, soft hyphens, BOMs) or
combining accents; such a word is one token whose ``text`` is the word without them, while
its offsets still point into the original text.
"""

from __future__ import annotations

import re
from itertools import accumulate

import numpy as np

from geo.places.names import normalise

#: A sentence ends at a line break, or after ``.!?`` (and a closing quote) before a capital.
#: The match starts at the mark, which lets the regex engine skip to candidate characters.
_SENTENCE_END = re.compile(r"[.!?\n](?:(?<=\n)\s*|(?<!\n)(?P<gap>[\"”’]?\s+(?=[\"“‘(]?[A-Z])))")
_ABBREVIATION = re.compile(
    r"(?:\b[A-Z]\.[A-Z]\.|\b(?:Mr|Mrs|Ms|Dr|St|Gen|Sen|Rep|Jan|Feb|Aug|Sept?|Oct|Nov|Dec)\.)$"
)
#: A word: letters, possibly joined by an apostrophe, a dot or a hyphen ("Kyiv's", "U.S.").
_WORD = r"[^\W\d_]+(?:['’.\-][^\W\d_]+)*"
#: Invisible format characters (soft hyphen, zero-width space/non-joiner/joiner, direction
#: marks, word joiner, BOM, variation selectors) and combining marks.
_HIDDEN = (
    "\u00ad\u034f\u061c\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufe00-\ufe0f\ufeff"
    "\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
)
_HIDDEN_CHAR = re.compile(f"[{_HIDDEN}]")
_LETTER = rf"(?:[^\W\d_]|[{_HIDDEN}])"
_WORD_HIDDEN = rf"[^\W\d_]{_LETTER}*(?:['’.\-][^\W\d_]{_LETTER}*)*"
#: Words as one capturing group, for :meth:`re.Pattern.split` (words may hide characters).
_SPLIT = re.compile(f"({_WORD})")
_SPLIT_HIDDEN = re.compile(f"({_WORD_HIDDEN})")
_JOINING_GAPS = frozenset({" ", "-", "\u00a0"})
_NORMS: dict[str, str] = {}
_NORMS_SIZE = 200_000


_ELIDED = frozenset({"d'", "d’", "l'", "l’"})


class Tokens:
    """Word tokens of one text as parallel lists (index ``i`` is the ``i``-th word).

    Attributes
    ----------
    start, end
        Character offsets of each word in the text (a possessive "'s" is left out).
    text
        The word as read (without invisible characters).
    norm
        Its matching key (:func:`geo.places.names.normalise`).
    cap
        Whether it starts with a capital letter.
    sentence
        Number of its sentence; ``first`` says whether it is the sentence's first word.
    """

    __slots__ = ("_hidden", "_text", "cap", "end", "first", "norm", "sentence", "start", "text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._hidden = _HIDDEN_CHAR.search(text) is not None
        # [gap, word, gap, word, ..., gap]: offsets are running sums of the parts' lengths.
        parts = (_SPLIT_HIDDEN if self._hidden else _SPLIT).split(text)
        offsets = list(accumulate(map(len, parts), initial=0))
        self.start: list[int] = offsets[1:-1:2]
        self.end: list[int] = offsets[2:-1:2]
        self.text: list[str] = parts[1::2]
        words = self.text
        for i in [i for i, w in enumerate(words) if not w.isalpha()]:  # "U.S.", "Kyiv's"
            self._trim(i)
        if self._hidden:
            self.text = words = [_HIDDEN_CHAR.sub("", w) for w in words]
        norms = _NORMS
        self.norm: list[str] = [norms.get(w) or _norm(w) for w in words]
        # "d'Ivoire", "l'Aquila": an elided French article before a capital counts as capitalised
        self.cap: list[bool] = [
            w[0].isupper() or (w[0] in "dl" and w[:2] in _ELIDED and w[2:3].isupper())
            for w in words
        ]
        self.sentence, self.first = _sentence_numbers(text, self.start)

    def _trim(self, i: int) -> None:
        """Leave a possessive "'s" out of word ``i``; keep the dot that ends an abbreviation."""
        word, end = self.text[i], self.end[i]
        if word.endswith(("'s", "’s")) and len(word) > 2:
            end -= 2
            word = word[:-2]
        if "." in word and self._text[end : end + 1] == ".":
            end += 1
            word += "."
        self.text[i], self.end[i] = word, end

    def __len__(self) -> int:
        return len(self.start)

    def joined(self, i: int) -> bool:
        """Return whether word ``i`` and the next may be parts of one name.

        They must be in the same sentence, separated by one space, hyphen or no-break space.
        """
        if self.sentence[i] != self.sentence[i + 1]:
            return False
        gap = self._text[self.end[i] : self.start[i + 1]]
        if self._hidden and gap not in _JOINING_GAPS:
            gap = _HIDDEN_CHAR.sub("", gap)
        return gap in _JOINING_GAPS


def sentences(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` offsets of the sentences of ``text``."""
    last = _LAST_SENTENCES[0]
    if last[0] is text:
        return list(last[1])
    spans = _split_sentences(text)
    _LAST_SENTENCES[0] = (text, spans)  # one assignment: threads see a consistent pair
    return list(spans)


#: The last text split into sentences and its spans (the resolver asks again for the same text).
_LAST_SENTENCES: list[tuple[str | None, list[tuple[int, int]]]] = [(None, [])]


def _split_sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        cut = m.start("gap")  # after the mark; -1: a line break
        cut = cut if cut >= 0 else m.start()
        if _ABBREVIATION.search(text, max(0, cut - 8), cut):
            continue
        if cut > start:
            spans.append((start, cut))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _norm(word: str) -> str:
    found = _NORMS.get(word)
    if found is None:
        if len(_NORMS) >= _NORMS_SIZE:
            _NORMS.clear()
        found = _NORMS[word] = normalise(word)
    return found


def _sentence_numbers(text: str, starts: list[int]) -> tuple[list[int], list[bool]]:
    """Return each word's sentence number and whether it opens its sentence.

    A word belongs to the first sentence that ends after its start (words between two
    sentences belong to the next one).
    """
    ends = np.array([b for _, b in sentences(text)], dtype=np.int64)
    numbers = np.minimum(np.searchsorted(ends, starts, side="right"), max(len(ends) - 1, 0))
    first = np.ones(len(numbers), dtype=bool)
    first[1:] = numbers[1:] != numbers[:-1]
    return numbers.tolist(), first.tolist()
