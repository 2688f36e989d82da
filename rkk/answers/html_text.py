"""Teams message HTML to clean, readable text: mentions as @Name, links as "text (url)", emoji as themselves."""

from __future__ import annotations

import logging
import re
from html.parser import HTMLParser

logger = logging.getLogger(__name__)

_BLOCKS = frozenset(
    {"p", "div", "br", "li", "tr", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "hr"}
)
_SKIPPED = frozenset({"script", "style", "attachment", "systemeventmessage", "head", "title"})
_EMOJI_IMAGE = "http://schema.skype.com/Emoji"
_LINK_SCHEMES = ("http://", "https://", "mailto:", "tel:")


class _TextCollector(HTMLParser):
    """Walks the HTML and writes the readable text into `parts`."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0
        self._links: list[tuple[str | None, int]] = []  # (href, index in parts where the link text starts)
        self._mention_start: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in _SKIPPED:
            self._skip += 1
            return
        if self._skip:
            return
        if tag in _BLOCKS:
            self.parts.append("\n")
        if tag == "li":
            self.parts.append("- ")
        elif tag == "td" or tag == "th":
            self.parts.append(" ")
        elif tag == "a":
            self._links.append((attributes.get("href"), len(self.parts)))
        elif tag == "at":
            self._mention_start.append(len(self.parts))
        elif tag == "emoji" or (tag == "img" and attributes.get("itemtype") == _EMOJI_IMAGE):
            self.parts.append(attributes.get("alt") or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            return  # a self-closed <attachment/> or <systemEventMessage/> has nothing to skip
        self.handle_starttag(tag, attrs)
        if tag in ("a", "at"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skip = max(0, self._skip - 1)
            return
        if self._skip:
            return
        if tag == "at" and self._mention_start:
            start = self._mention_start.pop()
            name = " ".join("".join(self.parts[start:]).split())
            del self.parts[start:]
            self.parts.append(name if name.startswith("@") else f"@{name}")
        elif tag == "a" and self._links:
            href, start = self._links.pop()
            shown = " ".join("".join(self.parts[start:]).split())
            if href and href.lower().startswith(_LINK_SCHEMES) and _plain(href) != _plain(shown):
                target = href.removeprefix("mailto:").removeprefix("tel:")
                self.parts.append(f" ({target})" if shown else target)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _plain(value: str) -> str:
    value = value.strip().lower().removeprefix("mailto:").removeprefix("tel:")
    value = re.sub(r"^https?://(www\.)?", "", value)
    return value.rstrip("/")


def html_to_text(html: str) -> str:
    """Readable text of a Teams message body: no tags, entities decoded, one line per block, no empty lines."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    text = "".join(collector.parts).replace("\xa0", " ").replace("\u200b", "")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    joined = "\n".join(lines).strip()
    return re.sub(r"\n{2,}", "\n", joined)


def body_to_text(content_type: str, content: str) -> str:
    """The readable text of a message body of content type "html" or "text"."""
    if content_type.lower() == "html":
        return html_to_text(content)
    return "\n".join(line.rstrip() for line in content.replace("\r\n", "\n").split("\n")).strip()
