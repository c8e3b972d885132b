"""A 解读 (policy interpretation) names the policy it explains; both pages link each other."""

from __future__ import annotations

from pathlib import Path

from factory import ContentFactory
from gazette.build import build


def test_a_missing_or_withheld_policy_is_an_error(content: ContentFactory) -> None:
    content.document("withheld", disclosure="不予公开", withheld_reason="过程性信息")
    content.document("jd-a", interprets="nope", catalogue="rules.interpretation")
    content.document("jd-b", interprets="withheld", catalogue="rules.interpretation")
    content.document("jd-c", interprets="jd-c", catalogue="rules.interpretation")
    found = sorted(f.path for f in content.findings() if f.code == "DOC-INTERPRETS")
    assert found == ["documents/2026/jd-a.zh.md", "documents/2026/jd-b.zh.md", "documents/2026/jd-c.zh.md"]


def test_policy_and_interpretation_link_each_other(content: ContentFactory, tmp_path: Path) -> None:
    content.document("policy", title="甘孜藏族自治州人民政府关于优化营商环境的意见")
    content.document("jd-policy", interprets="policy", catalogue="rules.interpretation",
                     title="《关于优化营商环境的意见》政策解读")
    assert [f for f in content.findings() if f.level.value == "error"] == []
    assert build(content.root, tmp_path / "build", ["site"]) == 0
    site = tmp_path / "build/site"
    policy = (site / "zh/documents/policy/index.html").read_text(encoding="utf-8")
    reading = (site / "zh/documents/jd-policy/index.html").read_text(encoding="utf-8")
    assert 'href="/zh/documents/jd-policy/"' in policy and "政策解读" in policy
    assert 'href="/zh/documents/policy/"' in reading and "所解读文件" in reading
    assert 'href="/bo/documents/jd-policy/"' in (site / "bo/documents/policy/index.html").read_text(encoding="utf-8")
