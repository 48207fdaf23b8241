"""Vendor GOV.UK Frontend's precompiled CSS/JS into static/vendor/govuk-frontend, unbranded.

Usage (Node is needed only here, never at run time):
    npm install --prefix /tmp/gf govuk-frontend@6.6.0
    python scripts/vendor_govuk.py /tmp/gf/node_modules/govuk-frontend

The GDS Transport font and the crown crest are reserved for GOV.UK, and the CSS points at
them with absolute /assets/ URLs that 404 under /static/, so both are stripped.
"""

import json
import re
import sys
from pathlib import Path

source = Path(sys.argv[1])
target = Path(__file__).resolve().parent.parent / "static" / "vendor" / "govuk-frontend"
target.mkdir(parents=True, exist_ok=True)
dist = source / "dist" / "govuk"

css = (dist / "govuk-frontend.min.css").read_text(encoding="utf-8")
css = re.sub(r"@font-face\{font-family:GDS Transport;[^}]*\}", "", css)
css = css.replace("font-family:GDS Transport,arial,sans-serif", "font-family:arial,sans-serif")
css = css.replace("font-family:GDS Transport", "font-family:arial")
css = css.replace("url(/assets/images/govuk-crest.svg)", "none")
# The source maps are not vendored; a dangling reference breaks hashed static file names.
css = re.sub(r"/\*# sourceMappingURL=[^*]*\*/", "", css)
if "/assets/" in css:
    sys.exit("an absolute /assets/ URL is left in the CSS: extend the fix-ups above")
(target / "govuk-frontend.min.css").write_text(css, encoding="utf-8")
js = (dist / "govuk-frontend.min.js").read_text(encoding="utf-8")
js = re.sub(r"//# sourceMappingURL=\S+", "", js)
(target / "govuk-frontend.min.js").write_text(js, encoding="utf-8")
version = json.loads((source / "package.json").read_text(encoding="utf-8"))["version"]
(target / "VERSION").write_text(f"govuk-frontend {version} (MIT licence), unbranded\n")
print(f"vendored govuk-frontend {version} into {target}")
