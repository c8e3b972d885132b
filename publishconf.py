"""Settings for the public site: everything of pelicanconf.py, with the public address."""

import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))
from pelicanconf import *  # noqa: F403

SITEURL = os.environ.get("GAZETTE_SITEURL", GAZETTE_PUBLIC_URL)  # noqa: F405
