"""The theory of change diagram: every step drawn, columns left to right, text escaped and
wrapped, line styles by evidence, accessible, self-contained for PDFs, and a layout that
reduces crossings."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from evaluation.toc.diagram import order_columns, toc_svg, wrap

NS = {"svg": "http://www.w3.org/2000/svg"}

NODES = [
    {"key": "fund", "kind": "activity", "title": "Fund living labs"},
    {"key": "data", "kind": "activity", "title": "Run the soil observatory"},
    {"key": "labs", "kind": "output", "title": "Labs running"},
    {"key": "maps", "kind": "output", "title": "Soil maps published"},
    {"key": "practice", "kind": "outcome", "title": "Farmers adopt practices"},
    {"key": "healthy", "kind": "impact", "title": "75% of soils healthy"},
]
LINKS = [
    {"from": "fund", "to": "labs", "evidence": "strong", "assumption": "Farmers join"},
    {"from": "data", "to": "maps", "evidence": "moderate", "assumption": ""},
    {"from": "labs", "to": "practice", "evidence": "weak", "assumption": ""},
    {"from": "maps", "to": "practice", "evidence": "none", "assumption": ""},
    {"from": "practice", "to": "healthy", "evidence": "weak", "assumption": ""},
]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output; also proves it is well-formed


def boxes(root: ET.Element) -> dict[str, ET.Element]:
    return {
        g.get("data-key"): g.find("svg:rect", NS)
        for g in root.iter(f"{{{NS['svg']}}}g")
        if g.get("data-key")
    }


def test_every_step_appears_once_and_columns_go_left_to_right():
    root = parse(toc_svg(NODES, LINKS))
    drawn = boxes(root)
    assert set(drawn) == {n["key"] for n in NODES}
    x = {key: float(rect.get("x")) for key, rect in drawn.items()}
    assert x["fund"] == x["data"] < x["labs"] == x["maps"] < x["practice"] < x["healthy"]
    headers = [t.text for t in root.findall("svg:text", NS)][:4]
    assert headers == ["Activities", "Outputs", "Outcomes", "Impact"]
    assert len(root.findall("svg:path", NS)) == len(LINKS)


def test_it_is_accessible_and_needs_no_css():
    svg = toc_svg(NODES, LINKS)
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "toc-title toc-desc"
    assert root.find("svg:title", NS).text == "Theory of change"
    desc = root.find("svg:desc", NS).text
    assert "2 activities" in desc and "5 links" in desc and "table" in desc
    assert "class=" not in svg.replace('class="toc-', "") and "style=" not in svg
    assert "<link" not in svg and "href" not in svg.replace("url(#toc-arrow)", "")


def test_line_style_shows_the_strength_of_evidence():
    root = parse(toc_svg(NODES, LINKS))
    styles = {
        p.get("class").split("--")[1]: (p.get("stroke-width"), p.get("stroke-dasharray"))
        for p in root.findall("svg:path", NS)
    }
    assert styles["strong"][1] is None and styles["moderate"][1] is None
    assert float(styles["strong"][0]) > float(styles["moderate"][0])
    assert styles["weak"][1] and styles["none"][1] and styles["weak"][1] != styles["none"][1]
    titles = [p.find("svg:title", NS).text for p in root.findall("svg:path", NS)]
    assert (
        "Fund living labs leads to Labs running. Evidence: Strong. Assumption: Farmers join"
        in titles
    )


def test_script_payloads_are_escaped():
    payload = '<script>alert("x")</script>'
    nodes = [{"key": "a", "kind": "activity", "title": payload}]
    links = [{"from": "a", "to": "a", "evidence": "weak", "assumption": payload}]
    svg = toc_svg(nodes, links)
    assert "<script" not in svg
    assert "&lt;script&gt;" in svg
    parse(svg)


def test_long_titles_wrap_and_are_shortened_with_the_full_text_in_the_tooltip():
    title = "A very long title that goes on " * 6
    assert len(wrap(title)) == 4 and wrap(title)[-1].endswith("…")
    assert all(len(line) <= 24 for line in wrap(title))
    root = parse(toc_svg([{"key": "a", "kind": "outcome", "title": title}], []))
    group = next(g for g in root.iter(f"{{{NS['svg']}}}g") if g.get("data-key") == "a")
    assert group.find("svg:title", NS).text == title
    assert len(group.findall("svg:text/svg:tspan", NS)) == 4


def test_empty_columns_say_so():
    svg = toc_svg([{"key": "a", "kind": "impact", "title": "Goal"}], [])
    placeholders = [t for t in parse(svg).findall("svg:text", NS) if t.get("font-style")]
    assert [t.text for t in placeholders] == ["None yet"] * 3


def test_barycentre_ordering_uncrosses_links_and_is_deterministic():
    # In title order the outputs would be "A…" then "B…", crossing both links.
    nodes = [
        {"key": "x", "kind": "activity", "title": "First activity"},
        {"key": "y", "kind": "activity", "title": "Second activity"},
        {"key": "b", "kind": "output", "title": "A output of the second"},
        {"key": "a", "kind": "output", "title": "B output of the first"},
    ]
    links = [{"from": "x", "to": "a"}, {"from": "y", "to": "b"}]
    columns = order_columns(nodes, links)
    assert columns[0] == ["x", "y"] and columns[1] == ["a", "b"]
    assert order_columns(list(reversed(nodes)), list(reversed(links))) == columns
    assert toc_svg(nodes, links) == toc_svg(list(reversed(nodes)), links)
