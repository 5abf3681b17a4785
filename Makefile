# The two commands that matter: `make demo` serves a demo shop, `make test` runs every test.
# Both prepare what they need (venv, Odoo, PostgreSQL, Chromium) and can be run again safely.

.PHONY: demo test fuzz load bench bench-webhooks lint pot screenshots wheel

# Events the property suite generates at least (`make fuzz N=50000`).
N ?= 10000

demo:
	@tools/demo.sh

test:
	@tools/test.sh

fuzz:
	@tools/fuzz.sh $(N)

# Notifications under load and faults (`make load ARGS='--orders 40 --pairs 200 --clients 16'`).
load:
	@tools/load.sh $(ARGS)

bench:
	@tools/bench.sh $(ARGS)

# Our webhook against payment_toss_payments' on one Odoo (`make bench-webhooks ARGS='--txs 300'`).
bench-webhooks:
	@tools/bench_webhooks.sh $(ARGS)

lint:
	@tools/lint.sh

pot:
	@tools/pot.sh

# The Apps page's screenshots, from the demo shop (static/description/screenshot_*.png).
screenshots:
	@tools/screenshots.sh

wheel:
	@tools/wheel.sh
