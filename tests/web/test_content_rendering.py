"""What teachers type renders as they expect (CommonMark, LaTeX as MathML), and nothing typed can run."""

from __future__ import annotations

import re

import pytest

from flipmastery.content.latex import MAX_DEPTH, latex_to_mathml
from flipmastery.content.markdown import MAX_FORMULAS, MAX_LENGTH, MAX_NESTING, render_markdown, render_text

TAGS = re.compile(r"<([a-z][a-z0-9]*)\b([^>]*)>")
SAFE_TAGS = {
    *("p", "br", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em", "code", "a", "hr", "div"),
    *("table", "thead", "tbody", "tr", "th", "td", "img", "pre", "blockquote", "span", "b", "i", "u"),
    *("math", "mrow", "mi", "mn", "mo", "mtext", "mspace", "msub", "msup", "msubsup", "mfrac", "msqrt"),
    *("mroot", "mover", "munder", "munderover", "mtable", "mtr", "mtd", "mstyle", "mpadded", "mphantom"),
}


def assert_safe(html: str) -> None:
    """Only known tags, no event handler, no style, no URL but http(s) or a relative one."""
    for tag, attributes in TAGS.findall(html):
        assert tag in SAFE_TAGS, tag
        assert not re.search(r"\bon\w+\s*=|\bstyle\s*=|\bxlink:|\bsrcdoc", attributes, re.I), attributes
        for url in re.findall(r'(?:href|src)="([^"]*)"', attributes):
            assert re.match(r"https?://|/", url), url


# --- Markdown as CommonMark reads it ----------------------------------------------------------------


def test_nested_lists() -> None:
    html = render_markdown("- gases\n  - ideal\n    1. Boyle\n    2. Charles\n  - real\n- liquids")
    assert html == (
        "<ul><li>gases\n<ul><li>ideal\n<ol><li>Boyle</li><li>Charles</li></ol></li><li>real</li></ul></li>"
        "<li>liquids</li></ul>"
    )


def test_a_fenced_code_block_keeps_its_lines_and_its_markup_as_text() -> None:
    html = render_markdown("Run:\n\n```python\nif p < 2 * q:\n    print('<b>$x$</b>')\n```")
    assert html == (
        "<p>Run:</p>\n"
        '<pre><code class="language-python">if p &lt; 2 * q:\n'
        "    print('&lt;b&gt;$x$&lt;/b&gt;')\n</code></pre>"
    )


def test_a_table_with_math_and_no_style_attribute() -> None:
    html = render_markdown("| Gas | $M$ / g |\n|:---|---:|\n| He | 4 |\n| O₂ | 32 |")
    assert html == (
        '<div class="table"><table><thead><tr><th>Gas</th><th><math><mrow><mi>M</mi></mrow></math> / g</th>'
        "</tr></thead><tbody><tr><td>He</td><td>4</td></tr><tr><td>O₂</td><td>32</td></tr></tbody></table></div>"
    )


def test_links_and_images_keep_http_and_media_addresses() -> None:
    html = render_markdown("[PhET](https://phet.colorado.edu) ![cell](/media/cell.png)")
    assert html == (
        '<p><a href="https://phet.colorado.edu" rel="noopener noreferrer nofollow">PhET</a> '
        '<img src="/media/cell.png" alt="cell"></p>'
    )


# --- LaTeX as MathML --------------------------------------------------------------------------------


def test_aligned_equations_are_a_table_of_rows() -> None:
    html = render_markdown("$$\n\\begin{aligned}\nPV &= nRT \\\\\nP &= \\frac{nRT}{V}\n\\end{aligned}\n$$")
    assert html.startswith('<div class="math"><math display="block"><mrow><mtable')
    assert html.count("<mtr>") == 2 and html.count('<mtd columnalign="right">') == 2
    assert "&amp;" not in html and "\\" not in html


def test_a_vector_has_its_arrow_over_it() -> None:
    assert latex_to_mathml(r"\vec{F}") == (
        '<math><mrow><mover><mrow><mi>F</mi></mrow><mo stretchy="true">→</mo></mover></mrow></math>'
    )


def test_fraction_root_and_scripts() -> None:
    assert latex_to_mathml(r"\frac{a}{b}") == (
        "<math><mrow><mfrac><mrow><mi>a</mi></mrow><mrow><mi>b</mi></mrow></mfrac></mrow></math>"
    )
    assert latex_to_mathml(r"\sqrt{x}") == "<math><mrow><msqrt><mrow><mi>x</mi></mrow></msqrt></mrow></math>"
    assert latex_to_mathml(r"\sqrt[3]{8}") == (
        "<math><mrow><mroot><mrow><mn>8</mn></mrow><mn>3</mn></mroot></mrow></math>"
    )
    assert latex_to_mathml("x_i^2 + e^{-kt}") == (
        "<math><mrow><msubsup><mi>x</mi><mi>i</mi><mn>2</mn></msubsup><mo>+</mo>"
        "<msup><mi>e</mi><mrow><mo>−</mo><mi>k</mi><mi>t</mi></mrow></msup></mrow></math>"
    )


def test_a_latex_error_shows_the_source_as_code_in_a_page() -> None:
    assert render_markdown(r"Then $\frac{1}{2$ or $\nosuchcommand x$.") == (
        r'<p>Then <code class="math">\frac{1}{2</code> or <code class="math">\nosuchcommand x</code>.</p>'
    )


# --- Hostile input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[x](javascript:alert(1)) [y](JaVaScRiPt:alert(1)) [z](vbscript:x) ![w](javascript:alert(1))",
        "<javascript:alert(1)> [a](data:text/html;base64,PHNjcmlwdD4=)",
        '<a href="javascript:alert(1)" style="color:red">x</a>',
        r"$\href{javascript:alert(1)}{x}$ $\color{red}{x}$ $\style{color:red}{x}$",
        r"$\text{<img src=x onerror=alert(1)>}$ $$\text{<script>1</script>}$$",
        "$$</math><img src=x onerror=alert(1)>$$",
        "| <script>x</script> | y |\n|---|---|\n| [a](javascript:b) | $\\text{<b onclick=c>}$ |",
    ],
)
def test_hostile_markdown_ends_as_safe_html(text: str) -> None:
    html = render_markdown(text)
    assert_safe(html)
    assert not re.search(r"<script|<[^>]*javascript:|<[^>]*onerror", html, re.I)


