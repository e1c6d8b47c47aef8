"""Write THIRD_PARTY_LICENSES.md: the licence of every package Tsunagu runs on.

Python: the distributions the installed `tsunagu` needs at run time, read from their installed
metadata: its requirements without extras (not `test`), then theirs with the extras each one
asks for, markers evaluated for this machine. A licence is declared in one of three shapes,
read in this order: `License-Expression` (an SPDX expression, PEP 639), the free-text `License`
field (a name, or sometimes the whole licence text) and the `License ::` classifiers.
JavaScript: the npm packages vendored for GraphiQL (graphiql/static/vendor/*/package.json).

Python versions are left out, so the list changes only when a dependency or a licence does.

    python scripts/third_party_licenses.py            # rewrite THIRD_PARTY_LICENSES.md
    python scripts/third_party_licenses.py --check    # exit 1 if it is out of date
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from email.message import Message
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
LIST_PATH = ROOT / "THIRD_PARTY_LICENSES.md"
VENDOR_DIR = ROOT / "graphiql" / "static" / "vendor"
PROJECT = "tsunagu"
# Permissive licences, and MPL-2.0, whose copyleft covers only changes to the files it governs
# (orjson's); Tsunagu changes none. Every licence an expression names must be here, so that a
# copyleft (GPL, LGPL, AGPL) or unknown licence, even offered as a choice, needs a decision.
PERMITTED = frozenset({
    "0BSD", "Apache-2.0", "BSD", "BSD-2-Clause", "BSD-3-Clause", "ISC", "MIT", "MIT-0",
    "MIT-CMU", "MPL-1.1", "MPL-2.0", "PSF-2.0", "Python-2.0", "Unlicense", "Zlib",
})
# Packages that offer a choice of licences, some of them copyleft, and the one Tsunagu takes:
# pyphen (WeasyPrint's hyphenation) under MPL 1.1, whose copyleft, like MPL 2.0's, covers only
# changes to its own files.
CHOSEN = {"pyphen": ("MPL-1.1", "classifiers: GPL-2.0+, LGPL-2.1+ or MPL-1.1, taken as MPL-1.1")}
# Names found in `License` fields and classifiers, lower case, and their SPDX identifiers.
SPDX_OF_NAME = {
    "mit": "MIT", "mit license": "MIT",
    "apache 2.0": "Apache-2.0", "apache-2.0": "Apache-2.0", "apache license 2.0": "Apache-2.0",
    "apache license, version 2.0": "Apache-2.0", "apache software license": "Apache-2.0",
    "bsd": "BSD", "bsd license": "BSD",
    "bsd-2-clause": "BSD-2-Clause", "bsd-3-clause": "BSD-3-Clause",
    "isc": "ISC", "isc license (iscl)": "ISC",
    "python software foundation license": "PSF-2.0", "psf-2.0": "PSF-2.0",
    "mozilla public license 2.0 (mpl 2.0)": "MPL-2.0", "mpl-2.0": "MPL-2.0",
}
# Whole licence texts pasted into the `License` field, recognised by a phrase of each.
SPDX_OF_TEXT = (
    ("GNU AFFERO GENERAL PUBLIC LICENSE", "AGPL"),
    ("GNU LESSER GENERAL PUBLIC LICENSE", "LGPL"),
    ("GNU GENERAL PUBLIC LICENSE", "GPL"),
    ("Permission is hereby granted, free of charge", "MIT"),
    ("Apache License", "Apache-2.0"),
    ("Redistribution and use in source and binary forms", "BSD"),
)
UNKNOWN = "UNKNOWN"
LONGEST_NAME = 80
OPERATORS = re.compile(r"\s+(?:AND|OR|WITH)\s+|[()]")


@dataclass(frozen=True)
class Component:
    name: str
    licence: str
    declared_in: str
    version: str = ""


def licence_of(metadata: Message) -> tuple[str, str]:
    """The licence a distribution's metadata declares, and the field it was read from."""
    if expression := (metadata.get("License-Expression") or "").strip():
        return expression, "License-Expression"
    field = (metadata.get("License") or "").strip()
    if field and "\n" not in field and len(field) <= LONGEST_NAME and field.upper() != UNKNOWN:
        return SPDX_OF_NAME.get(field.lower(), field), "License"
    named = [
        classifier.split(" :: ")[-1]
        for classifier in metadata.get_all("Classifier") or []
        if classifier.startswith("License :: ")
    ]
    classifiers = sorted(
        {SPDX_OF_NAME.get(name.lower(), name) for name in named if name != "OSI Approved"}
    )
    if classifiers:
        return " OR ".join(classifiers), "classifiers"
    recognised = [spdx for phrase, spdx in SPDX_OF_TEXT if phrase.lower() in field.lower()]
    if recognised:
        return recognised[0], "licence text"
    return UNKNOWN, "nothing"


