"""Copy GraphiQL and React from the npm registry into graphiql/static/vendor/.

The GraphiQL page is served from the app itself, with nothing loaded from a CDN, so that it
works on a closed network (LGWAN). Only the production bundles, the stylesheet, each package's
licence and its package.json (read by scripts/third_party_licenses.py) are kept, unchanged.

    python scripts/vendor_graphiql.py
"""

from __future__ import annotations

import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

VENDOR_DIR = Path(__file__).resolve().parent.parent / "graphiql" / "static" / "vendor"
# GraphiQL 3 is the last major release with a bundle for the browser that needs no build step;
# it runs on React 18.
PACKAGES = {
    "graphiql@3.8.3": ("graphiql.min.js", "graphiql.min.css"),
    "react@18.3.1": ("umd/react.production.min.js",),
    "react-dom@18.3.1": ("umd/react-dom.production.min.js",),
}
ALWAYS_KEPT = ("LICENSE", "package.json")


def vendor(spec: str, files: tuple[str, ...], folder: Path) -> None:
    name = spec.rpartition("@")[0]
    output = subprocess.run(
        ["npm", "pack", "--silent", spec], cwd=folder, check=True, capture_output=True, text=True
    )
    with tarfile.open(folder / output.stdout.strip()) as archive:
        archive.extractall(folder / name, filter="data")
    target = VENDOR_DIR / name
    target.mkdir(parents=True)
    for path in (*files, *ALWAYS_KEPT):
        shutil.copyfile(folder / name / "package" / path, target / Path(path).name)


def main() -> None:
    shutil.rmtree(VENDOR_DIR, ignore_errors=True)
    with tempfile.TemporaryDirectory() as folder:
        for spec, files in PACKAGES.items():
            vendor(spec, files, Path(folder))
    print(f"{len(PACKAGES)} packages vendored into {VENDOR_DIR}")


if __name__ == "__main__":
    main()
