"""The content model: documents with their translations, gazette issues, fixed pages, registries.

This is what the editors wrote, read once and kept whole (drafts, withheld and on-request documents
included): the checks and the editors' reports work on it. What may be published is derived from it
in `publication.py`, and only that reaches the writers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

from .frontmatter import Source
from .registry import Registry

LANGS = ("zh", "bo")
ORIGINAL_LANG = "zh"

# 公开属性 (disclosure attribute)
PROACTIVE = "主动公开"
ON_REQUEST = "依申请公开"
WITHHELD = "不予公开"
DISCLOSURE_VALUES = (PROACTIVE, ON_REQUEST, WITHHELD)
NOT_SECRET = "非涉密"
WITHHELD_REASONS = ("国家秘密", "商业秘密", "个人隐私", "内部事务信息", "过程性信息", "法律法规禁止公开")
VALIDITY_VALUES = ("有效", "失效", "废止")
IN_FORCE = "有效"

# The release chain (`review`): its steps in order, and each one's limit in working days after the one
# before (录入 after `signed`).
REVIEW_STEPS = ("录入", "初审", "审核", "审发")
REVIEW_LIMITS = {"录入": 3, "初审": 3, "审核": 3, "审发": 6}
RELEASE_STEP = "审发"

# The requests register (依申请公开): the values its fields take. The reasons are the annual report's
# (2021 format), without their numbers, per outcome; 予以公开 and 部分公开 take none.
CHANNELS = ("网上", "信函", "当面", "传真", "其他")
APPLICANTS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
OUTCOME_REASONS: dict[str, tuple[str, ...]] = {
    "予以公开": (),
    "部分公开": (),
    "不予公开": ("属于国家秘密", "其他法律行政法规禁止公开", "危及“三安全一稳定”", "保护第三方合法权益",
             "属于三类内部事务信息", "属于四类过程性信息", "属于行政执法案卷", "属于行政查询事项"),
    "无法提供": ("本机关不掌握相关政府信息", "没有现成信息需要另行制作", "补正后申请内容仍不明确"),
    "不予处理": ("信访举报投诉类申请", "重复申请", "要求提供公开出版物", "无正当理由大量反复申请",
             "要求行政机关确认或重新出具已获取信息"),
    "其他处理": ("申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
             "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "其他"),
}
APPEAL_KINDS = ("行政复议", "行政诉讼", "复议后起诉")  # 行政诉讼: brought without reconsideration first
APPEAL_RESULTS = ("维持", "纠正", "其他", "尚未审结")
# The yearly figures file (content/annual/<year>/<agency>.yml): the rows of the annual report's table 二
# that the catalogue cannot give. Counts, except `fees` (万元, may have decimals).
FIGURE_FIELDS = ("licensing", "penalties", "enforcement", "fees")

# The official-document parts (公文要素, GB/T 9704) beside title and body; each language states its own.
OFFICIAL_FIELDS = ("addressee", "signature", "note", "cc", "printed", "author")
# What `gazette import` and `gazette new` write where the editor must decide (every such field fails its check).
PLACEHOLDER = "待填"
# The fifteen kinds of 公文 of the 2012 rules (registry/genres.yml ids): each closes with its signature and date.
OFFICIAL_GENRES = frozenset({"resolution", "decision", "order", "communique", "announcement", "public-notice",
                             "opinion", "notice", "circular", "report", "request", "reply", "motion", "letter",
                             "minutes"})
# Fields a translation may state with a value of its own; any other it states must equal the original's.
TRANSLATION_OWN_FIELDS = frozenset({"title", "slug", "lang", "summary", "keywords", *OFFICIAL_FIELDS})


def parse_date(value: Any) -> dt.date | None:
    """An ISO date (YYYY-MM-DD) or None; the checks report why a value is not one."""
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value.strip()) if len(value.strip()) == 10 else None
    except ValueError:
        return None


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def text(value: Any) -> str:
    return "" if value is None else str(value)


@dataclass(frozen=True)
class Printed:
    """印发机关和印发日期: who printed and sent the document out, and when."""

    by: str
    date: dt.date | None


@dataclass(frozen=True)
class OfficialParts:
    """The parts of a 公文 other than title and body, as one language's source states them (GB/T 9704:
    主送机关, 发文机关署名, 附注, 抄送机关, 印发机关和印发日期; and the author of a speech or study). Read
    leniently: a malformed value reads as empty, and the checks say why."""

    addressee: str = ""
    signature: tuple[str, ...] = ()  # empty: the issuers' full names
    note: str = ""
    cc: tuple[str, ...] = ()  # agency ids or names as written
    printed: Printed | None = None
    author: str = ""

    @classmethod
    def from_meta(cls, meta: dict[str, Any]) -> OfficialParts:
        printed = meta.get("printed")
        return cls(
            addressee=_line(meta.get("addressee")).rstrip("：:").strip(),
            signature=tuple(_line(s) for s in as_list(meta.get("signature")) if _line(s)),
            note=_line(meta.get("note")).strip("（）()").strip(),
            cc=tuple(_line(s) for s in as_list(meta.get("cc")) if _line(s)),
            printed=Printed(_line(printed.get("by")), parse_date(printed.get("date")))
            if isinstance(printed, dict) else None,
            author=_line(meta.get("author")),
        )

    def __bool__(self) -> bool:
        return any((self.addressee, self.signature, self.note, self.cc, self.printed, self.author))


def _line(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _normal(value: str) -> str:
    """A reason as compared: without spaces and quotation marks, which editors type in several ways."""
    return "".join(ch for ch in value if not ch.isspace() and ch not in "“”\"'「」‘’")


def canonical_reason(outcome: str, value: str) -> str | None:
    """The reason as the annual report writes it, or None when it is not one of `outcome`'s reasons."""
    wanted = _normal(value)
    return next((r for r in OUTCOME_REASONS.get(outcome, ()) if _normal(r) == wanted), None)


