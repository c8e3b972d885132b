"""Writes small content folders for tests: the project's real registries, plus documents, translations,
issues and pages given as field values. Defaults make a valid, public (主动公开) document."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml
from gazette.findings import Finding

ROOT = Path(__file__).resolve().parents[1]
REGISTRY = ROOT / "content" / "registry"


def jpeg(colour: tuple[int, int, int] = (180, 30, 30)) -> bytes:
    """A small photograph that decodes whole (the check refuses one that does not)."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (16, 12), colour).save(buffer, "JPEG")
    return buffer.getvalue()


DEFAULT_BODY = "## 一、总体要求\n\n各县（市）人民政府，州级各部门：现将有关事项通知如下。\n"


# libyaml's emitter where PyYAML was built with it: the pure-Python one took seconds of the suite's time.
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _front_matter(fields: dict[str, Any]) -> str:
    return yaml.dump(fields, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, default_flow_style=None,
                     width=1000)


class ContentFactory:
    def __init__(self, root: Path, serial: int = 0) -> None:
        """A content folder at `root`: a new one with the project's registries, or an existing one (then
        `serial` starts the index numbers of the documents added after the ones already there)."""
        self.root = root
        self.serial = serial
        if not (root / "registry").exists():
            shutil.copytree(REGISTRY, root / "registry")

    def findings(self) -> list[Finding]:
        """What `gazette check` finds in this content folder."""
        from gazette.checks import check_content

        return check_content(self.root)[1]

    def write(self, rel: str, data: str | bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
        return path

    def document(self, slug: str, body: str = DEFAULT_BODY, **fields: Any) -> Path:
        self.serial += 1
        signed = str(fields.get("signed", "2026-03-02"))
        meta: dict[str, Any] = {
            "title": f"甘孜藏族自治州人民政府关于{slug}的通知",
            "slug": slug,
            "lang": "zh",
            "genre": "notice",
            "issuer": ["prefecture-government"],
            "signed": signed,
            "published": "2026-03-04",
            "index_no": f"S00000001/{signed[:4]}-{self.serial:05d}",
            "catalogue": "rules.other",
            "summary": "这是一份用于测试的文件摘要，说明文件的主要内容和适用范围。",
            "disclosure": "主动公开",
            "secrecy": "非涉密",
            "secrecy_review": {"by": "州政府办公室保密审查小组", "date": "2026-03-03"},
        }
        for key, value in fields.items():
            if value is None:
                meta.pop(key, None)
            else:
                meta[key] = value
        year = str(meta.get("signed", signed))[:4]
        return self.write(f"documents/{year}/{slug}.zh.md", f"---\n{_front_matter(meta)}---\n{body}")

    def translation(self, slug: str, year: str = "2026", body: str = "སྤྱིར་བཏང་གི་བླང་བྱ། ཡིག་ཆ་འདི་ལ་ཞིབ་བཤེར་བྱེད།\n",
                    lang: str = "bo", **fields: Any) -> Path:
        meta = {"title": f"དཀར་མཛེས་ཁུལ་གྱི་བརྡ་ཐོ། {slug}", "slug": slug, "lang": lang, **fields}
        return self.write(f"documents/{year}/{slug}.{lang}.md", f"---\n{_front_matter(meta)}---\n{body}")

    def issue(self, year: int, number: int, sections: list[dict[str, Any]], **fields: Any) -> Path:
        meta: dict[str, Any] = {"year": year, "number": number, "total": fields.pop("total", number),
                                "date": f"{year}-{number:02d}-28", "status": "published", **fields,
                                "sections": sections}
        return self.write(f"gazette/{year}/{year}-{number:02d}.yml", _front_matter(meta))

    def request(self, rid: str, **fields: Any) -> Path:
        """A request of the register (content/requests/<year>/<id>.yml), answered on time unless told
        otherwise; a field given as None is left out."""
        meta: dict[str, Any] = {"id": rid, "received": f"{rid[:4]}-03-02", "channel": "网上", "applicant": "自然人",
                                "office": "finance", "subject": "州本级部门预算执行情况", "replied": f"{rid[:4]}-03-16",
                                "outcome": "予以公开"}
        for key, value in fields.items():
            if value is None:
                meta.pop(key, None)
            else:
                meta[key] = value
        return self.write(f"requests/{rid[:4]}/{rid}.yml", yaml.safe_dump(
            meta, allow_unicode=True, sort_keys=False, default_flow_style=False, width=1000))

    def page(self, slug: str, lang: str, title: str, body: str) -> Path:
        meta = {"title": title, "slug": slug, "lang": lang}
        return self.write(f"pages/{slug}.{lang}.md", f"---\n{_front_matter(meta)}---\n{body}")

    def report_corpus(self) -> None:
        """Documents on time and late, one withheld, an issue: what the editors' reports count."""
        review = {"by": "小组", "date": "2026-01-06"}
        self.document("late-a", signed="2026-01-05", published="2026-03-02", secrecy_review=review)
        self.document("late-b", signed="2026-01-05", published="2026-02-27", secrecy_review=review,
                      issuer=["forestry"], index_no="S00000011/2026-00001")
        self.document("on-time", signed="2026-01-05", published="2026-01-08", secrecy_review=review)
        self.document("withheld-late", signed="2026-01-05", published="2026-03-02", disclosure="不予公开",
                      withheld_reason="过程性信息")
        self.translation("on-time", title="བརྡ་ཐོ།")
        self.issue(2026, 3, sections=[{"section": "prefecture-documents", "items": ["on-time", "late-a"]}])
