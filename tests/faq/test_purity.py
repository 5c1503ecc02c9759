"""The FAQ core stays pure: no Telegram, no database, no Khmer-hostile text helpers."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

FAQ = Path(__file__).resolve().parents[2] / "faq"


def test_importing_the_core_loads_neither_telegram_nor_sqlalchemy() -> None:
    code = (
        "import sys, faq.content, faq.matcher, faq.normalize, faq.tokens;"
        "from faq.matcher import Matcher; from faq.content import load_faq;"
        "Matcher(load_faq()).match('ប្រាក់សោធន');"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('telegram', 'sqlalchemy', 'bot')];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_khmer_hostile_helpers_in_the_core() -> None:
    """`str.isalnum`, `re`'s \\w and rapidfuzz's default_process break Khmer (see docs)."""
    for path in FAQ.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute):
                assert node.attr not in ("isalnum", "default_process", "WRatio"), (
                    path,
                    node.lineno,
                )
            is_re_call = (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "re"
            )
            if is_re_call and node.args:
                pattern = ast.unparse(node.args[0])
                assert "\\w" not in pattern and "\\W" not in pattern, (path, node.lineno)
