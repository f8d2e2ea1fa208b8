"""The one wall every rendered text passes: nh3 with an allow list of HTML and the MathML latex2mathml emits.

No `style`, no event handlers, no URL scheme but http(s) (relative /media/ links stay relative).
"""

from __future__ import annotations

import nh3

MATHML_TAGS = {
    *("math", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "msub", "msup", "msubsup", "mfrac"),
    *("msqrt", "mroot", "mover", "munder", "munderover", "mtable", "mtr", "mtd", "mstyle", "mpadded"),
    *("mphantom", "menclose", "merror"),
}
HTML_TAGS = {
    *("p", "br", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em", "code", "a", "hr"),
    *("div", "table", "thead", "tbody", "tr", "th", "td", "img", "sub", "sup", "span", "b", "i", "u", "pre"),
    "blockquote",
}
ALLOWED_TAGS = HTML_TAGS | MATHML_TAGS
_MATHML_PRESENTATION = {
    *("mathvariant", "stretchy", "fence", "form", "separator", "largeop", "movablelimits", "accent"),
    *("accentunder", "lspace", "rspace", "minsize", "maxsize", "symmetric", "width", "height", "depth"),
    *("linebreak", "linethickness", "displaystyle", "scriptlevel", "columnalign", "columnspacing"),
    *("rowspacing", "rowalign", "columnlines", "rowlines", "frame", "notation", "mathsize"),
}
ALLOWED_ATTRIBUTES = {
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start"},
    "div": {"class"},
    "code": {"class"},
    "th": {"align"},
    "td": {"align"},
    "math": {"display"},
    **{tag: set(_MATHML_PRESENTATION) for tag in MATHML_TAGS - {"math"}},
}


def sanitise(fragment: str) -> str:
    """Any fragment → HTML that holds only the allowed tags and attributes."""
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https"},
        link_rel="noopener noreferrer nofollow",
    )
