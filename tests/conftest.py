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


@pytest.fixture
def sample_root(tmp_path) -> Path:
    """A project root holding the tests' own policy and events and this identity."""
    root = tmp_path / "project"
    (root / "governance").mkdir(parents=True)
    shutil.copy2(ROOT / "identity.toml", root / "identity.toml")
    shutil.copy2(SAMPLE_POLICY, root / "governance" / "policy.yml")
    shutil.copy2(SAMPLE_EVENTS, root / "governance" / "events.yml")
    return root
