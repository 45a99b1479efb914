"""What a user installs: the package from site-packages (not the source tree), typed, and written
in Python 3.9 syntax whatever interpreter runs the tests."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import argus

SOURCES = Path(__file__).resolve().parents[1] / "src" / "argus"


def test_the_installed_package_is_typed() -> None:
    installed = Path(argus.__file__).parent
    assert (installed / "py.typed").exists()
    if not os.environ.get("PYTHONPATH"):  # the wrapper runs the pip-installed copy
        assert "site-packages" in str(installed)


def test_sources_parse_as_python_3_9() -> None:
    files = sorted(SOURCES.rglob("*.py"))
    assert len(files) >= 10
    for path in files:
        ast.parse(path.read_text(), filename=str(path), feature_version=(3, 9))


def test_public_api() -> None:
    for name in (
        "init",
        "observe",
        "session",
        "user",
        "tags",
        "score",
        "flush",
        "shutdown",
        "inject_headers",
        "extract_context",
        "instrument_flask",
        "ArgusASGIMiddleware",
        "chain",
        "tool",
        "retriever",
        "agent",
    ):
        assert callable(getattr(argus, name)), name
