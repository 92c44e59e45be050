"""vatui installs as one package, `vatui`, and lives beside packages named store, screens or
exports: the folders store/, screens/ and exports/ install as vatui.store, vatui.screens and
vatui.exports (pyproject.toml's package-dir)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LEFT_OUT = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", "tests"
)


def build_wheel(tmp_path: Path) -> tuple[Path, str]:
    """A wheel built from a copy of the checkout (a build in place could ship stale files)."""
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=LEFT_OUT)
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w"]
        + [str(tmp_path / "dist"), str(source)],
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = (tmp_path / "dist").glob("vatui-*.whl")
    return wheel, built.stdout + built.stderr


def test_the_wheel_holds_one_top_level_package_and_its_data(tmp_path: Path) -> None:
    wheel, log = build_wheel(tmp_path)
    names = zipfile.ZipFile(wheel).namelist()
    (top_level,) = [name for name in names if name.endswith("top_level.txt")]
    assert zipfile.ZipFile(wheel).read(top_level).decode().split() == ["vatui"]
    assert {name.split("/")[0] for name in names if ".dist-info/" not in name} == {"vatui"}
    assert "vatui/store/data/imagine.toml" in names
    assert "vatui/help.md" in names and "vatui/screens/dashboard.tcss" in names
    assert any(name.startswith("vatui/serve_templates/") for name in names)
    tcss = {Path(name).name for name in names if name.endswith(".tcss")}
    assert tcss == {path.name for path in (ROOT / "screens").rglob("*.tcss")}
    assert "absent from the `packages` configuration" not in log


def test_vatui_works_beside_other_packages_named_store_screens_and_exports(
    tmp_path: Path,
) -> None:
    """Another distribution's top-level store, screens and exports neither hide vatui's
    packages nor are hidden by them."""
    others = tmp_path / "site"
    for name in ("store", "screens", "exports"):
        (others / name).mkdir(parents=True)
        (others / name / "__init__.py").write_text(f"OWNER = 'another {name}'\n")
    (others / "exports" / "tables.py").write_text("def clean(text): return 'not vatui'\n")
    env = {**os.environ, "PYTHONPATH": str(others)}
    run: dict[str, Any] = {"cwd": tmp_path, "capture_output": True, "text": True, "env": env}
    db = str(tmp_path / "wp5.db")
    cli = [sys.executable, "-m", "vatui.cli"]
    assert subprocess.run([*cli, "init", "--demo", "--db", db], **run).returncode == 0
    exported = subprocess.run([*cli, "export", "--db", db, "--period", "M13-M24"], **run)
    assert exported.returncode == 0, exported.stderr
    assert "Flowcam" in exported.stdout
    both = subprocess.run(
        [sys.executable, "-c", "import vatui.app, store, exports.tables; print(store.OWNER)"],
        **run,
    )
    assert both.stdout.strip() == "another store", both.stderr


def test_no_module_is_imported_under_a_top_level_name_of_ours() -> None:
    """The suite runs from the checkout, where `import store` would still find store/: no
    module of vatui may use that name (each would be a second copy of the module)."""
    import vatui.app  # noqa: F401  (loads the shell, the screens, the exports and the store)

    assert not {"store", "screens", "exports"} & set(sys.modules)
