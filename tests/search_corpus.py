"""A small real content tree for the search tests, and its index built the way the build builds it."""

from __future__ import annotations

from pathlib import Path

from factory import ContentFactory
from gazette.loader import load_corpus
from gazette.publication import build_publication
from gazette.search.build import entries, facets, update_index
from gazette.search.index import write_facets

INFO_BODY = "各县（市）人民政府，州级各部门：为进一步做好政府信息公开工作，现将有关事项通知如下。"
INFO_BO = ("ཁུལ་སྲིད་གཞུང་གིས་ལྷ་སའི་ལས་ཀ་དང་སྲིད་གཞུང་གི་ཆ་འཕྲིན་ཁྱབ་བསྒྲགས་ཀྱི་ལས་དོན་ལེགས་པོར་སྒྲུབ་དགོས། "
           "ཡིག་ཆ་འདི་ཁྱབ་བསྒྲགས་བྱེད།")
FIRE_BODY = "康定、泸定、丹巴等县要加强巡山护林，严防森林火灾。今冬明春森林草原防火形势严峻。"
FIRE_BO = "ནགས་ཚལ་དང་རྩྭ་ཐང་གི་མེ་འགོག་བྱ་བ། རྫོང་ཁག་ལ་བརྡ་ཐོ་གཏོང་།"
NEWS_BODY = "康定市推进基层政务公开标准化规范化建设，工作组随后前往道孚。炉霍县也派员参加。"
SPEECH_BODY = "同志们：今年全州经济工作总体平稳，防火工作也取得成效。"


def build_search_corpus(root: Path) -> Path:
    """The corpus and its index; returns the output folder (with search-index/ in it)."""
    c = ContentFactory(root / "content")
    c.document("info-open", title="甘孜藏族自治州人民政府关于进一步加强政府信息公开工作的通知",
               body=INFO_BODY, doc_number="甘府发〔2026〕12号", catalogue="rules.normative",
               index_no="S00000001/2026-00012",
               signed="2026-03-02", published="2026-03-04")
    c.translation("info-open", title="དཀར་མཛེས་ཁུལ་སྲིད་གཞུང་གི་ཆ་འཕྲིན་ཁྱབ་བསྒྲགས་སྐོར་གྱི་བརྡ་ཐོ།", body=INFO_BO)
    c.document("forest-fire", title="甘孜藏族自治州林业局关于做好森林草原防火工作的通知", body=FIRE_BODY,
               issuer=["forestry"], index_no="S00000011/2025-00003", catalogue="emergencies.plans",
               signed="2025-02-10", published="2025-02-12", validity="失效",
               secrecy_review={"by": "州林业局保密审查小组", "date": "2025-02-11"})
    c.translation("forest-fire", year="2025", title="ནགས་ཚལ་དང་རྩྭ་ཐང་གི་མེ་འགོག་སྐོར་གྱི་བརྡ་ཐོ།", body=FIRE_BO)
    c.document("county-news", title="康定市推进政务公开标准化建设", body=NEWS_BODY, issuer=["kangding"],
               genre="article", catalogue="other.gazette", index_no="S00000101/2024-00001",
               signed="2024-05-06", published="2024-05-08",
               secrecy_review={"by": "康定市保密审查小组", "date": "2024-05-07"})
    c.translation("county-news", year="2024", title="དར་རྩེ་མདོ་གྲོང་ཁྱེར་གྱི་གསར་འགྱུར།",
                  body="ཁུལ་ལ་བཅར་འདྲི་བྱས། ལྷ་སར་ཕྱིན།")
    c.document("speech", title="州长在全州经济工作会议上的讲话", body=SPEECH_BODY, genre="speech",
               catalogue="plans.annual", index_no="S00000001/2023-00001", signed="2023-01-05",
               published="2023-01-09",
               secrecy_review={"by": "州政府办公室保密审查小组", "date": "2023-01-06"})
    for i in range(11):
        c.document(f"project-{i:02d}", title=f"关于第{i + 1}批重点项目的公示",
                   body="重点项目名单如下，请社会监督。", catalogue="projects.approval",
                   published=f"2026-04-{i + 10:02d}")
    corpus, _ = load_corpus(c.root)
    publication = build_publication(corpus)
    output = root / "build"
    wanted = list(entries(publication))
    update_index(output / "search-index", root / "none", wanted)
    write_facets(output / "search-index", facets(publication))
    return output
