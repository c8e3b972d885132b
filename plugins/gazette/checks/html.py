"""Raw HTML in Markdown.

What could run in a reader's browser or send a reader's input somewhere is refused outright (an
error the editor sees), though the renderer's sanitiser (nh3, in `render.py`) would also remove it:
scripts, event handlers (onclick=…), `javascript:` URLs, frames and embedded objects, forms. Any
other tag the sanitiser does not allow is a warning, because it will silently disappear.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Iterator

from ..findings import Finding, error, warning
from ..model import Corpus
from ..render import ALLOWED_TAGS
from .common import LineIndex, all_markdown_sources
from .rules import CheckContext, rule

CODE = re.compile(r"```.*?(?:```|\Z)|~~~.*?(?:~~~|\Z)|`[^`\n]*`|<!--.*?-->", re.DOTALL)
# A tag ends at its ">"; an unquoted "<" starts the next one (so a line of "<a <a <a" is read once, not
# again from every "<": that took a check seconds a line).
TAG = re.compile(r"<\s*/?\s*([A-Za-z][A-Za-z0-9-]*)((?:[^<>\"']|\"[^\"]*\"|'[^']*')*+)>")
EVENT_HANDLER = re.compile(r"(?:^|[\s\"'/])on[a-z]+\s*=", re.IGNORECASE)
SCRIPT_URL = re.compile(
    r"(?:(?:href|src|action|formaction|data|xlink:href|background|poster)\s*=\s*[\"']?\s*"
    r"|\]\(\s*<?\s*|^\s{0,3}\[[^\]\n]+\]:\s*<?\s*|<\s*)(?:javascript|vbscript|livescript|data\s*:\s*text/html)\s*:?",
    re.IGNORECASE | re.MULTILINE)
REFUSED = {
    "script": ("HTML-SCRIPT", "脚本 <script>", "a <script>"),
    "iframe": ("HTML-EMBED", "内嵌框架 <iframe>", "an <iframe>"),
    "frame": ("HTML-EMBED", "框架 <frame>", "a <frame>"),
    "frameset": ("HTML-EMBED", "框架 <frameset>", "a <frameset>"),
    "object": ("HTML-EMBED", "嵌入对象 <object>", "an <object>"),
    "embed": ("HTML-EMBED", "嵌入对象 <embed>", "an <embed>"),
    "applet": ("HTML-EMBED", "嵌入对象 <applet>", "an <applet>"),
    "form": ("HTML-FORM", "表单 <form>", "a <form>"),
    "input": ("HTML-FORM", "表单输入框 <input>", "an <input>"),
    "button": ("HTML-FORM", "表单按钮 <button>", "a <button>"),
    "textarea": ("HTML-FORM", "表单输入框 <textarea>", "a <textarea>"),
    "select": ("HTML-FORM", "表单选择框 <select>", "a <select>"),
}
# An image from another site: `![](https://…)`, `![](//…)`, `<img src="https://…">`.
EXTERNAL_IMAGE = re.compile(r"!\[[^\[\]\n]*\]\(\s*<?\s*(?:[a-z][a-z0-9+.-]*:)?//"
                            r"|<\s*img\b[^<>]*?\bsrc\s*=\s*[\"']?\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
# Control characters and whitespace browsers ignore inside a URL scheme (java\tscript:).
_SCHEME_NOISE = re.compile(r"[\x00-\x20]+")  # within one line


def _mask_code(text: str) -> str:
    if "`" not in text and "~~~" not in text and "<!--" not in text:
        return text
    return CODE.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)


@rule
def raw_html(corpus: Corpus, context: CheckContext) -> Iterator[Finding]:
    """HTML-SCRIPT, HTML-EVENT, HTML-JS-URL, HTML-EMBED, HTML-FORM, HTML-EXTERNAL-IMAGE (errors);
    HTML-STRIPPED (warning)."""
    for source in all_markdown_sources(corpus):
        body = source.body
        if "<" not in body and "script" not in body.lower() and "//" not in body:
            continue
        masked = _mask_code(body)

        stripped: dict[str, int] = {}
        lines = LineIndex(masked, source.body_line)
        for m in TAG.finditer(masked):
            name = m[1].lower()
            line = lines.line(m.start())
            if name in REFUSED:
                code, zh, en = REFUSED[name]
                yield error(code, source.path, line, "body",
                            f"正文含有{zh}，不允许", f"the text contains {en}, which is not allowed",
                            "删去这段 HTML；需要的内容用 Markdown 写，表格用 Markdown 表格，文件作为附件",
                            "remove the HTML; write the content in Markdown, and attach files as attachments")
            elif EVENT_HANDLER.search(html_lib.unescape(m[2])):
                yield error("HTML-EVENT", source.path, line, "body",
                            f"HTML 标签 <{name}> 带有事件处理属性（on…=），不允许",
                            f"the tag <{name}> carries an event handler (on…=), which is not allowed",
                            "删去 on… 属性", "remove the on… attribute")
            elif name not in ALLOWED_TAGS and name not in stripped:
                stripped[name] = line
        for name, line in stripped.items():
            yield warning("HTML-STRIPPED", source.path, line, "body",
                          f"HTML 标签 <{name}> 不被支持，发布时会被去掉", f"the tag <{name}> is not "
                                                            "supported and is "
                          "removed on publication", "改用 Markdown 写法（标题 ##、加粗 **、列表 -、表格 |）",
                          "use Markdown instead (## headings, **bold**, - lists, | tables)")
        for m in EXTERNAL_IMAGE.finditer(masked):
            yield error("HTML-EXTERNAL-IMAGE", source.path, lines.line(m.start()), "body",
                        "正文引用了外站图片：网站不显示外站文件，PDF 也不收；读者打开页面时还会向该网站暴露",
                        "the text shows an image from another site: the site shows none (its Content-Security-"
                        "Policy), the PDFs leave it out, and a reader's browser would tell that site who reads",
                        "把图片保存到 images/ 下，用 ![说明]({static}/images/…) 引用",
                        "save the image under images/ and show it with ![caption]({static}/images/…)")
        for offset, line in enumerate(masked.split("\n")):
            if ":" not in line:
                continue
            plain = _SCHEME_NOISE.sub("", html_lib.unescape(line)) if ("&" in line or "\t" in line) else line
            if SCRIPT_URL.search(plain):
                yield error("HTML-JS-URL", source.path, source.body_line + offset, "body",
                            "链接使用了 javascript: 等脚本地址，不允许", "a link uses a javascript: (script)"
                                                           " URL, "
                            "which is not allowed", "链接只用 https:、mailto:、tel: 或站内 "
                                                    "{filename}/{static} 地址",
                            "links use https:, mailto:, tel: or the site's own {filename}/{static} paths "
                            "only")
