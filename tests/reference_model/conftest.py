from __future__ import annotations

import pytest

from tests.reference_model.idx import write_mnist


@pytest.fixture
def tiny_mnist(tmp_path):
    """600 training and 200 test images of synthetic digits, in the torchvision layout."""
    return write_mnist(tmp_path / "mnist")
