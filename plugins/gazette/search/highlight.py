"""Highlighted titles and snippets: the query's words marked in the original text.

Matching is done here on the normalised text (with a map back to the original characters) rather than
by the engine's highlighter: the engine marks one token at a time, and overlapping Chinese bigrams
(政府 府信 信息) come out as broken fragments, while a substring match marks exactly what the reader typed.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from .analysis import CJK, GENITIVE, TIBETAN, WORD, normalise_with_offsets

_RUN = re.compile(f"(?P<cjk>[{CJK}]+)|(?P<bo>[{TIBETAN}]+(?:\u0f0b[{TIBETAN}]+)*)|(?P<word>[{WORD}]+)")
_TIBETAN_CHAR = re.compile(f"[{TIBETAN}]")
_WORD_CHAR = re.compile(f"[{WORD}]")
_AFFIXES = ("", GENITIVE, "\u0f66", "\u0f62")  # what may follow a Tibetan match inside its last syllable
SNIPPET_CHARS = 140


def needles(texts: list[str]) -> list[tuple[str, str]]:
    """(kind, normalised string) for each run of the query texts: a Chinese run, a tsheg-joined Tibetan
    sequence (with -འི taken off its syllables, as the query is), a word."""
    found: list[tuple[str, str]] = []
    for text in texts:
        normalised, _ = normalise_with_offsets(text)
        for m in _RUN.finditer(normalised):
            kind = m.lastgroup or "word"
            value = m.group()
            if kind == "bo":
                value = "\u0f0b".join(s[:-2] if len(s) > 2 and s.endswith(GENITIVE) else s
                                      for s in value.split("\u0f0b"))
            found.append((kind, value))
    # Longest first, so a phrase is marked whole rather than by its parts.
    return sorted(set(found), key=lambda kv: -len(kv[1]))


def _spans(normalised: str, wanted: list[tuple[str, str]]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for kind, needle in wanted:
        start = normalised.find(needle)
        while start >= 0:
            end = start + len(needle)
            ok = True
            if kind == "bo":
                ok = start == 0 or not _TIBETAN_CHAR.match(normalised[start - 1])
                tail = end
                while tail < len(normalised) and _TIBETAN_CHAR.match(normalised[tail]):
                    tail += 1
                if normalised[end:tail] not in _AFFIXES:
                    ok = False
                end = tail
            elif kind == "word":
                ok = (start == 0 or not _WORD_CHAR.match(normalised[start - 1])) and (
                    end == len(normalised) or not _WORD_CHAR.match(normalised[end]))
            if ok and not any(s < end and start < e for s, e in spans):
                spans.append((start, end))
            start = normalised.find(needle, start + 1)
    return sorted(spans)


def mark(text: str, wanted: list[tuple[str, str]], window: tuple[int, int] | None = None) -> Markup:
    """`text` (or the slice `window` of it) escaped, with every match wrapped in <mark>."""
    normalised, offsets = normalise_with_offsets(text)
    return _marked(text, offsets, _spans(normalised, wanted), window or (0, len(text)))


def _marked(text: str, offsets: list[int], spans: list[tuple[int, int]], window: tuple[int, int]) -> Markup:
    lo, hi = window
    out: list[str] = []
    cursor = lo
    for start, end in spans:
        s, e = offsets[start], offsets[end]
        if s < cursor or e > hi:
            continue
        out.append(str(escape(text[cursor:s])))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        cursor = e
    out.append(str(escape(text[cursor:hi])))
    return Markup("".join(out))


# Where normalising a prefix of a text gives a prefix of the normalised text: before a character that
# never combines with the one before it (ASCII, CJK punctuation and ideographs, full-width forms, tsheg,
# shad, spaces).
_SAFE_CUT = re.compile("[\u0000-\u007f\u3000-\u303f\u4e00-\u9fff\uff00-\uffef\u0f0b\u0f0d]")
_FIRST_PREFIX = 400


def _first_matches(text: str, wanted: list[tuple[str, str]],
                   size: int) -> tuple[list[int], list[tuple[int, int]]]:
    """The offsets and spans of the shortest prefix of `text` that holds its first match and the window
    after it, or of the whole text. A hit's body can be a long law; normalising it whole for every hit
    shown cost more than the search itself. A span is kept only when the prefix reaches past it by more
    than any needle and a syllable's affixes, so the spans of the window are those of the whole text."""
    margin = max((len(needle) for _, needle in wanted), default=0) + 16
    end = _FIRST_PREFIX
    while True:
        cut = _SAFE_CUT.search(text, end) if end < len(text) else None
        prefix = text[:cut.start()] if cut else text
        normalised, offsets = normalise_with_offsets(prefix)
        spans = _spans(normalised, wanted)
        if prefix is text:
            return offsets, spans
        if spans and spans[0][1] + size + margin < len(normalised):
            return offsets, [s for s in spans if s[1] + margin < len(normalised)]
        end = 2 * len(prefix)


