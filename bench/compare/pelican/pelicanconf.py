"""The vanilla-Pelican side of bench/compare.py: Pelican's own translation pairing (`lang`, one `slug` per
document), one page per document and language, one list per language, the Atom feeds, a minimal theme.
The content cache is on (Pelican's own speed-up for rebuilds); bench/compare.py gives CACHE_PATH."""

import os

THEME = os.path.dirname(os.path.abspath(__file__))  # templates/ holds the theme
SITENAME = "Gazette"
SITEURL = ""
FEED_DOMAIN = "http://localhost"
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "zh"
ARTICLE_PATHS = ["documents"]
PAGE_PATHS = ["pages"]
STATIC_PATHS: list[str] = []

ARTICLE_URL = "zh/documents/{slug}/"
ARTICLE_SAVE_AS = "zh/documents/{slug}/index.html"
ARTICLE_LANG_URL = "{lang}/documents/{slug}/"
ARTICLE_LANG_SAVE_AS = "{lang}/documents/{slug}/index.html"
PAGE_URL = "zh/{slug}/"
PAGE_SAVE_AS = "zh/{slug}/index.html"
PAGE_LANG_URL = "{lang}/{slug}/"
PAGE_LANG_SAVE_AS = "{lang}/{slug}/index.html"

DIRECT_TEMPLATES = ["index", "bo_index"]
INDEX_SAVE_AS = "zh/documents/index.html"
BO_INDEX_SAVE_AS = "bo/documents/index.html"
DEFAULT_PAGINATION = False
CATEGORY_SAVE_AS = ""
TAG_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
CATEGORY_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
