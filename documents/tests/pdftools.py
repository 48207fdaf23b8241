"""Poppler's command-line tools, for checking the PDFs we make as a reader's software sees them."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path


def _run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True, timeout=60).stdout


def _with_file(pdf: bytes, *command: str) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        return _run(*command, handle.name)


def info(pdf: bytes) -> dict[str, str]:
    lines = _with_file(pdf, "pdfinfo").splitlines()
    return {k.strip(): v.strip() for k, _sep, v in (line.partition(":") for line in lines)}


def text(
    pdf: bytes, first: int | None = None, last: int | None = None, *, layout: bool = False
) -> str:
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        return _run("pdftotext", *pages, *(["-layout"] if layout else []), handle.name, "-")


def fonts(pdf: bytes) -> list[tuple[str, bool]]:
    """(font name, embedded) for every font the PDF uses."""
    rows = _with_file(pdf, "pdffonts").splitlines()[2:]
    result = []
    for row in rows:
        parts = row.split()
        # name type... emb sub uni object ID: "emb" is the 5th column from the end.
        result.append((parts[0], parts[-5] == "yes"))
    return result


def page_png(pdf: bytes, page: int = 1, dpi: int = 50) -> Path:
    """One page as a PNG file (in a temporary folder the caller may read)."""
    folder = Path(tempfile.mkdtemp(prefix="lodestar-pdf-"))
    source = folder / "doc.pdf"
    source.write_bytes(pdf)
    _run(
        "pdftoppm",
        "-r",
        str(dpi),
        "-f",
        str(page),
        "-l",
        str(page),
        "-png",
        "-singlefile",
        str(source),
        str(folder / "page"),
    )
    return folder / "page.png"


def qpdf_check(pdf: bytes) -> tuple[int, str]:
    """`qpdf --check`: (exit status, everything it said). 0 is clean, 3 is "with warnings"."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        done = subprocess.run(
            ["qpdf", "--check", handle.name], capture_output=True, text=True, timeout=60
        )
        return done.returncode, done.stdout + done.stderr


def page_counts(pdf: bytes) -> dict[str, int]:
    """How many pages each reader finds: pikepdf (qpdf's library), qpdf's command, poppler."""
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        pikepdf_pages = len(document.pages)
    return {
        "pikepdf": pikepdf_pages,
        "qpdf": int(_with_file(pdf, "qpdf", "--show-npages").strip()),
        "poppler": int(info(pdf)["Pages"]),
    }


def assert_valid(pdf: bytes) -> int:
    """The PDF is well formed for all three readers: qpdf finds nothing to warn about and
    pikepdf, qpdf and poppler agree on the page count, which is returned."""
    status, said = qpdf_check(pdf)
    assert status == 0, f"qpdf --check exited {status}:\n{said[:3000]}"
    assert "WARNING" not in said, said[:3000]
    counts = page_counts(pdf)
    assert len(set(counts.values())) == 1, f"the readers disagree on the pages: {counts}"
    return counts["poppler"]


def text_sizes(pdf: bytes, page: int) -> list[tuple[str, float]]:
    """(font name, size in points as printed) for every text run on `page` (1-based): the
    size set by Tf, scaled by the text matrix and every enclosing transformation (a drawing
    scaled to fit the page shrinks its text). Form XObjects are followed."""
    import io

    import pikepdf

    def scale(matrix: list[float]) -> float:
        a, b, c, d = matrix[:4]
        return abs(a * d - b * c) ** 0.5

    def multiply(m: list[float], n: list[float]) -> list[float]:
        a, b, c, d, e, f = m
        a2, b2, c2, d2, e2, f2 = n
        return [
            a * a2 + b * c2,
            a * b2 + b * d2,
            c * a2 + d * c2,
            c * b2 + d * d2,
            e * a2 + f * c2 + e2,
            e * b2 + f * d2 + f2,
        ]

    found: list[tuple[str, float]] = []

    def walk(stream_owner, resources, ctm: list[float]) -> None:
        stack: list[list[float]] = []
        font, size, tm = "", 0.0, [1.0, 0, 0, 1.0, 0, 0]
        for operands, operator in pikepdf.parse_content_stream(stream_owner):
            op = str(operator)
            if op == "q":
                stack.append(ctm)
            elif op == "Q" and stack:
                ctm = stack.pop()
            elif op == "cm":
                ctm = multiply([float(v) for v in operands], ctm)
            elif op == "BT":
                tm = [1.0, 0, 0, 1.0, 0, 0]
            elif op == "Tm":
                tm = [float(v) for v in operands]
            elif op == "Tf":
                name = str(operands[0])
                fonts = resources.get("/Font", {}) if resources is not None else {}
                base = fonts.get(name) if name in fonts else None
                font = str(base.get("/BaseFont", name)) if base is not None else name
                size = float(operands[1])
            elif op in ("Tj", "TJ", "'", '"'):
                found.append((font, round(size * scale(tm) * scale(ctm), 2)))
            elif op == "Do":
                xobjects = resources.get("/XObject", {}) if resources is not None else {}
                xobject = xobjects.get(str(operands[0]))
                if xobject is not None and xobject.get("/Subtype") == "/Form":
                    matrix = [float(v) for v in xobject.get("/Matrix", [1, 0, 0, 1, 0, 0])]
                    walk(xobject, xobject.get("/Resources", resources), multiply(matrix, ctm))

    with pikepdf.open(io.BytesIO(pdf)) as document:
        target = document.pages[page - 1]
        walk(target, target.obj.get("/Resources"), [1.0, 0, 0, 1.0, 0, 0])
    return found


def words(pdf: bytes, page: int) -> list[tuple[float, float, float, float, str]]:
    """(x min, y min, x max, y max, word) for every word on `page`, in points from the top
    left, as poppler places them."""
    import html
    import re

    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        out = _run("pdftotext", "-bbox", "-f", str(page), "-l", str(page), handle.name, "-")
    pattern = re.compile(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
    )
    return [
        (float(a), float(b), float(c), float(d), html.unescape(w))
        for a, b, c, d, w in pattern.findall(out)
    ]


def region_text(
    found: list[tuple[float, float, float, float, str]],
    x0: float,
    y0: float,
    x1: float,
    y1: float,
) -> str:
    """The words inside a rectangle, in reading order (top to bottom, left to right)."""
    inside = [w for w in found if w[0] >= x0 and w[2] <= x1 and w[1] >= y0 and w[3] <= y1]
    return " ".join(w[4] for w in sorted(inside, key=lambda w: (round(w[1]), w[0])))
