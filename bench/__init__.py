"""Benchmarks of the till. Run ``.venv/bin/python bench/engine.py`` (``make bench``)."""
