"""The README's layout section names every module of graph/ and api/ and every sub-package."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _layout_block() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Layout\n", 1)[1].split("\n## ", 1)[0]
    return section.split("```\n", 2)[1]


def test_every_module_and_sub_package_is_in_the_readme_layout() -> None:
    block = _layout_block()
    named = set(re.findall(r"[\w]+\.py", block)) | set(re.findall(r"(\w+)/", block))
    modules = sorted(
        path
        for package in ("graph", "api")
        for path in (REPO / package).rglob("*.py")
        if path.name != "__init__.py" and "__pycache__" not in path.parts
    )
    assert len(modules) > 40
    missing = [str(p.relative_to(REPO)) for p in modules if p.name not in named]
    folders = {p.parent.name for p in modules if p.parent.name not in ("graph", "api")}
    assert not missing, f"modules the README's layout does not name: {missing}"
    assert folders <= named, f"sub-packages the README's layout does not name: {folders - named}"
