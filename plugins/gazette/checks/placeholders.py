"""Placeholders left in a text: `【待填…】` marks what an editor still has to write (the annual report's
skeleton, `gazette report annual --format doc`, leaves one for each text part). A file holding one is not
finished, so it is an error, drafts included."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..findings import Finding, error
from ..model import Corpus
from .common import all_texts
from .rules import CheckContext, rule

PLACEHOLDER = "【待填"
PLACEHOLDER_TEXT = re.compile(r"【待填[^】\n]*】?")


@rule
def placeholders(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """DOC-PLACEHOLDER: no 【待填…】 left in a title, summary, keyword or body."""
    for text in all_texts(corpus, context):
        if PLACEHOLDER not in text.text:
            continue
        for match in PLACEHOLDER_TEXT.finditer(text.text):
            shown = match.group()[:40]
            yield error("DOC-PLACEHOLDER", text.path, text.line_at(match.start()), text.field,
                        f"还有待填写的内容：{shown}", f"a placeholder is still there: {shown}",
                        "写出这部分内容，删去【待填…】标记", "write this part and remove the 【待填…】 mark")
