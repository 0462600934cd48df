# `make demo` and `make test` are the two commands a fresh clone needs.
# Everything is installed into .venv; nothing outside the checkout is touched.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# The one place torch and torchvision are pinned. On the project's build machines these
# wheels lie on local disk; on your machine any recent matching pair works, e.g.
#   make test TORCH_PINS="torch torchvision"
TORCH_PINS ?= torch==2.14.1 torchvision==0.29.1

# The MNIST root for `make bench`: the shared 5k/10k split where a checkout has it, else data/.
DATA_DIR ?= $(firstword $(wildcard ../shared/datasets/mnist-5k) data)

# A Python with the peers that `make bench` compares the community report with (git-fame,
# PyDriller, Perceval), kept out of .venv, e.g.
#   python3 -m venv .peers && .peers/bin/pip install git-fame pydriller perceval
#   make bench PEERS_PYTHON=.peers/bin/python
PEERS_PYTHON ?= $(BIN)/python

# Identity for `make rename`, e.g. make rename NAME=Acme REPO=acme/acme; without them, the
# identity.toml you edited is applied.
NAME ?=
REPO ?=

.PHONY: help demo test lint unit bench docs serve-docs rename clean

help:
	@echo "make demo        install into .venv and run the community report of this repository"
	@echo "make test        install with the dev extras, run the quality gates and the test suite"
	@echo "make bench       run the benchmarks (reference model and tools), side by side with baselines"
	@echo "make docs        build the documentation site strictly into site/"
	@echo "make serve-docs  serve the documentation site on http://127.0.0.1:8000"
	@echo "make rename NAME=... REPO=owner/repo   turn this fork into another project"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# The base install: the community tools, no torch.
$(VENV)/.base: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	@touch $@

# The full development install: torch (pinned above), docs, tests, quality gates.
$(VENV)/.dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q $(TORCH_PINS)
	$(BIN)/pip install -q -e '.[dev]'
	@touch $@ $(VENV)/.base

demo: $(VENV)/.base
	$(BIN)/community-report . --output community-report.html --format html
	$(BIN)/community-report .
	@echo "HTML report written to community-report.html"

lint: $(VENV)/.dev
	$(BIN)/pre-commit run --all-files --show-diff-on-failure

unit: $(VENV)/.dev
	$(BIN)/python -m pytest

test: lint unit

bench: $(VENV)/.dev
	$(BIN)/python -m reference_model bench --data-dir "$(DATA_DIR)" --json bench-reference-model.json \
		--plot docs/assets/reference-model-bench.svg
	$(BIN)/python -m benchmarks.community_report --json bench-community-report.json
	$(BIN)/python -m benchmarks.community_store --json bench-community-store.json
	$(BIN)/python -m benchmarks.community_peers --peers-python "$(PEERS_PYTHON)" \
		--json bench-community-peers.json
	$(BIN)/python -m benchmarks.review_bot --json bench-review-bot.json
	$(BIN)/python -m benchmarks.governance --json bench-governance.json

docs: $(VENV)/.dev
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

serve-docs: $(VENV)/.dev
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

rename: $(VENV)/.base
	$(BIN)/governance rename $(if $(NAME),--name "$(NAME)" --repository "$(REPO)",)

clean:
	rm -rf site build *.egg-info .pytest_cache community-report.html
