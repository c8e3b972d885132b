"""Site settings. Paths are relative to this file. Prefecture constants live here, not in code."""

SITEURL = ""  # root-relative links for preview; publishconf.py sets the public address
# The public address. A preview (SITEURL empty) links its pages root-relative, so it browses anywhere, but
# names this address where only an absolute URL will do: the sitemap, the feeds, the canonical link and
# the hreflang alternates, which say where the public pages are, never a preview's localhost.
GAZETTE_PUBLIC_URL = "https://gazette.example.gov.cn"
TIMEZONE = "Asia/Shanghai"

PATH = "content"  # `gazette build --content` overrides it; the output is `--output` (default build/)
THEME = "themes/gazette"
PLUGINS = ["gazette.pelican_plugin"]

# Pelican's own article and page generators read nothing: every page comes from the gazette content
# model (plugins/gazette), which applies the disclosure rules before anything is written.
ARTICLE_PATHS: list[str] = []
PAGE_PATHS: list[str] = []
STATIC_PATHS: list[str] = []
DIRECT_TEMPLATES: list[str] = []
# Pelican's own feeds: none (the gazette writes its own per language); set, they would be written, and
# without SITEURL Pelican warns about them.
FEED_ALL_ATOM = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
# The pinned fonts (large TTF/OTF files) are for the PDFs, not for the web root; the site's web font is cut
# from the Tibetan one by each build (gazette/webfont.py), so no WOFF2 of the theme's folder is copied either.
IGNORE_FILES = [".#*", "*.ttf", "*.otf", "*.woff2", "glyphs-*.json"]
# No reStructuredText here; disabling its reader also keeps docutils from warning about the zh locale.
READERS = {"rst": None}
JINJA_ENVIRONMENT = {"extensions": ["jinja2.ext.i18n", "jinja2.ext.do"], "trim_blocks": True, "lstrip_blocks": True,
                     "autoescape": True}