def test_hostile_html_of_a_bank_ends_as_safe_html() -> None:
    html = render_text(
        '<p onclick="x" style="color:red">Hi<script>alert(1)</script><img src=x onerror=alert(2)>'
        '<a href="javascript:alert(3)">a</a> \\(x^2\\)</p>',
        "html",
    )
    assert html == (
        '<p>Hi<img src="x"><a rel="noopener noreferrer nofollow">a</a> '
        "<math><mrow><msup><mi>x</mi><mn>2</mn></msup></mrow></math></p>"
    )


def test_a_megabyte_of_text_gives_a_clear_message_instead() -> None:
    text = "word " * 200_000
    assert len(text) > MAX_LENGTH
    message = (
        '<p class="too-long">This text is too long to show: 1,000,000 characters, '
        "where at most 50,000 are.</p>"
    )
    assert render_markdown(text) == message
    assert render_text(text, "html") == message and render_text(text, "plain") == message


def test_text_just_under_the_bound_is_rendered() -> None:
    html = render_markdown("*a* " * (MAX_LENGTH // 4))
    assert html.startswith("<p><em>a</em> <em>a</em>") and html.endswith("<em>a</em></p>")


@pytest.mark.parametrize(
    "source", ["{" * 10_000, "{" * 10_000 + "x" + "}" * 10_000, "(" * 10_000, r"\frac" * 3000, "x^" * 3000]
)
def test_absurd_latex_is_shown_as_source_never_raised(source: str) -> None:
    html = render_markdown(f"${source}$")
    assert_safe(html)
    assert "<math" not in html or "(" in source


def test_past_the_formula_bound_formulas_are_shown_as_their_source() -> None:
    html = render_markdown("$x$ " * (MAX_FORMULAS + 2))
    assert html.count("<math>") == MAX_FORMULAS
    assert html.endswith('<code class="math">x</code> <code class="math">x</code></p>')


def test_nesting_just_within_the_bound_is_mathml() -> None:
    assert latex_to_mathml("{" * MAX_DEPTH + "x" + "}" * MAX_DEPTH).startswith("<math><mrow>")
    assert latex_to_mathml("{" * (MAX_DEPTH + 1) + "x" + "}" * (MAX_DEPTH + 1)).startswith(
        '<code class="math">'
    )


def test_ten_thousand_brackets_in_markdown_stay_text() -> None:
    html = render_markdown("[" * 10_000 + "x" + "]" * 10_000 + "(" * 10_000)
    assert html == "<p>" + "[" * 10_000 + "x" + "]" * 10_000 + "(" * 10_000 + "</p>"


def test_forty_nested_list_levels_are_kept_whole() -> None:
    html = render_markdown("\n".join("  " * depth + f"- level {depth}" for depth in range(40)))
    assert html.count("<ul>") == 40 and html.count("<li>") == 40 and "<li>level 39</li>" in html


def test_absurdly_deep_lists_and_quotes_end_safe_and_bounded() -> None:
    lists = render_markdown("\n".join("  " * depth + f"- level {depth}" for depth in range(150)))
    assert_safe(lists)
    assert lists.count("<ul>") == 50 and lists.count("<ul>") == lists.count("</ul>")
    quotes = render_markdown(">" * 5000 + " deep")
    assert_safe(quotes)
    assert quotes.count("<blockquote>") == MAX_NESTING == quotes.count("</blockquote>")
