# `make demo` and `make test` are the two commands a fresh clone needs.
# Everything is installed into .venv; nothing outside the checkout is touched.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# The one place torch and torchvision are pinned. On the project's build machines these
# wheels lie on local disk; on your machine any recent matching pair works, e.g.
#   make test TORCH_PINS="torch torchvision"
TORCH_PINS ?= torch==2.14.1 torchvision==0.29.1
# Where no NVIDIA GPU is present, torch's CPU build (about 200 MB) from PyTorch's CPU index,
# instead of PyPI's default CUDA build (several GB of CUDA libraries that cannot be used
# here). With a GPU, PyPI's build. Set TORCH_INDEX= (empty) to always use PyPI's.
HAS_GPU := $(shell command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1 && echo yes)
TORCH_INDEX ?= $(if $(HAS_GPU),,https://download.pytorch.org/whl/cpu)
# No retries against that index: where it cannot be reached pip goes on with PyPI at once.
TORCH_FROM := $(if $(TORCH_INDEX),--extra-index-url $(TORCH_INDEX) --retries 0,)

# The MNIST root for `make bench`: the shared 5k/10k split where a checkout has it, else data/.
DATA_DIR ?= $(firstword $(wildcard ../shared/datasets/mnist-5k) data)
# The full MNIST (60,000 training digits) for the 99% recipe against pytorch/examples' anchor:
# the shared copy where a checkout has it, else data/ (`make mnist` fetches it there).
FULL_DATA_DIR ?= $(firstword $(wildcard ../shared/datasets/mnist-60k) data)

# A Python with the peers that `make bench` compares the community report with (git-fame,
# PyDriller, Perceval), kept out of .venv, e.g.
#   python3 -m venv .peers && .peers/bin/pip install git-fame pydriller perceval
#   make bench PEERS_PYTHON=.peers/bin/python
PEERS_PYTHON ?= $(BIN)/python
# A clone of a real project for the store's whole-command case (copied, never changed), e.g.
#   make bench REAL_REPO=../pip    (git clone https://github.com/pypa/pip ../pip)
REAL_REPO ?=

# Identity for `make rename`, e.g. make rename NAME=Acme REPO=acme/acme; without them, the
# identity.toml you edited is applied.
NAME ?=
REPO ?=
DESCRIPTION ?=
CONDUCT ?=
SECURITY ?=

.PHONY: help demo test lint unit bench docs serve-docs rename release mnist clean

help:
	@echo "make demo        install into .venv and run the community report of this repository"
	@echo "make test        install with the dev extras, run the quality gates and the test suite"
	@echo "make bench       run the benchmarks (reference model and tools), side by side with baselines"
	@echo "make docs        build the documentation site strictly into site/"
	@echo "make serve-docs  serve the documentation site on http://127.0.0.1:8000"
	@echo "make rename NAME=... REPO=owner/repo [DESCRIPTION=... CONDUCT=... SECURITY=...]"
	@echo "                 turn this fork into another project (reinstalls it under its new name)"
	@echo "make mnist       fetch MNIST into data/ through torchvision, for the accuracy tests"
	@echo "make release     check pyproject.toml, CITATION.cff and CHANGELOG.md agree; tag vX.Y.Z"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# The base install: the community tools, no torch.
$(VENV)/.base: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	@touch $@

# The full development install: torch (pinned above), docs, tests, quality gates.
$(VENV)/.dev: pyproject.toml | $(BIN)/python
	@echo "installing $(TORCH_PINS): $(if $(TORCH_INDEX),the CPU build (no NVIDIA GPU found; ~200 MB from $(TORCH_INDEX), PyPI's where that index is out of reach),PyPI's CUDA build (several GB))"
	$(BIN)/pip install --progress-bar on $(TORCH_FROM) $(TORCH_PINS)
	$(BIN)/pip install -q -e '.[dev]'
	@touch $@ $(VENV)/.base

demo: $(VENV)/.base
	$(BIN)/community-report . --store $(VENV)/community-store.duckdb --output community-report.html --format html
	$(BIN)/community-report . --store $(VENV)/community-store.duckdb
	@echo "HTML report written to community-report.html"

lint: $(VENV)/.dev
	$(BIN)/pre-commit run --all-files --show-diff-on-failure

unit: $(VENV)/.dev
	$(BIN)/python -m pytest

test: lint unit

bench: $(VENV)/.dev
	$(BIN)/python -m reference_model bench --data-dir "$(DATA_DIR)" --json bench-reference-model.json \
		--plot docs/assets/reference-model-bench.svg
	$(BIN)/python -m benchmarks.reference_anchor --data-dir "$(FULL_DATA_DIR)" \
		--json bench-reference-anchor.json
	$(BIN)/python -m benchmarks.community_report --json bench-community-report.json
	$(BIN)/python -m benchmarks.community_store --json bench-community-store.json \
		$(if $(REAL_REPO),--real-repo "$(REAL_REPO)" --blame-repo "$(REAL_REPO)",)
	$(BIN)/python -m benchmarks.community_peers --peers-python "$(PEERS_PYTHON)" \
		--json bench-community-peers.json
	$(BIN)/python -m benchmarks.review_bot --json bench-review-bot.json
	$(BIN)/python -m benchmarks.governance --json bench-governance.json

docs: $(VENV)/.dev
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

serve-docs: $(VENV)/.dev
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

# Renames, then reinstalls under the new distribution name, uninstalling the old one first
# (both would own the same modules and commands).
rename: $(VENV)/.base
	@old=$$($(BIN)/python -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["name"])'); \
	$(BIN)/governance rename $(if $(NAME),--name "$(NAME)" --repository "$(REPO)",) \
		$(if $(DESCRIPTION),--description "$(DESCRIPTION)",) \
		$(if $(CONDUCT),--conduct-contact "$(CONDUCT)",) \
		$(if $(SECURITY),--security-contact "$(SECURITY)",) || exit $$?; \
	new=$$($(BIN)/python -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["name"])'); \
	if [ "$$old" != "$$new" ]; then \
		$(BIN)/pip uninstall -q -y "$$old" && $(BIN)/pip install -q --no-deps -e . && \
		echo "reinstalled as $$new (uninstalled $$old)"; \
	fi

release: $(VENV)/.base
	$(BIN)/governance release

# Real digits for the 8 accuracy tests: MNIST through torchvision (checked by MD5) into data/;
# then `MNIST_ROOT=data make unit` (or make test) runs them.
mnist: $(VENV)/.dev
	$(BIN)/python -m reference_model train --data-dir data --download --dry-run
	@echo "MNIST is in data/; run the accuracy tests with: MNIST_ROOT=data make unit"

clean:
	rm -rf site build *.egg-info .pytest_cache community-report.html
