"""The models: the source document's MLP (the default) and a small CNN."""

from __future__ import annotations

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


MODELS = {"mlp": MLP, "cnn": CNN}


def build(name: str) -> nn.Module:
    return MODELS[name]()