def snippet(text: str, wanted: list[tuple[str, str]], size: int = SNIPPET_CHARS) -> Markup | None:
    """A window of about `size` characters of `text` around its first match, or None without a match.
    Cut between syllables only, never on a tsheg or inside a stack. Only the part of the text up to
    the window is normalised (see `_first_matches`)."""
    offsets, spans = _first_matches(text, wanted, size)
    return _window(text, offsets, spans, size) if spans else None


def _window(text: str, offsets: list[int], spans: list[tuple[int, int]], size: int) -> Markup:
    """About `size` characters of `text` around its first span, its spans marked."""
    first = offsets[spans[0][0]]
    lo = max(0, first - size // 4)
    hi = min(len(text), lo + size)
    lo = max(0, min(lo, hi - size))
    lo, hi = _start_of_syllable(text, lo, first), _end_of_syllable(text, hi)
    body = _marked(text, offsets, spans, (lo, hi))
    return Markup(("…" if lo > 0 else "") + body + ("…" if hi < len(text) else ""))


def opening(text: str, size: int = SNIPPET_CHARS) -> Markup:
    """The beginning of a text, for a hit whose body does not contain the query."""
    end = _end_of_syllable(text, min(size, len(text)))
    return Markup(escape(text[:end]) + ("…" if len(text) > end else ""))


# What a Tibetan syllable is made of: letters, subjoined letters, vowel signs and the marks written on
# them. A cut between two of these splits a syllable or a stack.
_SYLLABLE = re.compile("[\u0f35\u0f37\u0f39\u0f3e\u0f3f\u0f40-\u0fbc]")
# What separates syllables and may not open or close a snippet: tsheg (and its non-breaking form),
# spaces.
_BETWEEN = frozenset("\u0f0b\u0f0c \u00a0")


def _in_tibetan_syllable(text: str, i: int) -> bool:
    """True when a cut before text[i] would split a Tibetan syllable (a stack, a vowel sign, a suffix)."""
    return 0 < i < len(text) and bool(_SYLLABLE.match(text[i - 1])) and bool(_SYLLABLE.match(text[i]))


def _start_of_syllable(text: str, i: int, limit: int) -> int:
    """Move the start of a window forward (up to `limit`, the first match) to the start of a syllable:
    past the rest of a cut syllable, then past the tshegs and spaces after it."""
    while i < limit and _in_tibetan_syllable(text, i):
        i += 1
    while i < limit and text[i] in _BETWEEN:
        i += 1
    return i


def _end_of_syllable(text: str, i: int) -> int:
    """Move the end of a window forward to the end of the syllable it cuts, then back before the tshegs
    and spaces it would end on."""
    while i < len(text) and _in_tibetan_syllable(text, i):
        i += 1
    while i > 0 and i < len(text) and text[i - 1] in _BETWEEN:
        i -= 1
    return i
