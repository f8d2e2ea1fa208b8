"""$…$ LaTeX → MathML on the server, for the subset school science needs; the rest shown as source."""

from __future__ import annotations

import pytest

from flipmastery.content.latex import latex_to_mathml


def test_subscripts_and_operators() -> None:
    assert latex_to_mathml("P_1V_1 = P_2V_2") == (
        "<math><mrow><msub><mi>P</mi><mn>1</mn></msub><msub><mi>V</mi><mn>1</mn></msub><mo>=</mo>"
        "<msub><mi>P</mi><mn>2</mn></msub><msub><mi>V</mi><mn>2</mn></msub></mrow></math>"
    )


def test_fractions_text_units_and_spaces() -> None:
    assert latex_to_mathml(r"\frac{1\ \text{atm}}{760\ \text{mm Hg}}", display=True) == (
        '<math display="block"><mrow><mfrac><mrow><mn>1</mn><mtext>&nbsp;</mtext><mtext>atm</mtext></mrow>'
        "<mrow><mn>760</mn><mtext>&nbsp;</mtext><mtext>mm&nbsp;Hg</mtext></mrow></mfrac></mrow></math>"
    )


def test_unbraced_fraction_arguments_are_one_character() -> None:
    assert latex_to_mathml(r"\tfrac12 mv^2") == (
        '<math><mrow><mstyle displaystyle="false" scriptlevel="0"><mfrac><mn>1</mn><mn>2</mn></mfrac>'
        "</mstyle><mi>m</mi><msup><mi>v</mi><mn>2</mn></msup></mrow></math>"
    )


def test_upright_units_greek_and_symbols() -> None:
    assert latex_to_mathml(r"\Delta T \approx 10^{-3}\,\mathrm{K}") == (
        "<math><mrow><mi>Δ</mi><mi>T</mi><mo>≈</mo><msup><mn>10</mn><mrow><mo>−</mo><mn>3</mn></mrow></msup>"
        '<mspace width="0.167em"></mspace><mrow><mi mathvariant="normal">K</mi></mrow></mrow></math>'
    )


def test_sub_and_superscript_together_and_text_subscripts() -> None:
    assert latex_to_mathml(r"x_i^2 + P_\text{total}") == (
        "<math><mrow><msubsup><mi>x</mi><mi>i</mi><mn>2</mn></msubsup><mo>+</mo>"
        "<msub><mi>P</mi><mtext>total</mtext></msub></mrow></math>"
    )


def test_markup_inside_is_escaped() -> None:
    assert latex_to_mathml(r"a < b \text{<b>x</b>}") == (
        "<math><mrow><mi>a</mi><mo>&lt;</mo><mi>b</mi><mtext>&lt;b&gt;x&lt;/b&gt;</mtext></mrow></math>"
    )


@pytest.mark.parametrize(
    "source", [r"\unknown{x}", "{x", "x}", "x^{", "x_1_2", "{" * 200 + "x" + "}" * 200, "x" * 6000]
)
def test_what_it_cannot_read_is_the_escaped_source(source: str) -> None:
    assert latex_to_mathml(source + "<i>") == f'<code class="math">{source}&lt;i&gt;</code>'