def permitted(licence: str) -> bool:
    """Whether every licence the expression names is one of `PERMITTED`."""
    names = [name.strip() for name in OPERATORS.split(licence) if name and name.strip()]
    return bool(names) and all(name in PERMITTED for name in names)


def runtime_requirements(project: str = PROJECT) -> dict[str, Message]:
    """The metadata of every distribution `project` needs at run time, by canonical name.

    A requirement's marker is evaluated with the extras its dependant asked for, so that
    `uvicorn[standard]` brings in what `standard` adds and `tsunagu` alone brings in no `test`.
    """
    found: dict[str, Message] = {}
    walked: set[tuple[str, frozenset[str]]] = set()
    wanted = [(Requirement(text), frozenset[str]()) for text in distribution(project).requires or []]
    while wanted:
        requirement, extras = wanted.pop()
        if requirement.marker and not any(
            requirement.marker.evaluate({"extra": extra}) for extra in ("", *extras)
        ):
            continue
        name, asked = canonicalize_name(requirement.name), frozenset(requirement.extras)
        if (name, asked) in walked:
            continue
        walked.add((name, asked))
        try:
            installed = distribution(requirement.name)
        except PackageNotFoundError:
            raise SystemExit(f"{requirement.name} is not installed: pip install -e .") from None
        found[name] = installed.metadata
        wanted += [(Requirement(text), asked) for text in installed.requires or []]
    return found


def python_components() -> list[Component]:
    found = runtime_requirements()
    return [Component(name, *CHOSEN.get(name, licence_of(found[name]))) for name in sorted(found)]


def vendored_components() -> list[Component]:
    components = []
    for manifest in sorted(VENDOR_DIR.glob("*/package.json")):
        package = json.loads(manifest.read_text(encoding="utf-8"))
        components.append(
            Component(package["name"], package["license"], "package.json", package["version"])
        )
    return components


def render(python: list[Component], vendored: list[Component]) -> str:
    lines = [
        "# Third-party licences",
        "",
        "Tsunagu is under the MIT licence ([LICENSE](LICENSE)). What it runs on is listed below, "
        "with the licence each package declares.",
        "This file is written by `python scripts/third_party_licenses.py` from the installed "
        "packages' metadata; a test fails when it is out of date, or when a licence is not one "
        "of the permissive ones the script permits (no GPL, LGPL or AGPL).",
        "",
        "## Python packages needed at run time",
        "",
        "Installed from PyPI by `pip install`, with their own licence files.",
        "",
        "| package | licence | declared in |",
        "|---|---|---|",
        *(f"| {c.name} | {c.licence} | {c.declared_in} |" for c in python),
        "",
        "## JavaScript served with GraphiQL",
        "",
        "Copied unchanged from npm into `graphiql/static/vendor/` "
        "(by `scripts/vendor_graphiql.py`), "
        "each beside its LICENSE file. The GraphiQL bundle includes GraphiQL's own dependencies "
        "(among them graphql, CodeMirror 5 and markdown-it), as its authors publish it.",
        "",
        "| package | version | licence |",
        "|---|---|---|",
        *(f"| {c.name} | {c.version} | {c.licence} |" for c in vendored),
        "",
    ]
    return "\n".join(lines)


def current_list() -> str:
    return render(python_components(), vendored_components())


def main(argv: list[str]) -> int:
    text = current_list()
    if "--check" in argv:
        if LIST_PATH.read_text(encoding="utf-8") != text:
            print(f"{LIST_PATH.name} is out of date: run python scripts/third_party_licenses.py")
            return 1
        return 0
    LIST_PATH.write_text(text, encoding="utf-8")
    print(f"{LIST_PATH.name} written")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
