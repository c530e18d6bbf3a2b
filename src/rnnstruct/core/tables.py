"""Report tables: a DataFrame as a standalone HTML page (the report shows HTML items inline, CSV only as a
download)."""

from __future__ import annotations

import html

import pandas as pd

STYLE = (
    "body{font-family:sans-serif;font-size:13px;margin:8px}"
    "table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}"
    "th{background:#f0f0f0}"
)


def to_html(table: pd.DataFrame, title: str) -> str:
    """``table`` as a small standalone HTML document with ``title`` as its heading (values escaped)."""
    body = table.to_html(index=False, escape=True, na_rep="", border=0)
    return (
        f"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title>"
        f"<style>{STYLE}</style></head>\n<body><h3>{html.escape(title)}</h3>\n{body}\n</body></html>\n"
    )
