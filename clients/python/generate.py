"""Regenerate the typed client, `tsunagu_client`, from schema.graphql and operations/*.graphql.

ariadne-codegen needs graphql-core<3.3 while Strawberry needs 3.3, so the generator cannot share the
service's environment: this script keeps it in its own, `.venv-codegen/` at the repository root,
installed from the pins in `codegen-requirements.txt` so that it writes the same code everywhere.

    python clients/python/generate.py      # rewrites clients/python/tsunagu_client/
"""

from __future__ import annotations

import fcntl
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

CLIENT_DIR = Path(__file__).resolve().parent
ROOT = CLIENT_DIR.parent.parent
OPERATIONS_DIR = CLIENT_DIR / "operations"
PACKAGE = "tsunagu_client"
TOOL_VENV = ROOT / ".venv-codegen"
REQUIREMENTS = CLIENT_DIR / "codegen-requirements.txt"


def codegen_executable() -> Path:
    """ariadne-codegen in its own virtual environment, (re)built when the pins change."""
    executable = TOOL_VENV / "bin" / "ariadne-codegen"
    installed = TOOL_VENV / "installed-requirements.txt"
    TOOL_VENV.parent.mkdir(parents=True, exist_ok=True)
    with open(ROOT / ".venv-codegen.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not executable.exists() or not installed.exists() or installed.read_text() != REQUIREMENTS.read_text():
            subprocess.run([sys.executable, "-m", "venv", "--clear", str(TOOL_VENV)], check=True)
            subprocess.run(
                [str(TOOL_VENV / "bin" / "pip"), "install", "--quiet", "-r", str(REQUIREMENTS)], check=True
            )
            shutil.copyfile(REQUIREMENTS, installed)
    return executable


def generate(target_dir: Path) -> Path:
    """Write the client package into `target_dir` and return the package's directory."""
    config = {
        "schema_path": str(ROOT / "schema.graphql"),
        "queries_path": str(OPERATIONS_DIR),
        "target_package_name": PACKAGE,
        "target_package_path": str(target_dir),
        "client_name": "TsunaguClient",
        "async_client": True,
        "include_comments": "none",
        # Only what the operations use, so a new type elsewhere in the schema changes nothing here.
        "include_all_inputs": False,
        "include_all_enums": False,
    }
    # TOML's basic strings are JSON strings, so json.dumps quotes each value correctly.
    toml = "[tool.ariadne-codegen]\n" + "".join(f"{key} = {json.dumps(value)}\n" for key, value in config.items())
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "pyproject.toml"
        path.write_text(toml, encoding="utf-8")
        subprocess.run([str(codegen_executable()), "--config", str(path), "client"], check=True, cwd=scratch)
    return target_dir / PACKAGE


def main() -> int:
    with tempfile.TemporaryDirectory() as scratch:
        fresh = generate(Path(scratch))
        shutil.rmtree(CLIENT_DIR / PACKAGE, ignore_errors=True)
        shutil.copytree(fresh, CLIENT_DIR / PACKAGE, ignore=shutil.ignore_patterns("__pycache__"))
    print(f"wrote {(CLIENT_DIR / PACKAGE).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
