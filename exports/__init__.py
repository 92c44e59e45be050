"""Renderers: the deliverable's markdown and the TOML submission templates.

They read the store only through its API and return strings; writing files is the caller's.
"""
