# The commands a user types. `make test` is what CI runs (see .ci/run).
SWIFT ?= swift

.PHONY: build test tsan run bench lint clean

build:
	$(SWIFT) build

test:
	$(SWIFT) test

# The thread-sanitized tests need their own scratch path.
tsan:
	$(SWIFT) test --sanitize=thread --scratch-path .build-tsan

# Every shipped scenario, in simulation: one line each and a browsable report under
# reports/ (its index.html path is printed); exit 1 if any fails.
run:
	$(SWIFT) build --product orrery
	.build/debug/orrery run scenarios/*.yaml --report reports --junit reports/junit.xml

bench:
	$(SWIFT) build -c release --product orrery-bench
	@for group in futures scheduler simulation scenarios reports; do .build/release/orrery-bench $$group | tail -n +$$( [ $$group = futures ] && echo 1 || echo 2 ); done

lint:
	$(SWIFT) format lint --strict -r Sources Tests Benchmarks

clean:
	rm -rf .build .build-tsan
