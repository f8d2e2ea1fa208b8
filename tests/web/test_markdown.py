"""The Markdown subset of text sections: what it renders, and that nothing typed in it can run."""

from __future__ import annotations

from flipmastery.content.markdown import render_markdown


def test_paragraphs_soft_and_hard_line_breaks_bold_and_italic() -> None:
    html = render_markdown(
        "**Pressure** is *force*\nper area.  \nIt is measured in kPa.\n\nSecond paragraph."
    )
    assert html == (
        "<p><strong>Pressure</strong> is <em>force</em>\nper area.<br>\nIt is measured in kPa.</p>\n"
        "<p>Second paragraph.</p>"
    )


def test_emphasis_may_span_a_soft_line_break() -> None:
    assert render_markdown("**Temperatures\nmust be in kelvin:**") == (
        "<p><strong>Temperatures\nmust be in kelvin:</strong></p>"
    )


def test_headings_start_below_the_page_title() -> None:
    assert render_markdown("# Gas laws\n## Boyle ##") == "<h2>Gas laws</h2>\n<h3>Boyle</h3>"


def test_lists_after_a_line_of_text_in_the_same_block() -> None:
    html = render_markdown("Steps:\n- measure *p*\n- measure V\n\n1. first\n2. second")
    assert html == (
        "<p>Steps:</p>\n<ul><li>measure <em>p</em></li><li>measure V</li></ul>\n"
        "<ol><li>first</li><li>second</li></ol>"
    )


def test_an_indented_line_continues_the_list_item() -> None:
    html = render_markdown("1. The mercury stands\n   38 mm *higher*.\n2. Next")
    assert html == "<ol><li>The mercury stands\n38 mm <em>higher</em>.</li><li>Next</li></ol>"


def test_a_number_inside_a_paragraph_does_not_start_a_list_unless_it_is_1() -> None:
    html = render_markdown("Answers: 1) 152 kPa; 4) 790 mmHg;\n5) 20.0 kPa")
    assert html == "<p>Answers: 1) 152 kPa; 4) 790 mmHg;\n5) 20.0 kPa</p>"
    assert render_markdown("3. third\n4. fourth") == '<ol start="3"><li>third</li><li>fourth</li></ol>'


def test_pipe_tables() -> None:
    html = render_markdown(
        "| Law | Equation |\n|---|:---:|\n| Boyle's | $P_1V_1 = P_2V_2$ |\n| Charles's | V/T |"
    )
    assert html.startswith(
        '<div class="table"><table><thead><tr><th>Law</th><th>Equation</th></tr></thead><tbody>'
        "<tr><td>Boyle's</td><td><math><mrow><msub><mi>P</mi><mn>1</mn></msub>"
    )
    assert html.endswith("<tr><td>Charles's</td><td>V/T</td></tr></tbody></table></div>")


def test_inline_and_display_math_become_mathml() -> None:
    html = render_markdown(r"Use $PV = nRT$:" + "\n\n" + r"$$\frac{P_1}{T_1} = \frac{P_2}{T_2}$$")
    assert html == (
        "<p>Use <math><mrow><mi>P</mi><mi>V</mi><mo>=</mo><mi>n</mi><mi>R</mi><mi>T</mi></mrow></math>:</p>\n"
        '<div class="math"><math display="block"><mrow><mfrac><mrow><msub><mi>P</mi><mn>1</mn></msub></mrow>'
        "<mrow><msub><mi>T</mi><mn>1</mn></msub></mrow></mfrac><mo>=</mo><mfrac><mrow><msub><mi>P</mi>"
        "<mn>2</mn></msub></mrow><mrow><msub><mi>T</mi><mn>2</mn></msub></mrow></mfrac></mrow></math></div>"
    )


def test_money_and_escaped_dollars_are_not_math() -> None:
    assert render_markdown("It costs $5 and $10.") == "<p>It costs $5 and $10.</p>"
    assert render_markdown(r"\$x\$ stays") == "<p>$x$ stays</p>"


def test_hindi_text_is_kept() -> None:
    html = render_markdown("## परिमेय संख्या क्या है?\n\nजो संख्या **p/q** के रूप में लिखी जा सके")
    assert html == "<h3>परिमेय संख्या क्या है?</h3>\n<p>जो संख्या <strong>p/q</strong> के रूप में लिखी जा सके</p>"


def test_code_math_and_links_keep_their_stars_and_underscores() -> None:
    html = render_markdown("`2*3*4` and [the_sim](https://phet.colorado.edu/a_b_c?x=1&y=2) `$x$`")
    assert html == (
        '<p><code>2*3*4</code> and <a href="https://phet.colorado.edu/a_b_c?x=1&amp;y=2" '
        'rel="noopener noreferrer nofollow">the_sim</a> <code>$x$</code></p>'
    )


def test_script_tags_and_event_attributes_are_shown_as_text_never_as_markup() -> None:
    html = render_markdown(
        '<script>alert(1)</script>\n<img src=x onerror="alert(2)">\n<a href="javascript:alert(3)">x</a>'
    )
    assert "<script" not in html and "<img" not in html and "<a " not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_hostile_text_inside_math_tables_and_headings_stays_text() -> None:
    html = render_markdown(
        "# <img src=x onerror=alert(1)>\n\n| <b>x</b> | y |\n|---|---|\n| <script>1</script> | z |\n\n"
        r"$\text{<script>alert(1)</script>}$ $</math><script>alert(2)</script>$"
    )
    assert "<script" not in html and "<img" not in html and "<b>" not in html


def test_a_javascript_link_is_not_a_link() -> None:
    html = render_markdown("[click](javascript:alert(1)) [also](data:text/html,x)")
    assert "href" not in html


def test_markup_inside_emphasis_stays_escaped() -> None:
    html = render_markdown("**<b onmouseover=alert(1)>hi</b>**")
    assert html == "<p><strong>&lt;b onmouseover=alert(1)&gt;hi&lt;/b&gt;</strong></p>"


def test_control_characters_cannot_forge_placeholders() -> None:
    assert render_markdown("a \x000\x00 b \x01 c \x02") == "<p>a 0 b  c</p>"


def test_empty_text_renders_nothing() -> None:
    assert render_markdown("") == ""
    assert render_markdown("\n\n  \n") == ""
