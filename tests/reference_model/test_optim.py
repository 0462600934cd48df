from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from reference_model import data, model, optim
from tests.reference_model.idx import synthetic


@pytest.mark.parametrize("name", sorted(optim.OPTIMIZERS))
def test_every_optimizer_lowers_the_loss_within_20_steps(name):
    images, labels = synthetic(256, seed=5)
    x = data.normalise(torch.from_numpy(images).view(256, 784))
    y = torch.from_numpy(labels).long()
    torch.manual_seed(0)
    net = model.MLP()
    opt = optim.make_optimizer(name, net.parameters())
    first = F.cross_entropy(net(x), y).item()
    for _ in range(20):
        opt.zero_grad()
        F.cross_entropy(net(x), y).backward()
        opt.step()
    assert F.cross_entropy(net(x), y).item() < 0.8 * first


def _quadratic_grad(w, target):
    # L(w) = ½‖w − target‖², so ∇L = w − target
    return w - target


def _torch_steps(opt_factory, w0, target, lrs):
    w = torch.nn.Parameter(w0.clone())
    opt = opt_factory([w])
    for lr in lrs:
        for group in opt.param_groups:
            group["lr"] = lr
        opt.zero_grad()
        (0.5 * (w - target).pow(2).sum()).backward()
        opt.step()
    return w.detach()


W0 = torch.tensor([1.0, -2.0, 3.0, 0.5], dtype=torch.float64)
TARGET = torch.tensor([0.0, 1.0, -1.0, 2.0], dtype=torch.float64)


def test_sgd_is_the_documents_gradient_descent_rule():
    # θ ← θ − η ∇J(θ)
    eta, w = 0.1, W0.clone()
    for _ in range(5):
        w = w - eta * _quadratic_grad(w, TARGET)
    got = _torch_steps(lambda p: optim.make_optimizer("sgd", p, lr=eta), W0, TARGET, [eta] * 5)
    torch.testing.assert_close(got, w)


def test_stochastic_gradient_descent_on_single_examples():
    # θ ← θ − η ∇J(θ; x⁽ⁱ⁾, y⁽ⁱ⁾), one example at a time, for a linear least-squares model
    xs = torch.tensor([[1.0, 2.0], [0.5, -1.0], [2.0, 0.0]], dtype=torch.float64)
    ys = torch.tensor([1.0, 0.0, 2.0], dtype=torch.float64)
    eta, theta = 0.05, torch.zeros(2, dtype=torch.float64)
    for xi, yi in zip(xs, ys, strict=True):
        theta = theta - eta * (theta @ xi - yi) * xi
    p = torch.nn.Parameter(torch.zeros(2, dtype=torch.float64))
    opt = optim.make_optimizer("sgd", [p], lr=eta)
    for xi, yi in zip(xs, ys, strict=True):
        opt.zero_grad()
        (0.5 * (p @ xi - yi) ** 2).backward()
        opt.step()
    torch.testing.assert_close(p.detach(), theta)


def _document_momentum(lrs, gamma=0.9):
    # v ← γ v + η ∇J(θ);  θ ← θ − v   (the learning rate is folded into the velocity)
    w, v = W0.clone(), torch.zeros_like(W0)
    for eta in lrs:
        v = gamma * v + eta * _quadratic_grad(w, TARGET)
        w = w - v
    return w


def test_momentum_matches_the_documents_rule_at_a_constant_rate():
    lrs = [0.05] * 8
    got = _torch_steps(lambda p: optim.make_optimizer("momentum", p), W0, TARGET, lrs)
    torch.testing.assert_close(got, _document_momentum(lrs))


def test_momentum_conventions_part_when_the_rate_changes():
    # torch keeps v ← μ v + g and steps θ ← θ − η v: a schedule rescales the whole velocity
    # at once, where the document's rule only scales the newest gradient (see the docs).
    lrs = [0.05] * 4 + [0.01] * 4
    got = _torch_steps(lambda p: optim.make_optimizer("momentum", p), W0, TARGET, lrs)
    assert not torch.allclose(got, _document_momentum(lrs))


@pytest.mark.parametrize("schedule", optim.SCHEDULES)
def test_schedules_run_over_the_given_steps(schedule):
    net = torch.nn.Linear(2, 2)
    opt = optim.make_optimizer("momentum", net.parameters(), lr=0.1)
    sched = optim.make_schedule(schedule, opt, total_steps=10)
    rates = []
    for _ in range(10):
        opt.step()
        if sched is not None:
            sched.step()
        rates.append(opt.param_groups[0]["lr"])
    if schedule == "none":
        assert rates == [0.1] * 10
    else:
        assert max(rates) <= 0.1 + 1e-12 and rates[-1] < 0.01


def test_onecycle_leaves_plain_sgd_without_momentum():
    net = torch.nn.Linear(2, 2)
    opt = optim.make_optimizer("sgd", net.parameters())
    sched = optim.make_schedule("onecycle", opt, total_steps=10)
    opt.step()
    sched.step()
    assert opt.param_groups[0]["momentum"] == 0
