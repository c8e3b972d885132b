# The two commands of the README. Each sets up what it needs first (scripts/setup.sh is idempotent).
.PHONY: build test check serve lint

build:
	scripts/setup.sh
	.venv/bin/gazette build

test:
	scripts/setup.sh --tests
	.venv/bin/ruff check plugins tests bench scripts
	.venv/bin/pytest -q

check:
	.venv/bin/gazette check

serve:
	.venv/bin/gazette serve
