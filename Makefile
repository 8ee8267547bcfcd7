# Every target sets up its own virtual environment from nothing (make demo / make test / make bench).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# A CPU build of torch; any torch >= 2.2 works (override TORCH_SPEC to use another).
TORCH_SPEC ?= torch==2.13.0
GLTF_VALIDATOR ?= gltf-validator@2.0.0-dev.3.10
# An independent 3DGS reader: `hyworld convert`'s tests prove their splats are in the standard layout.
SPLAT_TRANSFORM ?= @playcanvas/splat-transform
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.test-tools
PIP := $(PY) -m pip install --quiet --disable-pip-version-check

.PHONY: install demo check test test-fast stress bench gallery clean

install: $(STAMP)

$(STAMP): pyproject.toml Makefile
	$(PYTHON) -m venv $(VENV)
	$(PIP) "$(TORCH_SPEC)"
	$(PIP) -e ".[test,embeddings]"
	touch $@

# Independent readers the tests check our files with: the Khronos glTF validator (npm)
# and assimp (Debian's assimp-utils; ufbx comes with the [test] extra).
$(TEST_STAMP): $(STAMP)
	# One npm command for both: a second --no-save install would remove the first package.
	npm install --silent --prefix $(VENV)/node --no-audit --no-fund --no-save $(GLTF_VALIDATOR) $(SPLAT_TRANSFORM)
	command -v assimp >/dev/null || { apt-get update -qq && apt-get install -y -qq assimp-utils; } \
	  || { echo "install assimp (Debian/Ubuntu: apt-get install assimp-utils) and rerun"; exit 1; }
	touch $@

demo: $(STAMP)
	$(VENV)/bin/hyworld gen samples/prompts/village.txt --out out --force
	@echo "assets written to out/village/ (village.glb, manifest.json)"

# Lint, format and types: ruff and mypy come with the [test] extra (configured in pyproject.toml).
check: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

# Everything, end-to-end runs included; pytest prints the 15 slowest tests.
test: $(TEST_STAMP)
	$(PY) -m pytest -q

# All but the tests marked slow: end-to-end runs, heavy checks, and 7 in 8 cases of each `sampled` test
# (tests/conftest.py), on two workers (a module's tests stay on one, so its fixtures are built once).
# About a minute on a quiet 2-core machine; pytest prints the 15 slowest tests.
test-fast: $(TEST_STAMP)
	$(PY) -m pytest -q -m "not slow" -n 2 --dist loadscope

# Kills at random moments, many times (minutes; HYWORLD_STRESS_KILLS=50 per test): outside `make test`.
stress: $(TEST_STAMP)
	HYWORLD_STRESS=1 $(PY) -m pytest -q -s -p no:cacheprovider tests/stress

bench: $(TEST_STAMP)
	$(PY) -m tests.benchmarks

gallery: $(STAMP)
	$(PY) samples/make_gallery.py

clean:
	rm -rf $(VENV) out build .pytest_cache
