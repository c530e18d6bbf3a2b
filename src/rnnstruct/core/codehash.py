"""Which code produced a result: the hash of the source files a module imports, transitively.

Every rule of the workflow takes :func:`script_hash` of its script (the modules the script imports,
with a figure builder's module added) as a parameter, so Snakemake reruns it exactly when a file it
can reach through imports changes: editing ``rnnstruct/clark/pcs.py`` reruns the Clark stages that
import it and nothing of Metzner or Jarne;
editing a figure module reruns no computation, because computing modules never import rendering
modules (a test checks that).  What is excluded is decided by where code lives and what imports it,
not by a list of names.

The import graph is read statically (:mod:`ast`) from ``import rnnstruct...``, ``from rnnstruct...
import`` and relative imports anywhere in a file, function bodies included.  Each module's package
``__init__`` files and a data file next to a module with the same stem (``variables.yaml`` beside
``variables.py``) belong to the closure as well.
"""

from __future__ import annotations

import ast
import functools
import hashlib
from pathlib import Path
from typing import Iterable

#: the package directory (src/rnnstruct)
ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT.name
DATA_SUFFIXES = (".yaml",)


def module_path(name: str) -> Path | None:
    """Source file of module ``name`` (``rnnstruct.a.b``), its ``__init__.py`` for a package, or None."""
    parts = name.split(".")
    if parts[0] != PACKAGE:
        return None
    base = ROOT.joinpath(*parts[1:])
    if (base / "__init__.py").is_file():
        return base / "__init__.py"
    if base.with_suffix(".py").is_file():
        return base.with_suffix(".py")
    return None


def module_name(path: Path) -> str:
    rel = path.resolve().relative_to(ROOT).with_suffix("")
    parts = [PACKAGE, *rel.parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _parents(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def _imported(path: Path, here: str) -> set[str]:
    """Modules of this package imported anywhere in the file ``path``; ``here`` is the package that
    relative imports start from ("" for a file outside the package)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here.split(".")
                base = base[: len(base) - (node.level - 1)]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module or ""
            targets = [origin] + [f"{origin}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            if module_path(target) is not None:
                found.add(target)
                found.update(p for p in _parents(target) if module_path(p) is not None)
    return found


@functools.lru_cache(maxsize=None)
def imports(name: str) -> tuple[str, ...]:
    """Modules of this package that module ``name`` imports (anywhere in the file), sorted."""
    path = module_path(name)
    if path is None:
        raise ModuleNotFoundError(f"no module {name!r} under {ROOT}")
    here = name if path.name == "__init__.py" else name.rpartition(".")[0]
    return tuple(sorted(_imported(path, here)))


def closure(roots: Iterable[str]) -> list[Path]:
    """Source and data files reachable from the modules ``roots`` (a package stands for its
    ``__init__`` and what that imports, not for all its modules)."""
    todo: list[str] = []
    for root in roots:
        if module_path(root) is None:
            raise ModuleNotFoundError(f"no module {root!r} under {ROOT}")
        todo.append(root)
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo += [p for p in _parents(name) if module_path(p) is not None]
        todo += imports(name)
    files = set()
    for name in seen:
        path = module_path(name)
        files.add(path)
        files.update(p for p in (path.with_suffix(s) for s in DATA_SUFFIXES) if p.is_file())
    return sorted(files)


def _digest(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


@functools.lru_cache(maxsize=None)
def code_hash(*roots: str) -> str:
    """SHA-256 over the relative paths and bytes of :func:`closure` of ``roots``."""
    return _digest(closure(roots))


@functools.lru_cache(maxsize=None)
def package_hash() -> str:
    """SHA-256 of every source and data file of the package (the provenance of a whole release)."""
    files = (p for p in ROOT.rglob("*") if p.suffix in (".py",) + DATA_SUFFIXES and "__pycache__" not in p.parts)
    return _digest(sorted(files))


def script_hash(script: str | Path, *roots: str) -> str:
    """:func:`code_hash` of the modules a workflow script imports (plus ``roots``, e.g. a figure
    builder's module that the script imports by name at run time)."""
    return code_hash(*sorted(_imported(Path(script), "")), *roots)
