"""The dashboard's files: shipped in the package, self-contained, and accessible by markup."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from feedback_core.web import STATIC_DIR

SVG_NAMESPACE = "http://www.w3.org/2000/svg"


class Tags(HTMLParser):
    """Collects every start tag with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def parsed() -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed((STATIC_DIR / "index.html").read_text())
    return parser.tags


def test_the_package_holds_the_page_its_style_and_its_script() -> None:
    """index.html, app.css and app.js are package data beside feedback_core.web."""
    assert {"index.html", "app.css", "app.js"} <= {p.name for p in STATIC_DIR.iterdir()}


def test_nothing_is_fetched_from_another_origin() -> None:
    """No file names an absolute URL (no CDN, no web font): the page works offline."""
    for path in STATIC_DIR.iterdir():
        text = path.read_text().replace(SVG_NAMESPACE, "")
        assert [] == re.findall(r"(?:https?:)?//[\w.-]+\.\w+/", text), path.name


def test_every_form_control_has_a_label() -> None:
    """Each input, select and textarea has a <label for> naming its id."""
    tags = parsed()
    labelled = {a.get("for") for t, a in tags if t == "label"}
    controls = [a.get("id") for t, a in tags if t in ("input", "select", "textarea")]
    assert controls
    assert [] == [c for c in controls if c not in labelled]


def test_every_field_error_is_announced_with_its_field() -> None:
    """Each field's error element is named by the field's aria-describedby."""
    tags = parsed()
    errors = {a["id"] for t, a in tags if a.get("class") == "field-error" and a.get("id")}
    described = {a.get("aria-describedby") for t, a in tags if t in ("input", "select", "textarea")}
    assert errors
    assert errors <= described


def test_the_page_declares_language_and_phone_viewport() -> None:
    """The page has a language and a device-width viewport (usable on a phone)."""
    tags = parsed()
    assert ("html", {"lang": "en"}) in tags
    viewports = [a.get("content") for t, a in tags if t == "meta" and a.get("name") == "viewport"]
    assert ["width=device-width, initial-scale=1"] == viewports


def colours() -> dict[str, str]:
    """The stylesheet's colour variables: name -> ``#rrggbb``."""
    css = (STATIC_DIR / "app.css").read_text()
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})\s*;", css))


def contrast(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two ``#rrggbb`` colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_text_colours_meet_wcag_aa_contrast() -> None:
    """Every text colour on the background it is used on has at least 4.5:1 contrast."""
    palette = {**colours(), "white": "#ffffff"}
    pairs = [
        ("text", "bg"), ("text", "card"), ("muted", "card"), ("muted", "bg"),
        ("error", "card"), ("error", "error-bg"), ("ok", "card"), ("accent", "card"),
        ("white", "accent"), ("white", "positive"), ("white", "neutral"),
        ("white", "negative"), ("white", "mixed"),
    ]  # fmt: skip
    low = {pair: round(contrast(palette[pair[0]], palette[pair[1]]), 2) for pair in pairs}
    assert {} == {pair: ratio for pair, ratio in low.items() if ratio < 4.5}
