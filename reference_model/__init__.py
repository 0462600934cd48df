"""The reference model: the MNIST MLP 784→500→10 and a fast, GPU-aware training loop.

Read top to bottom: model.py, data.py, optim.py, train.py, dist.py, bench.py, __main__.py.
"""

MEAN, STD = 0.1307, 0.3081  # MNIST training-set pixel statistics, on the [0, 1] scale
