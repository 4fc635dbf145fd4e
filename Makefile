# oa-spark — `make help` lists the targets. `make run` and `make test` install first when needed.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export SPARK_LOCAL_IP ?= 127.0.0.1
export PYSPARK_PYTHON := $(abspath $(PY))
export PYSPARK_DRIVER_PYTHON := $(abspath $(PY))

.DEFAULT_GOAL := help
.PHONY: help install jars run test test-fast lint format bench package clean

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[spark,report,dev]'
	$(PY) -m oa_spark.jars
	@touch $(STAMP)

install: $(STAMP) ## create .venv, install the package editable with its extras, fetch the Delta/hadoop-aws jars

jars: $(STAMP) ## (re)fetch the Delta and hadoop-aws jars into the local Ivy cache
	$(PY) -m oa_spark.jars

run: $(STAMP) ## run the whole pipeline on the built-in sample into ./lake
	$(VENV)/bin/oa-spark --conf conf/local.toml run

test: $(STAMP) ## run the test suite (unit + Spark + moto + browser)
	$(VENV)/bin/pytest -q --durations=10

test-fast: $(STAMP) ## only the tests that need no JVM
	$(VENV)/bin/pytest -q -m "not spark"

lint: $(STAMP) ## ruff check, format check and mypy
	$(VENV)/bin/ruff check oa_spark jobs tests notebooks
	$(VENV)/bin/ruff format --check oa_spark jobs tests notebooks
	$(VENV)/bin/mypy oa_spark

format: $(STAMP) ## ruff format + autofix
	$(VENV)/bin/ruff format oa_spark jobs tests notebooks
	$(VENV)/bin/ruff check --fix oa_spark jobs tests notebooks

bench: $(STAMP) ## all benchmarks at realistic size; writes bench-out/bench.md and bench.json
	mkdir -p bench-out
	$(VENV)/bin/oa-spark bench --json bench-out/bench.json --markdown bench-out/bench.md

# `make package` needs no development install: a small tools venv builds the wheel and packs the environment.
TOOLS := build/tools
$(TOOLS)/.installed:
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install -q --upgrade pip 'setuptools>=77' wheel 'venv-pack>=0.2'
	@touch $@

package: $(TOOLS)/.installed ## the wheel + dist/oa_spark_env.tar.gz (what executors run); prints spark-submit lines
	$(TOOLS)/bin/python -m oa_spark.package --dist dist --build build

clean: ## remove the lake, staging, sample, build outputs and caches (keeps .venv)
	rm -rf lake staging sample dist build bench-out report spark-warehouse metastore_db derby.log
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
