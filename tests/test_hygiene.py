"""The core stays UI-free: checked in a fresh interpreter, as harlequin does."""

from __future__ import annotations

import subprocess
import sys

import pytest

CORE = ["tui.corpus", "tui.decode", "tui.sanitize", "tui.headers", "tui.markdown", "tui.store"]


@pytest.mark.parametrize("module", CORE)
def test_core_module_imports_neither_textual_nor_rich(module: str) -> None:
    code = (
        f"import sys, {module}; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'rich'}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"
