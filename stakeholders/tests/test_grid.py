"""The grid SVG: a pure function of plain data, escaped, with a legend, and readable at 60."""

import random
import re
import xml.etree.ElementTree as ET

import pytest

from stakeholders.grid import HELIX_SHAPES, _attitude_sign, draw_grid

HELICES = ["government", "industry", "academia", "civil_society", "environment"]


def item(n, **fields):
    data = {
        "number": n,
        "key": f"s{n}",
        "name": f"Stakeholder {n}",
        "helix": HELICES[n % 5],
        "power": 3,
        "interest": 3,
        "attitude": 0,
    }
    data.update(fields)
    return data


def many(count, seed=7, clustered=False):
    rng = random.Random(seed)
    items = []
    for n in range(1, count + 1):
        if clustered and n % 3:
            power, interest = 5, 5  # a crowded key-player corner
        else:
            power, interest = rng.randint(1, 5), rng.randint(1, 5)
        items.append(
            item(
                n,
                name=rng.choice(["Ministry of Health", "NetZeroCities consortium", "TNO", "X"])
                + f" {n}",
                power=power,
                interest=interest,
                attitude=rng.randint(-2, 2),
            )
        )
    return items


def test_the_svg_is_well_formed_and_escapes_every_text():
    drawing = draw_grid(
        [item(1, name='<script>alert("x")</script> & Co')], interactive=True, title="A <b> map"
    )
    assert "<script>" not in drawing.svg and "<b>" not in drawing.svg
    assert "&lt;script&gt;" in drawing.svg
    ET.fromstring(drawing.svg)  # noqa: S314 - our own output, parsed to check it is XML


def _sign_shape(markup: str) -> str:
    """The drawing of a sign, wherever it is placed: its element and path commands."""
    return re.sub(r"[-\d.]+", "#", markup)


def test_quadrants_legend_shapes_and_attitude_signs():
    items = [item(n, attitude=a, helix=h) for n, (a, h) in enumerate(
        zip([-2, -1, 0, 1, 2], HELICES, strict=True), start=1)]  # fmt: skip
    svg = draw_grid(items).svg
    for text in ("Key players", "Keep satisfied", "Keep informed", "Monitor"):
        assert text in svg
    for text in ("Sector (shape)", "Attitude (colour and sign)", "Strongly opposed", "Neutral",
                 "Civil society", "Government"):  # fmt: skip
        assert text in svg
    assert "<circle" in svg and "<rect" in svg and "<polygon" in svg
    assert set(HELIX_SHAPES.values()) == {"circle", "square", "triangle", "diamond", "hexagon"}
    # Attitude is never colour alone: each marker carries its sign, drawn in strokes (five
    # different drawings), and no sign is text that would break the marker's "label in name".
    signs = {attitude: _attitude_sign(0, 0, 10, attitude) for attitude in (-2, -1, 0, 1, 2)}
    assert len(set(signs.values())) == 5
    for markup in signs.values():
        assert "<text" not in markup
    shapes = {_sign_shape(markup) for markup in signs.values()}
    markers = re.findall(r'<g class="stakeholder-marker".*?</g>', svg)
    drawn = [re.findall(r'<(?:path|circle)[^>]*fill="none"[^>]*/>', m) for m in markers]
    assert [len(found) for found in drawn] == [1] * 5
    assert {_sign_shape(found[0]) for found in drawn} == shapes


def test_interactive_markers_are_focusable_buttons_with_names_and_static_ones_are_not():
    interactive = draw_grid([item(1, move_url="/move/", version=4)], interactive=True).svg
    assert 'tabindex="0"' in interactive and 'role="button"' in interactive
    assert 'aria-label="1. Stakeholder 1: power 3, interest 3 (Key players)' in interactive
    assert 'data-version="4"' in interactive and 'data-move-url="/move/"' in interactive
    static = draw_grid([item(1)]).svg
    assert "tabindex" not in static and "<title>1. Stakeholder 1" in static


@pytest.mark.parametrize("clustered", [False, True])
def test_no_two_labels_or_markers_overlap_at_60_stakeholders(clustered):
    drawing = draw_grid(many(60, clustered=clustered), interactive=True)
    labels = drawing.labels
    assert len([b for b in labels if b.kind == "number"]) == 60  # every marker numbered
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            assert not a.overlaps(b), (a, b)
    markers = drawing.markers
    for i, a in enumerate(markers):
        for b in markers[i + 1 :]:
            assert not a.overlaps(b), (a, b)
        for label in labels:
            assert not a.overlaps(label), (a, label)
    assert drawing.named  # some names still fit


def test_markers_stay_inside_their_cell():
    from stakeholders.grid import CELL, cell_origin

    drawing = draw_grid(many(60, clustered=True))
    items = {i["key"]: i for i in many(60, clustered=True)}
    for box in drawing.markers:
        x0, y0 = cell_origin(items[box.key]["power"], items[box.key]["interest"])
        assert x0 <= box.x and box.x + box.w <= x0 + CELL
        assert y0 <= box.y and box.y + box.h <= y0 + CELL


def test_movement_arrows_from_earlier_positions():
    drawing = draw_grid(
        [item(1, power=5, interest=5), item(2)],
        arrows=[{"key": "s1", "points": [(1, 1)]}],
        arrows_label="Moved since 1 January 2025",
    )
    assert drawing.svg.count('marker-end="url(#grid-arrowhead)"') == 2  # arrow + legend
    assert "Moved since 1 January 2025" in drawing.svg
    assert "stroke-dasharray" in drawing.svg
    no_arrows = draw_grid([item(1)])
    assert "marker-end" not in no_arrows.svg


def test_the_same_input_gives_the_same_svg():
    assert draw_grid(many(20)).svg == draw_grid(many(20)).svg
    assert re.search(r'viewBox="0 0 \d+ \d+', draw_grid([]).svg)
