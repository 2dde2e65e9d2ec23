# onestop — two commands: `make run` and `make test`. Everything else is a helper.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
export LANGSMITH_TRACING := false

.PHONY: run test install index browser eval eval-dev bench clean

run: install index  ## install, refresh the index, start the app on http://localhost:8501
	$(BIN)/onestop serve --port 8501

test: install browser  ## install what tests need, lint code and corpus, run the whole suite
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/onestop check
	$(BIN)/pytest

install: $(STAMP)

# torch first, pinned to the CPU build on disk: otherwise pip pulls a multi-GB CUDA build.
$(STAMP): pyproject.toml
	@[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

index: install  ## build the index if it is missing, or refresh what changed
	@$(BIN)/onestop ingest || echo "Some corpus files were not indexed (reasons above); the app uses everything else."

# The end-to-end test drives Debian's Chromium; never a browser download.
browser:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq --no-install-recommends chromium >/dev/null; }

eval: install index  ## the full evaluation on the test split and the blind sets fresh and dev4 (reported, never tuned on)
	$(BIN)/onestop eval --questions tests/eval/managers.jsonl --split test --report reports/eval.md
	$(BIN)/onestop eval --questions tests/eval/fresh.jsonl --report reports/eval-fresh.md
	$(BIN)/onestop eval --questions tests/eval/dev4.jsonl --report reports/eval-dev4.md

eval-dev: install index  ## the evaluation on the dev sets (tuned on): managers.jsonl dev split, dev2.jsonl, dev3.jsonl, dev5.jsonl, dev6.jsonl, dev7.jsonl, dev8.jsonl, dev9.jsonl, dev10.jsonl, dev11.jsonl, dev12.jsonl, dev13.jsonl, dev14.jsonl and dev15.jsonl
	$(BIN)/onestop eval --questions tests/eval/managers.jsonl --split dev --report reports/eval-dev.md
	$(BIN)/onestop eval --questions tests/eval/dev2.jsonl --report reports/eval-dev2.md
	$(BIN)/onestop eval --questions tests/eval/dev3.jsonl --report reports/eval-dev3.md
	$(BIN)/onestop eval --questions tests/eval/dev5.jsonl --report reports/eval-dev5.md
	$(BIN)/onestop eval --questions tests/eval/dev6.jsonl --report reports/eval-dev6.md
	$(BIN)/onestop eval --questions tests/eval/dev7.jsonl --report reports/eval-dev7.md
	$(BIN)/onestop eval --questions tests/eval/dev8.jsonl --report reports/eval-dev8.md
	$(BIN)/onestop eval --questions tests/eval/dev9.jsonl --report reports/eval-dev9.md
	$(BIN)/onestop eval --questions tests/eval/dev10.jsonl --report reports/eval-dev10.md
	$(BIN)/onestop eval --questions tests/eval/dev11.jsonl --report reports/eval-dev11.md
	$(BIN)/onestop eval --questions tests/eval/dev12.jsonl --report reports/eval-dev12.md
	$(BIN)/onestop eval --questions tests/eval/dev13.jsonl --report reports/eval-dev13.md
	$(BIN)/onestop eval --questions tests/eval/dev14.jsonl --report reports/eval-dev14.md
	$(BIN)/onestop eval --questions tests/eval/dev15.jsonl --report reports/eval-dev15.md

bench: install index browser  ## ingest, latency and scale benchmarks; first answer after a server start, in a real browser
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/first_answer.py

clean:
	rm -rf .onestop .pytest_cache reports/*.json