# --- The gazette -------------------------------------------------------------------------------------
GAZETTE_LANGS = ["zh", "bo"]
GAZETTE_NAME = {
    "zh": "甘孜藏族自治州人民政府公报",
    "bo": "དཀར་མཛེས་བོད་རིགས་རང་སྐྱོང་ཁུལ་མི་དམངས་སྲིད་གཞུང་གི་གསལ་བསྒྲགས།",
}
GAZETTE_SITE_NAME = {
    "zh": "甘孜藏族自治州人民政府公报与政府信息公开",
    "bo": "དཀར་མཛེས་ཁུལ་སྲིད་གཞུང་གི་གསལ་བསྒྲགས་དང་སྲིད་གཞུང་ཆ་འཕྲིན་ཁྱབ་བསྒྲགས།",
}
# The content is a sample for demonstration: every page says so while this is True.
GAZETTE_SAMPLE = True
# 刊物信息 (masthead), printed in each issue and shown on the site.
GAZETTE_MASTHEAD = {
    "supervisor": {"zh": "甘孜藏族自治州人民政府", "bo": "དཀར་མཛེས་བོད་རིགས་རང་སྐྱོང་ཁུལ་མི་དམངས་སྲིད་གཞུང་།"},
    "sponsor": {"zh": "甘孜藏族自治州人民政府办公室", "bo": "དཀར་མཛེས་ཁུལ་མི་དམངས་སྲིད་གཞུང་གི་ལས་ཁང་།"},
    "editor": {"zh": "甘孜藏族自治州人民政府研究室", "bo": "དཀར་མཛེས་ཁུལ་མི་དམངས་སྲིད་གཞུང་གི་ཞིབ་འཇུག་ཁང་།"},
    "address": {"zh": "四川省甘孜藏族自治州康定市光明路（示例地址）", "bo": "སི་ཁྲོན་ཞིང་ཆེན་དཀར་མཛེས་ཁུལ་དར་རྩེ་མདོ་གྲོང་ཁྱེར། （དཔེ་མཚོན་ཁ་བྱང་།）"},
    "telephone": "0836-2822000",
    "postcode": "626000",
    "free": {"zh": "免费赠阅", "bo": "རིན་མེད་འབུལ་བ།"},
}
# Where applications for disclosure (依申请公开) are handed in or posted: shown on the request page, the
# application form's page and its printed PDFs. Sample values, as the request page's text gives them.
GAZETTE_REQUEST_OFFICE = {
    "name": {"zh": "甘孜藏族自治州人民政府办公室政府信息公开受理窗口",
             "bo": "དཀར་མཛེས་བོད་རིགས་རང་སྐྱོང་ཁུལ་མི་དམངས་སྲིད་གཞུང་གི་གཞུང་ལས་ཁང་གི་སྲིད་གཞུང་ཆ་འཕྲིན་གསལ་བསྒྲགས་ལེན་མཁན་སྒེའུ་ཁུང་།"},
    "address": {"zh": "四川省甘孜藏族自治州康定市炉城街道（州人民政府大院）",
                "bo": "སི་ཁྲོན་ཞིང་ཆེན་དཀར་མཛེས་བོད་རིགས་རང་སྐྱོང་ཁུལ་དར་རྩེ་མདོ་གྲོང་ཁྱེར་ལུའུ་ཁྲེང་ཁྲོམ་གཞུང་།"},
    "postcode": "626000",
    "hours": {"zh": "工作日上午9时至12时，下午2时30分至6时（国家法定节假日除外）",
              "bo": "ལས་ཉིན་གྱི་སྔ་དྲོའི་ཆུ་ཚོད་ ༩ ནས་ ༡༢ བར་དང་། ཕྱི་དྲོའི་ཆུ་ཚོད་ ༢ དང་ཕྱེད་ནས་ ༦ བར། རྒྱལ་ཁབ་ཀྱི་ཁྲིམས་ལྡན་དུས་ཆེན་མ་གཏོགས།"},
    "telephone": "0836-2822114",
}
# The identifiers a Chinese government website shows in its footer: who runs it (主办, 承办), its 网站标识码
# and its registrations (ICP备案号, 公安机关备案号). Sample values: the prefecture's own replace them.
GAZETTE_SITE_IDS = {
    "host": {"zh": "甘孜藏族自治州人民政府办公室", "bo": "དཀར་མཛེས་ཁུལ་མི་དམངས་སྲིད་གཞུང་གི་ལས་ཁང་།"},
    "operator": {"zh": "甘孜藏族自治州人民政府研究室", "bo": "དཀར་མཛེས་ཁུལ་མི་དམངས་སྲིད་གཞུང་གི་ཞིབ་འཇུག་ཁང་།"},
    "site_code": "5133000000",
    "icp": "蜀ICP备00000000号",
    "police": "川公网安备51330000000000号",
}
# Numbers in Tibetan text (dates, issue numbers, counts, page numbers) in Tibetan digits (༡༢༣) rather than
# Arabic ones: on the site, in the PDFs and in the search index alike (plugins/gazette/labels.py).
GAZETTE_TIBETAN_DIGITS = True
GAZETTE_FEED_LIMIT = 50
# Processes that render PDFs at once; unset: one per core.
# GAZETTE_PDF_WORKERS = 2
# Processes that share a build's Markdown rendering and page drawing when it has much of it (200 bodies or
# pages or more: a first build, a new theme or code); unset: one per core; 1 to 64.
# GAZETTE_BUILD_WORKERS = 2

# --- Search (plugins/gazette/search, docs/search.md) -------------------------------------------------
# Processes writing a full rebuild of the search index; None: one per core (at most 4).
GAZETTE_SEARCH_PROCESSES = None
# Queries on the search index's own matchers (True), or on Whoosh's stock ones only (False: the same
# results, slower; for a Whoosh whose internals have changed, see docs/search.md).
GAZETTE_SEARCH_FAST_PATH = True
# The search engine: "whoosh" (embedded, for one prefecture's site) or "tantivy" (for large corpora).
GAZETTE_SEARCH_ENGINE = "whoosh"
