"""Renderers: the deliverable's chapter (built once by ``chapter.py``, written as markdown or
as a Word document) and the TOML submission templates.

They read the store only through its API and return text (a Word document: its bytes);
writing files is the caller's.
"""
