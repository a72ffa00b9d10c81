"""The sdist and wheel: what they carry, and the wheel installed in a fresh venv.

These build and install packages from the package index, so they run only in
``./runtests -s packaging`` (which sets ``DJPYFS_PACKAGING_TESTS``).
"""

from __future__ import annotations

import email.parser
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SMOKE_SITE = Path(__file__).parent / "smoke_site"

if not os.environ.get("DJPYFS_PACKAGING_TESTS"):
    pytest.skip(
        "builds and installs packages; run by ./runtests -s packaging",
        allow_module_level=True,
    )


def package_files() -> set[str]:
    """Every file of the djpyfs package in the source tree, as 'djpyfs/...'."""
    return {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "djpyfs").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


def version() -> str:
    namespace: dict[str, str] = {}
    init = (ROOT / "djpyfs" / "__init__.py").read_text()
    line = next(ln for ln in init.splitlines() if ln.startswith("__version__"))
    exec(line, namespace)
    return namespace["__version__"]


@pytest.fixture(scope="session")
def dists(tmp_path_factory) -> dict[str, Path]:
    """The wheel and sdist built by ``python -m build`` (the wheel from the sdist)."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = out.glob("*.whl")
    (sdist,) = out.glob("*.tar.gz")
    return {"wheel": wheel, "sdist": sdist}


@pytest.fixture(scope="session")
def wheel_names(dists) -> set[str]:
    with zipfile.ZipFile(dists["wheel"]) as wheel:
        return set(wheel.namelist())


@pytest.fixture(scope="session")
def sdist_names(dists) -> set[str]:
    with tarfile.open(dists["sdist"]) as sdist:
        top = f"djpyfs-{version()}/"
        return {m.name.removeprefix(top) for m in sdist.getmembers() if m.isfile()}


def test_dists_are_named_for_the_version(dists):
    assert dists["wheel"].name == f"djpyfs-{version()}-py3-none-any.whl"
    assert dists["sdist"].name == f"djpyfs-{version()}.tar.gz"


def test_wheel_carries_every_package_file(wheel_names):
    assert package_files() - wheel_names == set()


def test_wheel_carries_migrations_and_type_marker(wheel_names):
    assert {"djpyfs/py.typed", "djpyfs/migrations/0001_initial.py"} <= wheel_names


def test_wheel_carries_no_tests(wheel_names):
    assert not [name for name in wheel_names if name.startswith("tests/")]


def test_wheel_metadata_names_license_dependencies_and_extras(dists):
    with zipfile.ZipFile(dists["wheel"]) as wheel:
        (meta_name,) = [
            n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")
        ]
        metadata = email.parser.Parser().parsestr(wheel.read(meta_name).decode())
        names = wheel.namelist()
    requires = metadata.get_all("Requires-Dist")
    assert any(name.endswith(".dist-info/licenses/LICENSE") for name in names) or any(
        name.endswith(".dist-info/LICENSE") for name in names
    )
    assert "Apache" in (metadata.get("License-Expression") or metadata.get("License"))
    assert metadata["Requires-Python"] == ">=3.11"
    assert {"s3", "celery"} <= set(metadata.get_all("Provides-Extra"))
    assert any(r.startswith("fs") and "2.4.16" in r for r in requires)


def test_sdist_carries_the_package_license_and_readme(sdist_names):
    assert package_files() | {
        "LICENSE",
        "README.md",
        "setup.cfg",
        "pyproject.toml",
    } <= (sdist_names)


def test_sdist_carries_no_tests(sdist_names):
    assert not [name for name in sdist_names if name.startswith("tests/")]


def fresh_venv(python: str, where: Path) -> Path:
    """A new virtualenv on ``python`` with the newest pip and setuptools."""
    interpreter = shutil.which(python)
    assert interpreter, f"{python} not found on PATH"
    subprocess.run([interpreter, "-m", "venv", str(where)], check=True)
    bin_python = where / "bin" / "python"
    pip = [str(bin_python), "-m", "pip", "install", "--quiet", "--upgrade"]
    subprocess.run([*pip, "pip", "setuptools"], check=True)
    return bin_python


@pytest.mark.parametrize("python", ["python3.11", "python3.13"])
def test_wheel_works_in_a_fresh_virtualenv(python, dists, tmp_path):
    venv_python = fresh_venv(python, tmp_path / "venv")
    subprocess.run(
        [str(venv_python), "-m", "pip", "install", "--quiet", str(dists["wheel"])],
        check=True,
    )
    site = shutil.copytree(SMOKE_SITE, tmp_path / "site")

    def run(*args: str) -> str:
        done = subprocess.run(
            [str(venv_python), *args],
            cwd=site,
            capture_output=True,
            text=True,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "settings"},
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    assert "import fs ok" in run("-c", "import fs, fs.osfs; print('import fs ok')")
    assert "no issues" in run("manage.py", "check")
    run("manage.py", "migrate", "--verbosity", "0")
    assert f"djpyfs {version()} served /djpyfs/" in run("smoke.py")
