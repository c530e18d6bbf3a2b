# rnnstruct: one command for the figures, one for the tests.  Both create the virtual
# environment (.venv, pinned by envs/requirements.lock) on first use.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CONFIG ?= config/config.yaml
# the Snakefile reads config/config.yaml itself: name other files only (else it is listed twice)
CONFIG_FLAG = $(if $(filter config/config.yaml,$(CONFIG)),,--configfile $(CONFIG))
# ONLY=metzner|lyapunov|clark|jarne builds one paper's outputs (default: all)
ONLY ?=
CORES ?= all
PROFILE_FLAGS ?=
# make test: pytest-xdist workers, one test module per work unit (tests/conftest.py); 0 = one process
TEST_WORKERS ?= 2

# one BLAS thread per process: parallelise across jobs, never inside BLAS
export OMP_NUM_THREADS := 1
export OPENBLAS_NUM_THREADS := 1
export MKL_NUM_THREADS := 1

.PHONY: figures docs test test-slurm bench lab env lock clean

figures: $(STAMP)  ## rebuild every figure and results/report.html (CONFIG=config/paper.yaml for the paper grid)
	$(BIN)/python -m rnnstruct.core.config $(CONFIG)
	$(BIN)/snakemake $(ONLY) --cores $(CORES) $(PROFILE_FLAGS) $(CONFIG_FLAG)
	$(BIN)/snakemake $(ONLY) --cores 1 --report results/report.html $(CONFIG_FLAG)

# The generated notes are written by the workflow to results/reproduction/; `make docs` builds them for
# CONFIG (default: the laptop profile) and copies them into docs/reproduction/, so that a build never
# rewrites tracked files with whatever profile ran last.
NOTES := metzner2025 clark2025 jarne2024 lyapunov_numerics
docs: $(STAMP)  ## rebuild the generated notes for CONFIG and copy them into docs/reproduction/
	$(BIN)/python -m rnnstruct.core.config $(CONFIG)
	$(BIN)/snakemake $(NOTES:%=results/reproduction/%.md) --cores $(CORES) $(PROFILE_FLAGS) $(CONFIG_FLAG)  # targets first: --configfile takes several files
	mkdir -p docs/reproduction
	for n in $(NOTES); do cp results/reproduction/$$n.md docs/reproduction/$$n.md; done

test: $(STAMP)  ## unit tests, end-to-end run of config/test.yaml, notebooks, lint and format checks
	$(BIN)/python -m pytest -m "not slurm" -n $(TEST_WORKERS) --durations=15  # the slowest tests listed; the SLURM tests need a cluster: make test-slurm

test-slurm: $(STAMP)  ## the SLURM profile on a real cluster (start one here with: sudo ci/slurm-cluster.sh start)
	$(BIN)/python -m pytest -m slurm --durations=0 tests/workflow/test_slurm.py

bench: $(STAMP)  ## print simulator and reservoir throughput ratios (BLAS threads = 1)
	$(BIN)/python benchmarks/bench_simulator.py
	$(BIN)/python benchmarks/bench_reservoir.py
	$(BIN)/python benchmarks/bench_lyapunov.py
	$(BIN)/python benchmarks/bench_jarne.py

# JupyterLab on the notebooks (each reads RNNSTRUCT_RESULTS, default ../results = this repository's results/)
lab: $(STAMP)  ## open JupyterLab in notebooks/ (installs the notebooks extra into .venv on first use)
	$(BIN)/python -c 'import jupyterlab, nbconvert' 2>/dev/null || $(BIN)/python -m pip install --quiet -c envs/requirements.lock -e '.[dev,notebooks]'
	cd notebooks && ../$(BIN)/jupyter lab

env: $(STAMP)

$(STAMP): pyproject.toml envs/requirements.lock
	@$(PYTHON) -c 'import sys; v = sys.version_info; sys.exit(0 if v >= (3, 11) else f"rnnstruct needs Python >= 3.11, found {v.major}.{v.minor} ($(PYTHON)); set PYTHON=/path/to/python3.11")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c envs/requirements.lock -e '.[dev]'
	touch $(STAMP)

lock: $(STAMP)  ## regenerate envs/requirements.lock from the current environment
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^rnnstruct' > envs/requirements.lock

clean:  ## remove results, logs and Snakemake state (keeps .venv)
	rm -rf results logs .snakemake
