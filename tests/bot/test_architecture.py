"""Rules of the architecture that a change could break without any other test noticing."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

ROOT = Path(__file__).parents[2]
# Every module of the text catalogue: read from the package, so a new one cannot be left out.
TEXT_MODULES = sorted(p.stem for p in (ROOT / "bot" / "texts").glob("*.py") if p.stem != "__init__")


def test_every_text_module_is_re_exported_by_the_catalogue():
    init = (ROOT / "bot" / "texts" / "__init__.py").read_text(encoding="utf-8")
    assert [m for m in TEXT_MODULES if f"from bot.texts.{m} import *" not in init] == []


def test_only_the_adapters_import_the_platform_libraries():
    pattern = re.compile(r"^\s*(from|import)\s+(telegram|wechatpy)\b", re.M)
    offenders = [str(p.relative_to(ROOT)) for pkg in ("bot", "handlers", "conversations", "storage")
                 for p in (ROOT / pkg).rglob("*.py")
                 if "adapters" not in p.parts and pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_no_two_text_modules_define_the_same_name_differently():
    """All texts are re-exported by bot.texts: a second definition would silently win."""
    seen: dict[str, tuple[str, object]] = {}
    clashes = []
    for name in TEXT_MODULES:
        module = importlib.import_module(f"bot.texts.{name}")
        for key in (k for k in vars(module) if k.isupper()):
            value = getattr(module, key)
            if key in seen and seen[key][1] != value:
                clashes.append((key, seen[key][0], name))
            seen[key] = (name, value)
    assert clashes == []
    exported = set(vars(importlib.import_module("bot.texts")))
    assert set(seen) <= exported  # every text module is re-exported


def test_role_decisions_live_in_the_policy_module():
    """Who may do what is decided in bot/policy.py; elsewhere code asks it instead of reading roles."""
    pattern = re.compile(r"\.role\s*(==|!=|in\b|not\s+in\b)")
    offenders = [str(p.relative_to(ROOT)) for pkg in ("bot", "handlers", "conversations")
                 for p in (ROOT / pkg).rglob("*.py")
                 if p != ROOT / "bot" / "policy.py" and pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
