"""Settings for the public site: everything of pelicanconf.py, with the public address."""

import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))
from pelicanconf import *  # noqa: F403

SITEURL = os.environ.get("GAZETTE_SITEURL", GAZETTE_PUBLIC_URL)  # noqa: F405

# The seal on the PDFs (`gazette seal`, docs/authenticity.md): a PKCS#12 file kept outside the repository
# and the web root, its password in the environment variable named here, never in this file.
# GAZETTE_SEAL = {"pkcs12": "/etc/gazette/seal.p12", "password_env": "GAZETTE_SEAL_PASSWORD",
#                 "chain": ["/etc/gazette/ca-chain.pem"], "timestamp_url": "http://tsa.example.cn/"}
