# Fuzzing (fuzz/README.md). Included by the top-level Makefile.
#   make fuzz-build                 both engines' harnesses (build/fuzz/{libfuzzer,afl})
#   make fuzz-replay                every corpus file and regression once
#   make fuzz FUZZ_SECONDS=N        libFuzzer + AFL++ on every target, N s each (default 300)
#   make fuzz-repro FILE=path [FUZZ_TARGET=t]   one input, traced, symbolised stack
#   make fuzz-bite                  the injected-bug test (each bug found in a minute)
#   make fuzz-check                 what `make check` runs (fuzz/check.sh)
#   make fuzz-seeds                 regenerate dictionaries and seeds, minimise corpus/<target>
#   make fuzz-campaign FUZZ_TARGET=t FUZZ_SECONDS=N FUZZ_SECONDARIES=K   AFL++ main + K secondaries
#   make fuzz-coverage              line coverage of the allocator by the corpus (llvm-cov)
#   make fuzz-oss                   fuzz/oss-fuzz/build.sh run locally the way OSS-Fuzz runs it
#   make fuzz-clean
FUZZ_SECONDS ?= 300
FUZZ_SECONDARIES ?= 1
FUZZ_TARGET ?= ops

fuzz-build:
	@bash fuzz/run.sh build

fuzz-replay:
	@bash fuzz/build.sh libfuzzer >/dev/null && bash fuzz/run.sh replay

fuzz:
	@bash fuzz/run.sh build && bash fuzz/run.sh fuzz $(FUZZ_SECONDS)

fuzz-repro:
	@test -n "$(FILE)" || { echo "usage: make fuzz-repro FILE=path [FUZZ_TARGET=ops|misuse|threads]"; exit 2; }
	@bash fuzz/run.sh repro "$(FILE)" $(if $(filter command line,$(origin FUZZ_TARGET)),$(FUZZ_TARGET))

fuzz-bite:
	@bash fuzz/bite.sh

fuzz-check:
	@bash fuzz/check.sh

fuzz-seeds:
	@bash fuzz/build.sh libfuzzer >/dev/null && bash fuzz/run.sh merge

fuzz-campaign:
	@bash fuzz/afl-campaign.sh $(FUZZ_TARGET) $(FUZZ_SECONDS) $(FUZZ_SECONDARIES)

fuzz-coverage:
	@bash fuzz/coverage.sh

fuzz-oss:
	@bash fuzz/oss-fuzz/test-local.sh

fuzz-clean:
	rm -rf build/fuzz

.PHONY: fuzz-build fuzz-replay fuzz fuzz-repro fuzz-bite fuzz-check fuzz-seeds \
	fuzz-campaign fuzz-coverage fuzz-oss fuzz-clean
