"""The printed gazette: one PDF per issue and edition (zh, bo), its PDF/A-3b archive copy, and one PDF per
public document and language, rendered by WeasyPrint from the print templates in themes/gazette/pdf/.

- `furniture.py`: the words printed around the text (masthead labels, running heads); dates, issue numbers
  and digits come from `labels.py`, as on the site.
- `html.py`: the Publication → one HTML string per PDF (plain data, so it crosses process boundaries).
- `render.py`: HTML → PDF bytes, with only the pinned fonts visible and no network access.
- `cache.py`: rendered PDFs kept under a key of everything that shapes them.
- `build.py`: the build stage `write_pdfs`.
- `readback.py`: reading PDFs back (pages, text, fonts), for the tests and the benchmark.
"""
