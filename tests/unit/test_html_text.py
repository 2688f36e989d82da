"""Teams message HTML becomes clean, readable text."""

from __future__ import annotations

import pytest

from rkk.answers.html_text import body_to_text, html_to_text


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>Wij gebruiken Teams</p>", "Wij gebruiken Teams"),
        ('<p><at id="0">An Peeters</at> klopt!</p>', "@An Peeters klopt!"),
        (
            '<p>Zie <a href="https://www.vlaanderen.be/digitaal">de gids</a>.</p>',
            "Zie de gids (https://www.vlaanderen.be/digitaal).",
        ),
        ('<p><a href="https://v-ict-or.be/">https://v-ict-or.be</a></p>', "https://v-ict-or.be"),
        ('<p>Top <emoji id="like" alt="👍" title="Like"></emoji></p>', "Top 👍"),
        ('<p>Ja <img itemtype="http://schema.skype.com/Emoji" alt="😀" src="x.png"></p>', "Ja 😀"),
        ("<p>AVG &amp; NIS2&nbsp;&lt;samen&gt; &#8364;</p>", "AVG & NIS2 <samen> €"),
        ("<p>Eerste</p><p>Tweede</p>", "Eerste\nTweede"),
        ("<div>a<br>b</div>", "a\nb"),
        ("<ul><li>MAGDA</li><li>Digibanken</li></ul>", "- MAGDA\n- Digibanken"),
        ('<attachment id="abc"></attachment><p>Antwoord</p>', "Antwoord"),
        ("<systemEventMessage/>", ""),
        ("<p>  veel    spaties\t hier </p>", "veel spaties hier"),
        ('<p><a href="mailto:info@mol.be">info@mol.be</a></p>', "info@mol.be"),
        ("<p><b>vet</b> en <i>schuin</i></p>", "vet en schuin"),
    ],
)
def test_html_becomes_readable_text(html: str, text: str) -> None:
    """Tags disappear; mentions, links, emoji and entities stay readable."""
    assert html_to_text(html) == text


def test_plain_text_bodies_are_kept_literally() -> None:
    """A text body is not HTML: its ampersands and brackets stay as written."""
    assert body_to_text("text", " a &amp; <b>\r\n") == "a &amp; <b>"


def test_html_bodies_are_converted() -> None:
    """An html body goes through the HTML conversion."""
    assert body_to_text("html", "<p>x&amp;y</p>") == "x&y"
