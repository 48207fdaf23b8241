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
