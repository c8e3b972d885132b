"""Text analysis for search, the same at index and at query time: normalisation, then tokens.

- Normalisation: NFKC (full-width Ａ１（ → half-width A1(, compatibility ideographs, and the discouraged
  Tibetan vowels U+0F73, U+0F75, U+0F81, which NFKC decomposes and never recomposes), case folding,
  Tibetan digits ༠–༩ → 0–9, invisible characters (zero-width space, joiners, soft hyphen, BOM) dropped.
- Chinese (and any CJK run): overlapping character bigrams, one position per character, so any string of
  two or more characters is a phrase of consecutive bigrams: 公开 is found inside 政府信息公开 and a quoted
  phrase keeps its order. The last character of a run is also indexed alone (the "run-end unigram"), so a
  single character is found by a prefix over the bigrams (it starts one) or the unigram (it ends a run).
  A run is followed by an unused position, so that a phrase checked by every other bigram (see
  `phrase_cover`) cannot match across punctuation: 政府信息 is not found in 政府，信息.
  A dictionary segmenter (jieba) is not used: it misses words inside longer words and its Whoosh analyser
  stores character offsets as positions, which breaks phrase queries.
- Tibetan: syllables split on tsheg and shad, one position per syllable. An affixed case particle
  (-འི genitive, -ས agentive, -ར terminative, written into an open syllable: ལྷ་སའི, ལྷ་སས, ལྷ་སར) is indexed
  under the syllable as written and under its stem at the same position, so ལྷ་ས finds ལྷ་སའི. At query time
  a syllable in -འི (never a word ending of its own) is reduced to its stem; -ས and -ར are kept as typed,
  since they are just as often a root's own final letter (ལས, ཆོས, གསར).
- Latin letters and digits: words.

This module has no search-engine dependency; `index.py` adapts it to the engine.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from ..labels import TO_ARABIC

# Bump when tokens change: an index written with another version is rebuilt from scratch.
ANALYSIS_VERSION = 4

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_HAS_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_TRANSLATE = {**_INVISIBLE, **TO_ARABIC}
_TRANSLATED = re.compile("[" + re.escape("".join(map(chr, _TRANSLATE))) + "]")

CJK = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# Tibetan letters, vowel signs, subjoined letters and marks that belong to a syllable; tsheg (U+0F0B,
# U+0F0C), shad (U+0F0D–U+0F14) and the other punctuation separate syllables.
TIBETAN = "\u0f18\u0f19\u0f35\u0f37\u0f39\u0f3e\u0f3f\u0f40-\u0f6c\u0f71-\u0f84\u0f86-\u0fbc\u0fc6"
WORD = "0-9a-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff"
_TOKEN_RUN = re.compile(f"(?P<cjk>[{CJK}]+)|(?P<bo>[{TIBETAN}]+)|(?P<word>[{WORD}]+)")
HAS_CJK = re.compile(f"[{CJK}]")
HAS_TIBETAN = re.compile(f"[{TIBETAN}]")
# What ends a Tibetan clause or block between two syllables (shad and its kin, a line end): a phrase does
# not run across it, as a Chinese bigram does not run across punctuation.
_TIBETAN_BREAK = re.compile("[\u0f0d-\u0f12\u0f14\n]")

_TIBETAN_VOWELS = frozenset("\u0f71\u0f72\u0f74\u0f7a\u0f7b\u0f7c\u0f7d\u0f80")
_TIBETAN_BASE = re.compile("[\u0f40-\u0f6c]")
GENITIVE = "\u0f60\u0f72"  # འི
# Letters that may stand before a root (prefixes) and after it (suffixes) in a syllable.
_PREFIXES = frozenset("\u0f42\u0f51\u0f56\u0f58\u0f60")  # ག ད བ མ འ
_SUFFIXES = frozenset("\u0f42\u0f44\u0f51\u0f53\u0f56\u0f58\u0f60\u0f62\u0f63\u0f66")  # ག ང ད ན བ མ འ ར ལ ས


def normalise(text: str) -> str:
    """The one normalisation of indexed text and of queries."""
    if not text.isascii():
        # Most text needs neither step: a search in C (and Unicode's quick check) is many times cheaper
        # than translating and normalising a whole body, which highlighting does for every hit shown.
        if _TRANSLATED.search(text):
            text = text.translate(_TRANSLATE)
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text)
    return text.casefold()


def normalise_with_offsets(text: str) -> tuple[str, list[int]]:
    """`normalise`, character by character, with the index in `text` of each output character
    (for highlighting matches in the original text)."""
    whole = normalise(text)
    if len(whole) == len(text) and not _HAS_INVISIBLE.search(text):
        return whole, list(range(len(text) + 1))  # one character for one: the usual case
    out: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        piece = normalise(ch)
        out.append(piece)
        offsets.extend([i] * len(piece))
    offsets.append(len(text))
    return "".join(out), offsets


def genitive_stem(syllable: str) -> str:
    """The word of a syllable ending in the genitive འི (its caller checks that it does). བཀའ + ི: two
    letters, the second no suffix, are a prefix and a root, written with འ (བཀ alone is no syllable), so
    the word keeps its འ; otherwise འི goes (ལྷ་སའི → ས). དགའི stays ambiguous (དགའ, or the plural དག)."""
    rest = syllable[:-2]
    if len(rest) == 2 and rest[0] in _PREFIXES and rest[1] not in _SUFFIXES and _TIBETAN_BASE.fullmatch(rest[1]):
        return syllable[:-1]
    return rest


def tibetan_stem(syllable: str) -> str:
    """The syllable without an affixed case particle (-འི, -ས, -ར), or the syllable itself.

    -ས and -ར are affixes only on an open syllable: the rest ends in a vowel sign or is a single
    (possibly stacked) consonant. ལྷ་སའི → ས; བཀའི → བཀའ; སར → ས; ལྷོར → ལྷོ; ཁྲིམས stays (ཁྲིམ is closed)."""
    if len(syllable) > 2 and syllable.endswith(GENITIVE):
        return genitive_stem(syllable)
    if len(syllable) > 1 and syllable[-1] in "\u0f66\u0f62":  # ས ར
        rest = syllable[:-1]
        if rest[-1] in _TIBETAN_VOWELS or len(_TIBETAN_BASE.findall(rest)) == 1:
            return rest
    return syllable


@dataclass(frozen=True)
class QueryToken:
    """One position of a query clause: a term, or a prefix (a single Chinese character ending the query).
    `pos` is its position from the clause's start; `bigram`: a pair of Chinese characters."""

    text: str
    prefix: bool = False
    pos: int = 0
    bigram: bool = False


