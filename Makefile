# The two quick-start commands: `make run` (working demo at http://127.0.0.1:8000) and `make test`.
.PHONY: run test setup demo lint

run: setup
	.venv/bin/safecommunity demo
	.venv/bin/safecommunity runserver 127.0.0.1:8000

# Tests run on every core (pytest-xdist; each worker has its own test database). PARALLEL= runs
# them in one process, e.g. to read a failure's output in order.
PARALLEL ?= -n auto --dist worksteal

test:
	scripts/setup.sh --test
	.venv/bin/pytest $(PARALLEL) $(PYTEST_ARGS)

setup:
	scripts/setup.sh

demo: setup
	.venv/bin/safecommunity demo

lint: setup
	.venv/bin/ruff check .
