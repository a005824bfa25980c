# The commands a user types. `make test` is what CI runs (see .ci/run).
SWIFT ?= swift

.PHONY: build test tsan run bench lint example fuzz install docs clean dask-venv dask-test dask-fidelity

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

# The manual: the DocC catalog in Sources/Orrery/Orrery.docc, built with swift-docc-plugin into
# .build/docs (a static site: serve the folder, open /documentation/orrery). A broken link or
# symbol reference fails the build.
docs:
	$(SWIFT) package --disable-sandbox --allow-writing-to-directory .build/docs \
		generate-documentation --target Orrery --warnings-as-errors \
		--transform-for-static-hosting --output-path .build/docs

# The example package (Examples/CustomPolicy): a policy of its own, tested through the library.
example:
	cd Examples/CustomPolicy && $(SWIFT) test
	cd Examples/CustomPolicy && $(SWIFT) run custom-orrery run ../../scenarios/fifo-round-robin.yaml --policy shortest-queue

# The SimPy baseline runs in a scratch virtual environment; without one (no network, no
# venv module) its figure is skipped with a message.
BENCH_VENV = .build/bench-venv

bench:
	$(SWIFT) build -c release --product orrery-bench
	@test -x $(BENCH_VENV)/bin/python || (python3 -m venv $(BENCH_VENV) && $(BENCH_VENV)/bin/pip install -q simpy==4.1.1) || rm -rf $(BENCH_VENV)
	@for group in futures scheduler simulation dag scenarios simpy reports real; do ORRERY_BENCH_PYTHON=$$( [ -x $(BENCH_VENV)/bin/python ] && echo $(BENCH_VENV)/bin/python ) .build/release/orrery-bench $$group | tail -n +$$( [ $$group = futures ] && echo 1 || echo 2 ); done

# The dask recorder (integrations/dask) against a real local dask cluster, in a scratch virtual
# environment with the pinned dask and distributed from the package index; the recordings are
# then read by the orrery binary this builds. Not part of `make test`, which needs only Swift.
DASK_VENV = .build/dask-venv

dask-venv:
	test -x $(DASK_VENV)/bin/python || python3 -m venv $(DASK_VENV)
	$(DASK_VENV)/bin/pip install -q -r integrations/dask/requirements.txt

dask-test: dask-venv
	$(SWIFT) build --product orrery
	cd integrations/dask && ORRERY=$(CURDIR)/.build/debug/orrery ../../$(DASK_VENV)/bin/python -m unittest discover -s tests -v

# The fidelity benchmark: every graph of integrations/dask on real dask (2 workers × 2
# threads) three times and in the simulation, as a table (also in .build/dask-fidelity).
# Real timings are noisy, so it is not a test.
dask-fidelity: dask-venv
	$(SWIFT) build -c release --product orrery
	cd integrations/dask && ../../$(DASK_VENV)/bin/python -m orrery_dask fidelity \
		--orrery $(CURDIR)/.build/release/orrery --folder $(CURDIR)/.build/dask-fidelity

# libFuzzer on what reads untrusted files: the scenario loader and the WfCommons importer,
# FUZZ_RUNS inputs each, starting from the shipped scenarios, the broken-file corpus and the
# recorded traces. The corpus grows under .build/fuzz; a crash leaves its input there and
# fails the target (turn it into a test file). FUZZ_FLAGS passes libFuzzer options: CI fixes
# the random seed (-seed=1), so the same code gets the same campaign.
FUZZ_RUNS ?= 1000000
FUZZ_FLAGS ?=
FUZZ = Fuzz/.build/debug

fuzz:
	cd Fuzz && $(SWIFT) build --sanitize=fuzzer
	mkdir -p .build/fuzz/loader .build/fuzz/wfcommons
	SWIFT_BACKTRACE=enable=no $(FUZZ)/fuzz-scenario-loader -runs=$(FUZZ_RUNS) -timeout=10 $(FUZZ_FLAGS) \
		-artifact_prefix=.build/fuzz/ .build/fuzz/loader scenarios scenarios/zoo \
		Tests/ScenariosTests/Broken Tests/ScenariosTests/Extreme
	SWIFT_BACKTRACE=enable=no $(FUZZ)/fuzz-wfcommons-import -runs=$(FUZZ_RUNS) -timeout=10 $(FUZZ_FLAGS) \
		-artifact_prefix=.build/fuzz/ .build/fuzz/wfcommons Tests/ScenariosTests/Fixtures

# The orrery command, release build, into PREFIX/bin (put that on your PATH).
PREFIX ?= /usr/local

install:
	$(SWIFT) build -c release --product orrery
	install -d $(PREFIX)/bin
	install -m 755 .build/release/orrery $(PREFIX)/bin/orrery

lint:
	$(SWIFT) format lint --strict -r Sources Tests Benchmarks Examples/CustomPolicy/Sources Examples/CustomPolicy/Tests

clean:
	rm -rf .build .build-tsan Examples/CustomPolicy/.build Fuzz/.build