def index_tokens(text: str) -> Iterator[tuple[str, int]]:
    """(token, position) pairs of a normalised text, for the index. Tokens of one position may repeat
    the position (a Tibetan stem beside the affixed syllable)."""
    pos, last_end = 0, 0
    for m in _TOKEN_RUN.finditer(text):
        run = m.group()
        kind = m.lastgroup
        if kind == "bo" and _TIBETAN_BREAK.search(text, last_end, m.start()):
            pos += 1  # a gap: a phrase never spans a shad or a paragraph
        last_end = m.end()
        if kind == "cjk":
            for i in range(len(run) - 1):
                yield run[i:i + 2], pos + i
            yield run[-1], pos + len(run) - 1  # the run-end unigram
            pos += len(run) + 1  # a gap: a bigram never spans two runs (see phrase_cover)
        elif kind == "bo":  # one syllable: tsheg and shad are not in the class
            yield run, pos
            stem = tibetan_stem(run)
            if stem != run:
                yield stem, pos
            pos += 1
        else:
            yield run, pos
            pos += 1


def query_tokens(text: str) -> list[QueryToken]:
    """The positions of one query clause (a word or a quoted phrase), matching `index_tokens`:
    consecutive positions, run-end unigrams only where the clause goes on, a lone final character as
    a prefix (it may start a bigram in the text)."""
    normal = normalise(text)
    runs = list(_TOKEN_RUN.finditer(normal))
    tokens: list[QueryToken] = []
    pos = 0
    for n, m in enumerate(runs):
        run = m.group()
        last = n == len(runs) - 1
        if m.lastgroup == "bo" and n and _TIBETAN_BREAK.search(normal, runs[n - 1].end(), m.start()):
            pos += 1  # as `index_tokens` counts: a shad typed in a phrase keeps its gap
        if m.lastgroup == "cjk":
            tokens.extend(QueryToken(run[i:i + 2], pos=pos + i, bigram=True) for i in range(len(run) - 1))
            if len(run) == 1 and last:
                tokens.append(QueryToken(run, prefix=True, pos=pos))
            elif not last:
                tokens.append(QueryToken(run[-1], pos=pos + len(run) - 1))
            pos += len(run) + 1
        elif m.lastgroup == "bo":
            tokens.append(QueryToken(genitive_stem(run) if len(run) > 2 and run.endswith(GENITIVE) else run, pos=pos))
            pos += 1
        else:
            tokens.append(QueryToken(run, pos=pos))
            pos += 1
    return tokens


