"""The reference model: the MNIST MLP 784→500→10 and a fast, GPU-aware training loop.

Read top to bottom: model.py, data.py, optim.py, train.py, dist.py, bench.py, __main__.py.
This folder stands alone: it imports torch, torchvision and the standard library, never the
rest of the project, so a researcher can copy it into any repository and run
``python -m reference_model``.
"""

MEAN, STD = 0.1307, 0.3081  # MNIST training-set pixel statistics, on the [0, 1] scale


class UserError(Exception):
    """Bad input (a flag, a file, a checkpoint): the message says what is wrong, where, and how
    to fix it. The command line prints it as one line and exits 2."""
