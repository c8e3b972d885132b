"""The words of the annual report's tables (国办公开办函〔2021〕30号, the format of 2021), in Chinese as the
template writes them and in Tibetan for the Tibetan edition.

The Tibetan labels are the project's own, like the registries' `bo_reviewed: false` entries: they await
the prefecture's translators, and every output that shows one marks it (`reviewed` False).
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import APPLICANTS, OUTCOME_REASONS


@dataclass(frozen=True)
class Label:
    id: str
    zh: str
    bo: str
    reviewed: bool = False  # the Tibetan label has been confirmed by the translators

    def text(self, lang: str) -> str:
        return self.bo if lang == "bo" else self.zh


# The report's six parts.
PARTS = (
    Label("overview", "一、总体情况", "དང་པོ། སྤྱིའི་གནས་ཚུལ།"),
    Label("proactive", "二、主动公开政府信息情况", "གཉིས་པ། སྲིད་གཞུང་གི་ཆ་འཕྲིན་རང་འགུལ་གྱིས་གསལ་བསྒྲགས་བྱས་པའི་གནས་ཚུལ།"),
    Label("requests", "三、收到和处理政府信息公开申请情况",
          "གསུམ་པ། སྲིད་གཞུང་ཆ་འཕྲིན་གསལ་བསྒྲགས་ཀྱི་རེ་ཞུ་ལེན་པ་དང་ཐག་གཅོད་བྱས་པའི་གནས་ཚུལ།"),
    Label("appeals", "四、政府信息公开行政复议、行政诉讼情况",
          "བཞི་པ། སྲིད་གཞུང་ཆ་འཕྲིན་གསལ་བསྒྲགས་ཀྱི་སྲིད་འཛིན་བསྐྱར་ཞིབ་དང་སྲིད་འཛིན་ཞུ་གཏུག་གི་གནས་ཚུལ།"),
    Label("problems", "五、存在的主要问题及改进情况", "ལྔ་པ། ཡོད་པའི་གནད་དོན་གཙོ་བོ་དང་ལེགས་བཅོས་གནས་ཚུལ།"),
    Label("other", "六、其他需要报告的事项", "དྲུག་པ། སྙན་ཞུ་བྱ་དགོས་པའི་དོན་དག་གཞན།"),
)

# Table 二: the items of Art. 20 the template asks for.
ITEM_1 = Label("art20-1", "第二十条第（一）项", "དུམ་ཚན་ཉི་ཤུ་པའི་ཚན་པ།（༡）")
ITEM_5 = Label("art20-5", "第二十条第（五）项", "དུམ་ཚན་ཉི་ཤུ་པའི་ཚན་པ།（༥）")
ITEM_6 = Label("art20-6", "第二十条第（六）项", "དུམ་ཚན་ཉི་ཤུ་པའི་ཚན་པ།（༦）")
ITEM_8 = Label("art20-8", "第二十条第（八）项", "དུམ་ཚན་ཉི་ཤུ་པའི་ཚན་པ།（༨）")
RULE_COLUMNS = (
    Label("made", "本年制发件数", "ལོ་འདིར་བཟོས་པ།"),
    Label("repealed", "本年废止件数", "ལོ་འདིར་མེད་པར་བཟོས་པ།"),
    Label("in_force", "现行有效件数", "ད་ལྟ་ནུས་ལྡན།"),
)
RULE_ROWS = (
    Label("regulations", "规章", "སྒྲིག་སྲོལ།"),
    Label("normative", "行政规范性文件", "སྲིད་འཛིན་ཚད་ལྡན་ཡིག་ཆ།"),
)
DECISIONS = Label("decisions", "本年处理决定数量", "ལོ་འདིའི་ཐག་གཅོད་གྲངས་ཀ།")
FEE_AMOUNT = Label("amount", "本年收费金额（单位：万元）", "ལོ་འདིའི་འཇལ་བསྡུའི་དངུལ་འབོར།（ཁྲི་སྒོར།）")
FIGURE_ROWS = {
    "licensing": Label("licensing", "行政许可", "སྲིད་འཛིན་ཆོག་མཆན།"),
    "penalties": Label("penalties", "行政处罚", "སྲིད་འཛིན་ཆད་པ།"),
    "enforcement": Label("enforcement", "行政强制", "སྲིད་འཛིན་བཙན་ཤེད་ལག་བསྟར།"),
    "fees": Label("fees", "行政事业性收费", "སྲིད་འཛིན་ལས་དོན་རང་བཞིན་གྱི་འཇལ་བསྡུ།"),
}

# Table 三: the applicant columns (自然人 | 法人或其他组织: five kinds | 总计), then the rows.
STUB_3 = Label("stub", "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
               "（ཐིག་ཕྲེང་འདིའི་འབྲེལ་བ། དང་པོ་དང་གཉིས་པ་བསྡོམས་པ་ནི་གསུམ་པ་དང་བཞི་པ་བསྡོམས་པ་དང་མཚུངས།）")
APPLICANT_COLUMNS = (
    Label("natural", "自然人", "རང་བྱུང་མི།"),
    Label("business", "法人或其他组织：商业企业", "ཁྲིམས་ལྡན་མི་སྣའམ་ཚོགས་པ། ཚོང་ལས་ཁེ་ལས།"),
    Label("research", "法人或其他组织：科研机构", "ཁྲིམས་ལྡན་མི་སྣའམ་ཚོགས་པ། ཚན་རིག་ཞིབ་འཇུག་ལས་ཁུངས།"),
    Label("public-interest", "法人或其他组织：社会公益组织", "ཁྲིམས་ལྡན་མི་སྣའམ་ཚོགས་པ། སྤྱི་ཚོགས་སྤྱི་ཕན་ཚོགས་པ།"),
    Label("legal-services", "法人或其他组织：法律服务机构", "ཁྲིམས་ལྡན་མི་སྣའམ་ཚོགས་པ། ཁྲིམས་ལུགས་ཞབས་ཞུའི་ལས་ཁུངས།"),
    Label("other", "法人或其他组织：其他", "ཁྲིམས་ལྡན་མི་སྣའམ་ཚོགས་པ། གཞན།"),
)
TOTAL = Label("total", "总计", "བསྡོམས་འབོར།")
# The register's `applicant` value → its column.
APPLICANT_COLUMN = dict(zip(APPLICANTS, (c.id for c in APPLICANT_COLUMNS), strict=True))

# The outcome families: the register's `outcome` → the rows' id prefix and heading.
OUTCOME_ROWS = {
    "予以公开": Label("disclosed", "（一）予以公开", "（༡）གསལ་བསྒྲགས་བྱས་པ།"),
    "部分公开": Label("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
                  "（༢）ཆ་ཤས་གསལ་བསྒྲགས་བྱས་པ།（ཁ་གྱེས་ཐག་གཅོད་བྱས་ན་འདི་ཁོ་ནར་རྩིས།）"),
    "不予公开": Label("withheld", "（三）不予公开", "（༣）གསལ་བསྒྲགས་མ་བྱས་པ།"),
    "无法提供": Label("unavailable", "（四）无法提供", "（༤）མཁོ་སྤྲོད་བྱེད་ཐབས་མེད་པ།"),
    "不予处理": Label("not-processed", "（五）不予处理", "（༥）ཐག་གཅོད་མ་བྱས་པ།"),
    "其他处理": Label("other-handling", "（六）其他处理", "（༦）ཐག་གཅོད་གཞན།"),
}
REASON_BO = {
    "属于国家秘密": "རྒྱལ་ཁབ་ཀྱི་གསང་བ་ཡིན་པ།",
    "其他法律行政法规禁止公开": "ཁྲིམས་ལུགས་དང་སྲིད་འཛིན་ཁྲིམས་སྲོལ་གཞན་གྱིས་གསལ་བསྒྲགས་བཀག་པ།",
    "危及“三安全一稳定”": "“བདེ་འཇགས་གསུམ་དང་བརྟན་ལྷིང་གཅིག”ལ་ཉེན་ཁ་ཡོད་པ།",
    "保护第三方合法权益": "ཕྱོགས་གསུམ་པའི་ཁྲིམས་མཐུན་ཁེ་དབང་སྲུང་བ།",
    "属于三类内部事务信息": "ནང་ཁུལ་ལས་དོན་གྱི་ཆ་འཕྲིན་རིགས་གསུམ་ཡིན་པ།",
    "属于四类过程性信息": "བྱ་རིམ་གྱི་ཆ་འཕྲིན་རིགས་བཞི་ཡིན་པ།",
    "属于行政执法案卷": "སྲིད་འཛིན་ཁྲིམས་སྤྱོད་ཀྱི་གནད་དོན་ཡིག་ཚགས་ཡིན་པ།",
    "属于行政查询事项": "སྲིད་འཛིན་འཚོལ་ཞིབ་ཀྱི་དོན་ཚན་ཡིན་པ།",
    "本机关不掌握相关政府信息": "ལས་ཁུངས་འདིར་འབྲེལ་ཡོད་སྲིད་གཞུང་ཆ་འཕྲིན་མེད་པ།",
    "没有现成信息需要另行制作": "གྲ་སྒྲིག་གི་ཆ་འཕྲིན་མེད་པས་གསར་བཟོ་བྱེད་དགོས་པ།",
    "补正后申请内容仍不明确": "ཁ་སྐོང་བྱས་རྗེས་ཀྱང་རེ་ཞུའི་ནང་དོན་གསལ་པོ་མེད་པ།",
    "信访举报投诉类申请": "ཞུ་གཏུག་དང་སྙན་སྐུལ། མི་འདོད་ཞུ་བའི་རིགས་ཀྱི་རེ་ཞུ།",
    "重复申请": "བསྐྱར་ཟློས་ཀྱི་རེ་ཞུ།",
    "要求提供公开出版物": "གསལ་བསྒྲགས་པར་སྐྲུན་དངོས་པོ་མཁོ་སྤྲོད་རེ་བ།",
    "无正当理由大量反复申请": "རྒྱུ་མཚན་འོས་འཚམ་མེད་པར་ཐེངས་མང་བསྐྱར་ཟློས་ཀྱི་རེ་ཞུ།",
    "要求行政机关确认或重新出具已获取信息": "ཐོབ་ཟིན་པའི་ཆ་འཕྲིན་ར་སྤྲོད་དམ་བསྐྱར་དུ་སྤྲོད་པར་རེ་བ།",
    "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请":
        "རེ་ཞུ་བས་རྒྱུ་མཚན་མེད་པར་དུས་ཡོལ་ཁ་སྐོང་མ་བྱས་པས་ཐག་གཅོད་མི་བྱེད་པ།",
    "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请":
        "རེ་ཞུ་བས་དུས་ཡོལ་འཇལ་བསྡུ་མ་སྤྲད་པས་ཐག་གཅོད་མི་བྱེད་པ།",
    "其他": "གཞན།",
}
TIBETAN_NUMBERS = "༠༡༢༣༤༥༦༧༨༩"


def reason_label(outcome: str, reason: str) -> Label:
    """The row of one reason: `withheld.1` 1. 属于国家秘密."""
    n = OUTCOME_REASONS[outcome].index(reason) + 1
    family = OUTCOME_ROWS[outcome]
    return Label(f"{family.id}.{n}", f"{n}. {reason}", f"{TIBETAN_NUMBERS[n]}. {REASON_BO[reason]}")


NEW = Label("new", "一、本年新收政府信息公开申请数量", "དང་པོ། ལོ་འདིར་གསར་དུ་ལེན་པའི་རེ་ཞུའི་གྲངས་ཀ།")
CARRIED = Label("carried", "二、上年结转政府信息公开申请数量", "གཉིས་པ། ལོ་སྔ་མ་ནས་བཤུལ་བའི་རེ་ཞུའི་གྲངས་ཀ།")
RESULTS = Label("results", "三、本年度办理结果", "གསུམ་པ། ལོ་འདིའི་ཐག་གཅོད་མཇུག་འབྲས།")
HANDLED = Label("handled", "（七）总计", "（༧）བསྡོམས་འབོར།")
FORWARD = Label("forward", "四、结转下年度继续办理", "བཞི་པ། ལོ་རྗེས་མར་བཤུལ་ནས་མུ་མཐུད་ཐག་གཅོད་བྱེད་པ།")

# Table 四: the template's one row of fifteen cells, set as three rows of five.
APPEAL_ROWS = {
    "行政复议": Label("reconsideration", "行政复议", "སྲིད་འཛིན་བསྐྱར་ཞིབ།"),
    "行政诉讼": Label("litigation", "行政诉讼：未经复议直接起诉",
                  "སྲིད་འཛིན་ཞུ་གཏུག བསྐྱར་ཞིབ་མ་བྱས་པར་ཐད་ཀར་ཞུ་གཏུག"),
    "复议后起诉": Label("litigation-after", "行政诉讼：复议后起诉", "སྲིད་འཛིན་ཞུ་གཏུག བསྐྱར་ཞིབ་བྱས་རྗེས་ཞུ་གཏུག"),
}
APPEAL_STUB = Label("stub", "类别", "རིགས།")
APPEAL_COLUMNS = {
    "维持": Label("upheld", "结果维持", "མཇུག་འབྲས་སྔར་བཞིན་སྲུང་བ།"),
    "纠正": Label("corrected", "结果纠正", "མཇུག་འབྲས་ནོར་འཁྲུལ་བཅོས་པ།"),
    "其他": Label("other", "其他结果", "མཇུག་འབྲས་གཞན།"),
    "尚未审结": Label("pending", "尚未审结", "ད་དུང་ཐག་མ་ཆོད་པ།"),
}

WHOLE = Label("whole", "全州", "ཁུལ་ཡོངས།")
# Said under a Tibetan table whose labels await review (beside each: *).
UNREVIEWED_NOTE = "\\* བོད་ཡིག་གི་མིང་འདི་ད་དུང་ལོ་ཙཱ་བས་ཞིབ་བཤེར་བྱས་མེད།"