def phrase_cover(tokens: list[QueryToken]) -> list[QueryToken]:
    """The fewest tokens of a phrase that still pin down every character: in a chain of bigrams, every
    other one and the last (政府 信息 公开 for 政府信息公开, at positions 0 2 4), without the run-end unigram
    its last bigram covers. Positions keep the match exact: each bigram fixes two characters."""
    kept: list[QueryToken] = []
    chain_start = 0
    for i, token in enumerate(tokens):
        previous = tokens[i - 1] if i else None
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        after_bigram = previous is not None and previous.bigram and previous.pos == token.pos - 1
        if token.bigram:
            if not after_bigram:
                chain_start = token.pos
            chain_end = following is None or not following.bigram or following.pos != token.pos + 1
            if (token.pos - chain_start) % 2 == 0 or chain_end:
                kept.append(token)
        elif not (after_bigram and not token.prefix):
            kept.append(token)
    return kept


def script_of(text: str) -> str | None:
    """'bo' for a query in Tibetan script, 'zh' for one in Chinese characters, None for neither."""
    if HAS_TIBETAN.search(text):
        return "bo"
    if HAS_CJK.search(text):
        return "zh"
    return None


# 发文字号: typed with 〔〕 as it should be, or with [] () 【】 〖〗 (full width is folded to () [] first).
_NUMBER = re.compile(rf"^(?P<code>[{CJK}]{{1,16}})\s*[\[(【〔〖]\s*(?P<year>\d{{4}})\s*[\])】〕〗]\s*第?\s*"
                     r"(?P<n>\d{1,6})\s*号$")
_ORDER_NUMBER = re.compile(rf"^(?P<body>[{CJK}]{{1,24}})令\s*第\s*(?P<n>\d{{1,6}})\s*号$")
_INDEX_NO = re.compile(r"^[0-9a-z]{9}/[0-9]{4}-[0-9]{5}\Z")


def document_number_key(text: str) -> str | None:
    """The canonical form of a document number (甘府发〔2012〕12号), however bracketed or padded, or None
    when the text is not one."""
    value = normalise(text).strip()
    m = _NUMBER.match(value)
    if m:
        return f"{m['code']}〔{m['year']}〕{int(m['n'])}号"
    m = _ORDER_NUMBER.match(value)
    if m:
        return f"{m['body']}令第{int(m['n'])}号"
    return None


def index_number_key(text: str) -> str | None:
    """The canonical form of an index number (索引号, 000014349/2017-00110), or None."""
    value = normalise(text).strip()
    return value if _INDEX_NO.match(value) else None
