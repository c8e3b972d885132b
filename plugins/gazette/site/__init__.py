"""The static site in both languages, written through Pelican from the Publication."""
