# Benchmarks (included by the top-level Makefile).
#   make bench        every workload under ft_malloc, glibc, jemalloc, mimalloc and
#                     tcmalloc, 5 interleaved rounds: bench/results/latest.{md,png,csv}
#   make bench-quick  a reduced run (smaller workloads, 3 rounds) in under two minutes:
#                     bench/results/quick.{md,png,csv}
# The workloads are plain C programs linked normally; the allocator is chosen by
# LD_PRELOAD, so every allocator runs the same binary.

BENCH_SRC    := $(sort $(wildcard bench/workloads/*.c))
BENCH_BIN    := $(BENCH_SRC:bench/workloads/%.c=$(BUILD)/bench/%)
BENCH_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -pthread \
                -fno-builtin-malloc -fno-builtin-free -fno-builtin-calloc -fno-builtin-realloc

$(BUILD)/bench/%: bench/workloads/%.c bench/workloads/bench.h
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_CFLAGS) -o $@ $< -lm -ldl

bench-programs: $(BENCH_BIN)

bench: all bench-programs
	@bash bench/bench.sh full $(BUILD)/bench $(CURDIR)/$(LINK)

bench-quick: all bench-programs
	@bash bench/bench.sh quick $(BUILD)/bench $(CURDIR)/$(LINK)

.PHONY: bench bench-quick bench-programs
