"""What a visitor shares in a messaging-app group: a short text and a QR code."""

import segno
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def qr_svg(url: str, *, label: str) -> SafeString:
    """The address as a QR code, an inline SVG image named ``label`` (nothing loaded)."""
    code = segno.make(url, error="m", micro=False)
    svg = code.svg_inline(scale=4, dark="#000", light="#fff", svgclass="qr", lineclass=None)
    # One name for screen readers, on the element they announce.
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1))  # noqa: S308 (segno's SVG plus an escaped label)
