# vanban — one target per job; `make` alone lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= ../shared
DEV := data/corpus/dev
# Debian packages the tests use: a font with Vietnamese glyphs to build test PDFs;
# LibreOffice (no GUI) and its metric-compatible fonts to read .doc, .rtf and .odt;
# Tesseract with its Vietnamese data to OCR scans; Chromium to test the review page in a real browser;
# strace to prove that a run opens no connection and writes nothing outside --out.
SYSTEM_PACKAGES ?= fonts-dejavu-core libreoffice-writer-nogui fonts-liberation2 tesseract-ocr tesseract-ocr-vie chromium strace

.DEFAULT_GOAL := help
.PHONY: help install install-dev system-deps run test fuzz lint format eval eval-blind eval-headers sync-corpus schema messages clean bench-ocr ocr-dictionary bench-review bench bench-outputs mutate invariance

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-14s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

install: $(VENV)/.installed ## Create .venv and install vanban with its dependencies

install-dev: $(VENV)/.installed-dev ## install + test and lint tools

system-deps: ## Debian packages the tests need (installed with apt-get when missing)
	@bash scripts/system-deps.sh $(SYSTEM_PACKAGES)

run: install ## Ingest the sample letters in data/samples into out/
	$(BIN)/vanban ingest data/samples --out out

lint: install-dev ## ruff (lint + format check) and mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install-dev ## Apply ruff's formatting and safe fixes
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: install-dev system-deps lint ## Lint, type-check and run the test suite
	$(BIN)/pytest -n 2

fuzz: install-dev system-deps ## Property tests at length: thousands of random and mutated inputs per loader (minutes)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest -n 2 tests/test_fuzz_loaders.py tests/test_properties.py tests/test_regex_budget.py

eval: install ## Ingest the dev letters and score them: tune and check halves (data/split.tsv), each letter
	$(BIN)/vanban ingest $(DEV)/raw $(DEV)/pdf --out out/eval --quiet --no-fail-on-error
	$(BIN)/vanban eval $(DEV)/gold out/eval/documents.jsonl --split data/split.tsv --causes

eval-blind: install ## Score the letters written blind (data/blind): check half held out, tune half (data/blind/split.tsv) developed on
	$(BIN)/vanban ingest data/blind/raw --out out/eval-blind --quiet --force --no-fail-on-error
	$(BIN)/vanban eval data/blind/gold out/eval-blind/documents.jsonl --split data/blind/split.tsv --causes

eval-headers: install ## Score the header battery written blind (data/blind_headers, 40 letters in circulating forms): check half held out
	$(BIN)/vanban ingest data/blind_headers/raw --out out/eval-headers --quiet --force --no-fail-on-error
	$(BIN)/vanban eval data/blind_headers/gold out/eval-headers/documents.jsonl --split data/blind_headers/split.tsv --causes

mutate: install-dev ## Mutation check of extractors/: which flipped rule no test notices (slow; MUTATE_ARGS="--module tasks --limit 40")
	$(BIN)/python scripts/mutate.py $(MUTATE_ARGS)

invariance: install ## The tune letters in other physical forms (wrapped, blank lines, crawl table, markers, NFD…): what their records change
	$(BIN)/python scripts/invariance.py

bench-ocr: install ## OCR the scanned corpus pages: CER and seconds per page (out/bench/ocr.json)
	$(BIN)/python benchmarks/bench_ocr.py

bench-outputs: install ## What checking the outputs costs on resume, on a synthetic OUT of 100,000 letters (out/bench/outputs.json)
	$(BIN)/python benchmarks/bench_outputs.py

bench-review: install-dev ## The review page of 10,000 letters in headless Chromium: open and search times (out/bench/review.json)
	@bash scripts/system-deps.sh chromium
	$(BIN)/python benchmarks/bench_review.py

bench: install ## ingest beside its floors (out/bench/ingest.json), then bench-review
	@bash scripts/system-deps.sh tesseract-ocr tesseract-ocr-vie
	@# pdfplumber is a floor to compare with, not a dependency: into the venv only, for this.
	@$(BIN)/pip install --quiet pdfplumber || echo "pdfplumber not installed: its column is skipped"
	$(BIN)/python benchmarks/bench_ingest.py
	@$(MAKE) --no-print-directory bench-review

sync-corpus: ## Refresh data/corpus from $(SHARED) (the guideline and the corpus)
	rm -rf data/corpus/dev data/corpus/ocr
	cp -r $(SHARED)/corpus/dev $(SHARED)/corpus/ocr data/corpus/
	cp $(SHARED)/ANNOTATION.md data/corpus/ANNOTATION.md
	chmod -R u+w data/corpus

schema: install ## Rewrite the JSON Schema files in schemas/
	$(BIN)/vanban schema --write

ocr-dictionary: install ## Rewrite pipeline/ocr_dictionary_keys.tsv and pipeline/dictionary_syllables.txt, the dictionary as OCR post-correction and one_spelling read it (after an underthesea upgrade)
	$(BIN)/python scripts/ocr_dictionary.py

messages: install-dev ## Extract the messages (Babel), update the Vietnamese catalog, compile its .mo
	$(BIN)/python scripts/messages.py

clean: ## Remove outputs and caches (not .venv)
	rm -rf out .pytest_cache .mypy_cache .ruff_cache
