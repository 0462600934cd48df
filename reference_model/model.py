"""The models: the source document's MLP (the default), a CNN, and the small CNN of the 99%
recipe."""

from __future__ import annotations

import torch
from torch import nn


class MLP(nn.Module):
    """784 → 500 → 10 with a ReLU: the source document's network."""

    def __init__(self, hidden: int = 500) -> None:
        super().__init__()
        self.net = nn.Sequential(
            nn.Flatten(), nn.Linear(28 * 28, hidden), nn.ReLU(), nn.Linear(hidden, 10)
        )

    def forward(self, x):
        return self.net(x)


class CNN(nn.Module):
    """Two 5×5 convolutions with max-pooling, then a 128-unit layer: the accurate option."""

    def __init__(self) -> None:
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),  # 32×14×14
            nn.Conv2d(32, 64, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),  # 64×7×7
        )  # fmt: skip
        self.classifier = nn.Sequential(
            nn.Flatten(), nn.Dropout(0.25), nn.Linear(64 * 7 * 7, 128), nn.ReLU(),
            nn.Dropout(0.25), nn.Linear(128, 10),
        )  # fmt: skip

    def forward(self, x):
        return self.classifier(self.features(x.view(-1, 1, 28, 28)))


class SmallCNN(nn.Module):
    """Two strided convolutions with batch norm, then a 128-unit layer: the ``cnn99`` recipe's
    network (99% test accuracy in three epochs). Strides instead of pooling, and
    channels-last tensors, are what make it quick on a CPU."""

    def __init__(self) -> None:
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 5, stride=2, padding=2), nn.BatchNorm2d(16), nn.ReLU(),  # 16×14×14
            nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.BatchNorm2d(32), nn.ReLU(),  # 32×7×7
        )  # fmt: skip
        self.classifier = nn.Sequential(
            nn.Flatten(), nn.Linear(32 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10)
        )
        self.to(memory_format=torch.channels_last)

    def forward(self, x):
        x = x.view(-1, 1, 28, 28).contiguous(memory_format=torch.channels_last)
        return self.classifier(self.features(x))


MODELS = {"mlp": MLP, "cnn": CNN, "small-cnn": SmallCNN}


def build(name: str) -> nn.Module:
    return MODELS[name]()