class FromSource:
    """What every item read from one file offers: its metadata, its path, the line of a key."""

    source: Source

    @property
    def meta(self) -> dict[str, Any]:
        return self.source.meta

    @property
    def path(self) -> str:
        return self.source.path

    def line(self, key: str) -> int:
        return self.source.line(key)


@dataclass
class Attachment:
    file: str  # relative to content/
    title: str


@dataclass
class Translation:
    """The Tibetan (or other) text of a document: its own title, body, summary and keywords."""

    lang: str
    source: Source

    @property
    def title(self) -> str:
        return text(self.source.meta.get("title")).strip()

    @property
    def summary(self) -> str:
        return text(self.source.meta.get("summary")).strip()

    @property
    def keywords(self) -> list[str]:
        return [text(k) for k in as_list(self.source.meta.get("keywords"))]

    @property
    def body(self) -> str:
        return self.source.body

    @property
    def parts(self) -> OfficialParts:
        return OfficialParts.from_meta(self.source.meta)


@dataclass
class Document(FromSource):
    """One item of government information (一条政府信息): the Chinese original and its translations."""

    slug: str
    source: Source  # the .zh.md original
    translations: dict[str, Translation] = field(default_factory=dict)

    # Fields, read leniently: a malformed value reads as empty and the checks say why.
    @property
    def title(self) -> str:
        return text(self.meta.get("title")).strip()

    @property
    def genre(self) -> str:
        return text(self.meta.get("genre"))

    @property
    def issuers(self) -> list[str]:
        return [text(i) for i in as_list(self.meta.get("issuer"))]

    @property
    def doc_number(self) -> str:
        return text(self.meta.get("doc_number")).strip()

    @property
    def signed(self) -> dt.date | None:
        return parse_date(self.meta.get("signed"))

    @property
    def published(self) -> dt.date | None:
        return parse_date(self.meta.get("published"))

    @property
    def index_no(self) -> str:
        return text(self.meta.get("index_no")).strip()

    @property
    def catalogue(self) -> str:
        return text(self.meta.get("catalogue"))

    @property
    def keywords(self) -> list[str]:
        return [text(k) for k in as_list(self.meta.get("keywords"))]

    @property
    def summary(self) -> str:
        return text(self.meta.get("summary")).strip()

    @property
    def disclosure(self) -> str:
        return text(self.meta.get("disclosure"))

    @property
    def withheld_reason(self) -> str:
        return text(self.meta.get("withheld_reason"))

    @property
    def secrecy(self) -> str:
        # Exact, not stripped: only the exact string 非涉密 publishes.
        return text(self.meta.get("secrecy"))

    @property
    def secrecy_review(self) -> dict[str, Any]:
        value = self.meta.get("secrecy_review")
        return value if isinstance(value, dict) else {}

    @property
    def validity(self) -> str:
        return text(self.meta.get("validity") or IN_FORCE)

    @property
    def replaced_by(self) -> str:
        return text(self.meta.get("replaced_by"))

    @property
    def interprets(self) -> str:
        """On a 解读 (policy interpretation): the slug of the policy it explains."""
        value = self.meta.get("interprets")
        return value if isinstance(value, str) else ""

    @property
    def attachments(self) -> list[Attachment]:
        items = []
        for item in as_list(self.meta.get("attachments")):
            if isinstance(item, dict):
                items.append(Attachment(text(item.get("file")), text(item.get("title"))))
        return items

    @property
    def parts(self) -> OfficialParts:
        return OfficialParts.from_meta(self.meta)

    @property
    def ceased(self) -> dt.date | None:
        """The day a document no longer in force (失效, 废止) ceased to be in force, where stated."""
        return parse_date(self.meta.get("ceased"))

    @property
    def review(self) -> list[ReviewStep]:
        """The release chain as written (steps that are not mappings left out; the checks say why)."""
        steps = []
        for i, item in enumerate(as_list(self.meta.get("review"))):
            if isinstance(item, dict):
                steps.append(ReviewStep(text(item.get("step")).strip(), parse_date(item.get("date")),
                                        self.source.lines.get(f"review[{i}]", self.line("review"))))
        return steps

    @property
    def is_draft(self) -> bool:
        return text(self.meta.get("status")) == "draft"

    @property
    def body(self) -> str:
        return self.source.body

    def content_hash(self) -> str:
        """Changes whenever the original, a translation or an attachment's bytes change."""
        h = hashlib.sha256(self.source.raw)
        for lang in sorted(self.translations):
            h.update(self.translations[lang].source.raw)
        return h.hexdigest()


