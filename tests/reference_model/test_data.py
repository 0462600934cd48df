from __future__ import annotations

import numpy as np
import pytest
import torch

from reference_model import UserError, data
from tests.reference_model.idx import images_bytes, labels_bytes, synthetic, write_mnist


@pytest.mark.parametrize("gz", [False, True])
def test_reads_what_was_written(tmp_path, gz):
    root = write_mnist(tmp_path, n_train=50, n_test=20, gz=gz)
    split = data.load_split(root, "train")
    images, labels = synthetic(50, seed=1)
    assert split.images.dtype == torch.uint8 and split.images.shape == (50, 784)
    assert torch.equal(split.images, torch.from_numpy(images.reshape(50, 784)))
    assert torch.equal(split.labels, torch.from_numpy(labels).long())
    assert len(data.load_split(root, "test")) == 20


def test_normalise_matches_torchvision_transforms():
    from torchvision import transforms

    images, _ = synthetic(4, seed=3)
    tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
    expected = torch.stack([tf(img) for img in images]).view(4, 784)
    got = data.normalise(torch.from_numpy(images).view(4, 784))
    torch.testing.assert_close(got, expected)


def _raw(tmp_path):
    write_mnist(tmp_path, n_train=30, n_test=10)
    return tmp_path / "MNIST" / "raw"


def _error(root, split="train") -> str:
    with pytest.raises(UserError) as info:
        data.load_split(root, split)
    message = str(info.value)
    assert "\n" not in message
    return message


def test_missing_file_is_named_with_how_to_get_it(tmp_path):
    raw = _raw(tmp_path)
    (raw / "t10k-labels-idx1-ubyte").unlink()
    message = _error(tmp_path, "test")
    assert "t10k-labels-idx1-ubyte: missing" in message and "--download" in message


def test_truncated_images_file(tmp_path):
    raw = _raw(tmp_path)
    path = raw / "train-images-idx3-ubyte"
    path.write_bytes(path.read_bytes()[:-100])
    assert "train-images-idx3-ubyte" in (m := _error(tmp_path)) and "truncated" in m


def test_truncated_header(tmp_path):
    raw = _raw(tmp_path)
    (raw / "train-labels-idx1-ubyte").write_bytes(b"\x00\x00")
    assert "truncated header" in _error(tmp_path)


def test_bad_magic_number(tmp_path):
    raw = _raw(tmp_path)
    images, _ = synthetic(30, seed=1)
    (raw / "train-images-idx3-ubyte").write_bytes(images_bytes(images, magic=2049))
    assert "magic number 2049, expected 2051" in _error(tmp_path)


def test_label_count_differs_from_image_count(tmp_path):
    raw = _raw(tmp_path)
    (raw / "train-labels-idx1-ubyte").write_bytes(labels_bytes(np.zeros(29)))
    assert "29 labels for 30 images" in _error(tmp_path)


def test_label_out_of_range(tmp_path):
    raw = _raw(tmp_path)
    (raw / "train-labels-idx1-ubyte").write_bytes(labels_bytes(np.full(30, 11)))
    assert "label 11 is outside 0–9" in _error(tmp_path)


def test_wrong_image_size(tmp_path):
    raw = _raw(tmp_path)
    (raw / "train-images-idx3-ubyte").write_bytes(images_bytes(np.zeros((30, 32, 32))))
    assert "32×32, expected 28×28" in _error(tmp_path)


def test_corrupt_gzip(tmp_path):
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    (raw / "train-images-idx3-ubyte.gz").write_bytes(b"not gzip at all")
    assert "not a readable gzip file" in _error(tmp_path)


def test_epoch_order_depends_only_on_seed_and_epoch():
    a = data.epoch_order(1000, seed=7, epoch=3, device=torch.device("cpu"))
    b = data.epoch_order(1000, seed=7, epoch=3, device=torch.device("cpu"))
    c = data.epoch_order(1000, seed=7, epoch=4, device=torch.device("cpu"))
    assert torch.equal(a, b) and not torch.equal(a, c)
    assert torch.equal(a.sort().values, torch.arange(1000))


def test_tile_repeats_the_split(tmp_path):
    split = data.load_split(write_mnist(tmp_path, n_train=10, n_test=5), "train")
    tiled = split.tile(3)
    assert len(tiled) == 30 and torch.equal(tiled.images[20:], split.images)
