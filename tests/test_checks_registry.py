"""References to the registries, and the registry entries themselves."""

from __future__ import annotations

from factory import ContentFactory
from gazette.findings import Finding


def by_code(content: ContentFactory, prefix: str) -> list[Finding]:
    return [f for f in content.findings() if f.code.startswith(prefix)]


def test_unknown_issuer_genre_catalogue(content: ContentFactory) -> None:
    content.document("bad-refs", issuer=["prefecture-government", "forestri"], genre="notise",
                     catalogue="rules.normativ")
    content.document("good-refs", issuer=["forestry"], genre="opinion", catalogue="rules.normative",
                     index_no="S00000011/2026-00001")
    found = {(f.code, f.field) for f in by_code(content, "REF-")}
    assert found == {("REF-ISSUER", "issuer"), ("REF-GENRE", "genre"), ("REF-CATALOGUE", "catalogue")}
    issuer = next(f for f in by_code(content, "REF-ISSUER"))
    assert "forestry" in issuer.fix_zh  # the near match is suggested
    assert issuer.line == 6  # the line of `issuer:` (the factory writes the list on one line)


def test_catalogue_class_not_a_leaf(content: ContentFactory) -> None:
    content.document("branch", catalogue="rules")
    content.document("leaf", catalogue="rules.other")
    found = by_code(content, "REF-CATALOGUE-LEAF")
    assert [f.path for f in found] == ["documents/2026/branch.zh.md"]
    assert "rules.normative" in found[0].fix_zh


def test_unknown_section(content: ContentFactory) -> None:
    content.document("in-issue")
    content.translation("in-issue", title="བརྡ་ཐོ།")
    content.issue(2026, 3, sections=[{"section": "prefecture-document", "items": ["in-issue"]}])
    content.issue(2026, 4, total=4, sections=[{"section": "governor-speech", "items": []}], status="draft")
    found = by_code(content, "REF-SECTION")
    assert [f.path for f in found] == ["gazette/2026/2026-03.yml"]


def _registry(content: ContentFactory, name: str, text: str) -> None:
    content.write(f"registry/{name}.yml", text)


def test_registry_duplicate_id_missing_bo_and_id_format(content: ContentFactory) -> None:
    _registry(content, "genres", "- {id: notice, zh: 通知, bo: བརྡ་ཐོ།}\n- {id: notice, zh: 通告, bo: ཁྱབ་བསྒྲགས།}\n"
              "- {id: Speech, zh: 讲话}\n")
    found = {(f.code, f.line, f.level.value) for f in by_code(content, "REG-")}
    assert found == {("REG-DUPLICATE-ID", 2, "error"), ("REG-ID-FORMAT", 3, "error"),
                     ("REG-BO-MISSING", 3, "warning")}


def test_registry_catalogue_children_checked(content: ContentFactory) -> None:
    _registry(content, "catalogue", "- id: rules\n  zh: 规范\n  bo: སྒྲིག\n  children:\n"
              "    - {id: rules.other, zh: 其他, bo: གཞན།}\n    - {id: rules.other, zh: 其他二}\n")
    found = {(f.code, f.line) for f in by_code(content, "REG-")}
    assert found == {("REG-DUPLICATE-ID", 6), ("REG-BO-MISSING", 6)}


def test_registry_org_code_and_code_prefix(content: ContentFactory) -> None:
    _registry(content, "agencies",
              "- {id: prefecture-government, zh: 州政府, bo: སྲིད་གཞུང་།, org_code: S00000001, code_prefix: 甘府}\n"
              "- {id: short-code, zh: 甲局, bo: ཅུས།, org_code: S0001}\n"
              "- {id: same-code, zh: 乙局, bo: ཅུས།, org_code: S00000001}\n"
              "- {id: bad-prefix, zh: 丙局, bo: ཅུས།, org_code: S00000009, code_prefix: '甘[2026]'}\n"
              "- {id: no-prefix, zh: 丁局, bo: ཅུས།, org_code: S00000008, code_prefix: ''}\n")  # turns no rule off
    found = {(f.code, f.line) for f in by_code(content, "REG-")}
    assert found == {("REG-ORG-CODE", 2), ("REG-ORG-CODE", 3), ("REG-CODE-PREFIX", 4), ("REG-CODE-PREFIX", 5)}


def test_project_registries_have_no_errors(content: ContentFactory) -> None:
    assert [f for f in by_code(content, "REG-") if f.is_error] == []
