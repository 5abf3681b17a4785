# The two commands that matter: `make demo` serves a demo shop, `make test` runs every test.
# Both prepare what they need (venv, Odoo, PostgreSQL, Chromium) and can be run again safely.

.PHONY: demo test bench lint pot

demo:
	@tools/demo.sh

test:
	@tools/test.sh

bench:
	@tools/bench.sh $(ARGS)

lint:
	@tools/lint.sh

pot:
	@tools/pot.sh
