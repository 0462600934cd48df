"""Shared fixtures and the gpu/browser markers' skips."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

# In CI the property tests draw the same examples every run (a red build must reproduce);
# locally they explore new ones each time.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parents[1]
# The tests' own policy and events: fixed data, independent of the project's governance/.
SAMPLE_POLICY = ROOT / "tests" / "data" / "policy.yml"
SAMPLE_EVENTS = ROOT / "tests" / "data" / "events.yml"
SHARED_DATASETS = ROOT.parent / "shared" / "datasets"


@pytest.fixture(autouse=True)
def _own_cache_dir(tmp_path_factory, monkeypatch):
    """Each test its own cache directory: the community report's store and the GitHub cache
    never land in the user's, nor carry over from one test to the next."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))


def pytest_collection_modifyitems(config, items):
    try:
        import torch

        has_cuda = torch.cuda.is_available()
    except ImportError:
        has_cuda = False
    has_chromium = shutil.which("chromium") is not None
    for item in items:
        if "gpu" in item.keywords and not has_cuda:
            item.add_marker(pytest.mark.skip(reason="needs a CUDA device; none here"))
        if "browser" in item.keywords and not has_chromium:
            item.add_marker(
                pytest.mark.skip(reason="needs Chromium on the PATH (apt-get install chromium)")
            )


@pytest.fixture(scope="session")
def mnist_5k() -> Path:
    """Real MNIST digits: $MNIST_ROOT when set (any MNIST root, e.g. one filled by
    `python -m reference_model train --download`), else the 5k/10k split of ../shared/datasets
    when this checkout has it; otherwise the accuracy tests are skipped, saying why."""
    env = os.environ.get("MNIST_ROOT")
    root = Path(env) if env else SHARED_DATASETS / "mnist-5k"
    if not (root / "MNIST" / "raw" / "train-images-idx3-ubyte").is_file():
        where = f"$MNIST_ROOT={env}" if env else str(root)
        pytest.skip(
            f"real MNIST digits not found at {where}: run `make mnist` (fetches MNIST into "
            "data/), then MNIST_ROOT=data make test"
        )
    return root


def _training_digits(root: Path) -> int | None:
    """How many training digits an MNIST root holds (its label file's header), or None."""
    import gzip
    import struct

    raw = root / "MNIST" / "raw" / "train-labels-idx1-ubyte"
    packed = raw.with_name(raw.name + ".gz")
    if raw.is_file():
        head = raw.read_bytes()[:8]
    elif packed.is_file():
        with gzip.open(packed) as f:
            head = f.read(8)
    else:
        return None
    magic, count = struct.unpack(">II", head)
    return count if magic == 2049 else None


@pytest.fixture(scope="session")
def mnist_real() -> tuple[Path, str]:
    """(root, "60k" or "5k"): the full MNIST when it is at hand — $MNIST_ROOT when that holds
    60,000 training digits, else ../shared/datasets/mnist-60k — otherwise the 5k split of
    ``mnist_5k``; the accuracy tests' floors are those of the set they run on."""
    env = os.environ.get("MNIST_ROOT")
    for root in ([Path(env)] if env else []) + [SHARED_DATASETS / "mnist-60k"]:
        if _training_digits(root) == 60_000:
            return root, "60k"
    for root in ([Path(env)] if env else []) + [SHARED_DATASETS / "mnist-5k"]:
        if _training_digits(root) == 5_000:
            return root, "5k"
    pytest.skip(
        "real MNIST digits not found ($MNIST_ROOT, ../shared/datasets/mnist-60k or mnist-5k): "
        "run `make mnist` (fetches MNIST into data/), then MNIST_ROOT=data make test"
    )


@pytest.fixture
def sample_root(tmp_path) -> Path:
    """A project root holding the tests' own policy and events and this identity."""
    root = tmp_path / "project"
    (root / "governance").mkdir(parents=True)
    shutil.copy2(ROOT / "identity.toml", root / "identity.toml")
    shutil.copy2(SAMPLE_POLICY, root / "governance" / "policy.yml")
    shutil.copy2(SAMPLE_EVENTS, root / "governance" / "events.yml")
    return root


class Installed:
    """The built wheel unpacked as pip would into a folder of its own, outside the checkout,
    with the project's dependencies from this environment behind it (nothing downloaded)."""

    def __init__(self, site: Path, venv_python: Path, home: Path):
        self.site, self.python, self.home = site, venv_python, home
        self.env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}

    def run(self, module: str, args: list[str], cwd: Path, env: dict | None = None,
            torch: bool = False):  # fmt: skip
        """``module``'s ``main(args)`` as its console script runs it; torch unimportable
        unless ``torch``."""
        import subprocess

        hide = "" if torch else "import sys; sys.modules['torch'] = None; "
        code = f"{hide}from {module} import main; raise SystemExit(main({args!r}))"
        return subprocess.run([self.python, "-c", code], cwd=cwd, capture_output=True,
                              text=True, env={**self.env, **(env or {})})  # fmt: skip


@pytest.fixture(scope="session")
def installed_wheel(tmp_path_factory) -> Installed:
    import subprocess
    import sys
    import sysconfig

    base = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                    "--no-build-isolation", "--no-index", "-w", str(base / "dist"), str(ROOT)],
                   check=True, capture_output=True)  # fmt: skip
    (wheel,) = (base / "dist").glob("*.whl")
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    own = Path(subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()"
                               "['purelib'])"], capture_output=True, text=True,
                              check=True).stdout.strip())  # fmt: skip
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index",
                    "--target", str(own), str(wheel)], check=True, capture_output=True)  # fmt: skip
    (own / "zz-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    home = base / "elsewhere"
    home.mkdir()
    installed = Installed(own, python, home)
    installed.wheel = wheel
    return installed