@dataclass(frozen=True)
class ReviewStep:
    """One step of the release chain: which, and when. Who did it is in the source and nowhere else."""

    step: str
    date: dt.date | None
    line: int


@dataclass
class IssueSection:
    section: str
    items: list[str]
    line: int


@dataclass
class Photo:
    image: str
    zh: str
    bo: str

    def caption(self, lang: str) -> str:
        return (self.bo or self.zh) if lang == "bo" else self.zh


@dataclass
class GazetteIssue(FromSource):
    """One monthly issue (一期公报): a manifest naming documents by slug, section by section."""

    source: Source

    def _int(self, key: str) -> int | None:
        value = self.meta.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    @property
    def year(self) -> int | None:
        return self._int("year")

    @property
    def number(self) -> int | None:
        return self._int("number")

    @property
    def total(self) -> int | None:
        return self._int("total")

    @property
    def date(self) -> dt.date | None:
        return parse_date(self.meta.get("date"))

    @property
    def status(self) -> str:
        return text(self.meta.get("status") or "published")

    @property
    def is_published(self) -> bool:
        return self.status == "published"

    @property
    def key(self) -> str:
        return f"{self.year}-{self.number:02d}" if self.year and self.number else self.path

    @property
    def cover_image(self) -> str:
        return text(self.meta.get("cover_image"))

    def photos(self, key: str) -> list[Photo]:
        items = self.meta.get(key)
        if isinstance(items, dict):
            items = [items]
        return [Photo(text(p.get("image")), text(p.get("zh")), text(p.get("bo")))
                for p in as_list(items) if isinstance(p, dict)]

    @property
    def sections(self) -> list[IssueSection]:
        result = []
        for i, item in enumerate(as_list(self.meta.get("sections"))):
            if isinstance(item, dict):
                result.append(IssueSection(text(item.get("section")), [text(s) for s in as_list(item.get("items"))],
                                           self.line(f"sections[{i}]")))
        return result

    def items(self) -> list[str]:
        return [slug for section in self.sections for slug in section.items]


