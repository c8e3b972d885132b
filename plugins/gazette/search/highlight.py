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
    lo, hi = window or (0, len(text))
    out: list[str] = []
    cursor = lo
    for start, end in _spans(normalised, wanted):
        s, e = offsets[start], offsets[end]
        if s < cursor or e > hi:
            continue
        out.append(str(escape(text[cursor:s])))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        cursor = e
    out.append(str(escape(text[cursor:hi])))
    return Markup("".join(out))


def snippet(text: str, wanted: list[tuple[str, str]], size: int = SNIPPET_CHARS) -> Markup | None:
    """A window of about `size` characters of `text` around its first match, or None without a match."""
    normalised, offsets = normalise_with_offsets(text)
    spans = _spans(normalised, wanted)
    if not spans:
        return None
    first = offsets[spans[0][0]]
    lo = max(0, first - size // 4)
    hi = min(len(text), lo + size)
    lo = max(0, min(lo, hi - size))
    lo, hi = _whole_syllables(text, lo, first), _whole_syllables(text, hi, len(text))
    body = mark(text, wanted, (lo, hi))
    return Markup(("…" if lo > 0 else "") + body + ("…" if hi < len(text) else ""))


def opening(text: str, size: int = SNIPPET_CHARS) -> Markup:
    """The beginning of a text, for a hit whose body does not contain the query."""
    end = _whole_syllables(text, min(size, len(text)), len(text))
    return Markup(escape(text[:end]) + ("…" if len(text) > end else ""))


def _in_tibetan_syllable(text: str, i: int) -> bool:
    """True when a cut before text[i] would split a Tibetan syllable (a stack, a vowel sign, a suffix)."""
    return 0 < i < len(text) and "\u0f40" <= text[i - 1] <= "\u0fbc" and "\u0f40" <= text[i] <= "\u0fbc"


def _whole_syllables(text: str, i: int, limit: int) -> int:
    """Move a cut forward (up to `limit`) to the next syllable boundary, so no stack is cut in half."""
    while i < limit and _in_tibetan_syllable(text, i):
        i += 1
    return i