@dataclass
class Page:
    """A fixed page (about, disclosure guide, how to request information) in one language."""

    slug: str
    lang: str
    source: Source

    @property
    def title(self) -> str:
        return text(self.source.meta.get("title")).strip()

    @property
    def is_draft(self) -> bool:
        return text(self.source.meta.get("status")) == "draft"

    @property
    def body(self) -> str:
        return self.source.body


@dataclass(frozen=True)
class Appeal:
    """行政复议 or 行政诉讼 against a request's answer."""

    kind: str
    result: str
    filed: dt.date | None  # optional; the year it counts in (default: the year of the reply)
    line: int


@dataclass
class Request(FromSource):
    """One request for information (依申请公开), from the register content/requests/<year>/<id>.yml.

    Kept for the deadlines and the annual report's counts; no writer ever receives one."""

    source: Source

    def _text(self, key: str) -> str:
        value = self.meta.get(key)
        return value.strip() if isinstance(value, str) else ""

    @property
    def id(self) -> str:
        return self._text("id")

    @property
    def received(self) -> dt.date | None:
        return parse_date(self.meta.get("received"))

    @property
    def channel(self) -> str:
        return self._text("channel")

    @property
    def applicant(self) -> str:
        return self._text("applicant")

    @property
    def office(self) -> str:
        return self._text("office")

    @property
    def subject(self) -> str:
        return self._text("subject")

    @property
    def correction(self) -> dict[str, Any]:
        value = self.meta.get("correction")
        return value if isinstance(value, dict) else {}

    @property
    def correction_asked(self) -> dt.date | None:
        return parse_date(self.correction.get("asked"))

    @property
    def correction_received(self) -> dt.date | None:
        return parse_date(self.correction.get("received"))

    @property
    def extended(self) -> dt.date | None:
        return parse_date(self.meta.get("extended"))

    @property
    def replied(self) -> dt.date | None:
        return parse_date(self.meta.get("replied"))

    @property
    def outcome(self) -> str:
        return self._text("outcome")

    @property
    def reason(self) -> str:
        return self._text("reason")

    @property
    def documents(self) -> list[str]:
        return [text(d) for d in as_list(self.meta.get("documents"))]

    @property
    def appeals(self) -> list[Appeal]:
        """`appeal` as one mapping, or a list of them (a reconsideration, then a suit)."""
        value = self.meta.get("appeal")
        items = [value] if isinstance(value, dict) else as_list(value)
        result = []
        for i, item in enumerate(items):
            if isinstance(item, dict):
                line = self.source.lines.get(f"appeal[{i}]", self.line("appeal"))
                result.append(Appeal(text(item.get("kind")).strip(), text(item.get("result")).strip(),
                                     parse_date(item.get("filed")), line))
        return result


@dataclass
class YearlyFigures(FromSource):
    """The figures an agency's office supplies for one year's annual report (table 二 beyond the
    catalogue): content/annual/<year>/<agency>.yml."""

    source: Source

    @property
    def year(self) -> int | None:
        parts = self.path.split("/")
        return int(parts[1]) if len(parts) == 3 and parts[1].isdigit() and len(parts[1]) == 4 else None

    @property
    def agency(self) -> str:
        return self.path.rsplit("/", 1)[-1].removesuffix(".yml")

    def value(self, key: str) -> int | float | None:
        """A figure as a number, or None when it is missing or not a number (the checks say which)."""
        value = self.source.meta.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            return None
        return value


@dataclass
class Corpus:
    """Everything under content/, read once."""

    root: str
    registry: Registry
    documents: dict[str, Document] = field(default_factory=dict)
    issues: list[GazetteIssue] = field(default_factory=list)
    pages: dict[tuple[str, str], Page] = field(default_factory=dict)
    orphans: list[Source] = field(default_factory=list)  # translations whose original is missing
    duplicates: list[Source] = field(default_factory=list)  # second files claiming a taken slug
    files: set[str] = field(default_factory=set)  # every file under content/, relative
    requests: list[Request] = field(default_factory=list)  # the register; never given to a writer
    # Slugs whose original could not be read (its error is reported): what names them is not also called
    # missing, orphaned or not public.
    unreadable: set[str] = field(default_factory=set)
    figures: list[YearlyFigures] = field(default_factory=list)  # content/annual/<year>/<agency>.yml
