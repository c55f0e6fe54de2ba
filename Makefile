# ft_malloc — build, proofs and tests.
#   make          the library libft_malloc_$(HOSTTYPE).so and the link libft_malloc.so
#   make prove    Frama-C WP on the core (exactly CORE_SRC, as compiled into the library)
#   make test     unit, API, misuse, thread, fork and real-program tests
#   make check    installs missing tools, then builds, proves and tests; ends "N passed, N failed"

ifeq ($(HOSTTYPE),)
HOSTTYPE := $(shell uname -m)_$(shell uname -s)
endif

NAME     := libft_malloc_$(HOSTTYPE).so
LINK     := libft_malloc.so
BUILD    := build

CC       ?= cc
CFLAGS   ?= -O2 -g
CFLAGS   += -std=gnu11 -Wall -Wextra -Werror -fPIC -fvisibility=hidden \
            -fno-builtin-malloc -fno-builtin-free -fno-builtin-calloc -fno-builtin-realloc \
            -fno-stack-protector -fno-plt -ftls-model=initial-exec -flto
CPPFLAGS += -Iinclude -Isrc
LDFLAGS_SO := -flto -O2 -shared -Wl,-soname,$(LINK) -Wl,--version-script=src/api/exports.map \
              -Wl,-z,now -Wl,-z,relro -Wl,--no-undefined -pthread

# One list of core files: the library compiles them and `make prove` proves them.
CORE_SRC := $(sort $(wildcard src/core/*.c))
OS_SRC   := $(sort $(wildcard src/os/*.c))
API_SRC  := $(sort $(wildcard src/api/*.c))
SRC      := $(CORE_SRC) $(OS_SRC) $(API_SRC)
OBJ      := $(SRC:%.c=$(BUILD)/%.o)
DEP      := $(OBJ:.o=.d)

all: $(LINK)

$(NAME): $(OBJ) src/api/exports.map
	$(CC) $(LDFLAGS_SO) -o $@ $(OBJ)

$(LINK): $(NAME)
	ln -sf $(NAME) $(LINK)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

-include $(DEP)

# ---- tests -------------------------------------------------------------------
TEST_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Iinclude -Isrc -Itests/lib -pthread
UNIT_SRC := $(sort $(wildcard tests/unit/*.c))
API_TSRC := $(sort $(wildcard tests/api/*.c))
UNIT_BIN := $(UNIT_SRC:%.c=$(BUILD)/%)
API_TBIN := $(API_TSRC:%.c=$(BUILD)/%)

# Core unit tests compile the core sources directly, with no library.
$(BUILD)/tests/unit/%: tests/unit/%.c $(CORE_SRC) $(wildcard src/core/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -o $@ $< $(CORE_SRC)

# API tests link the library (it comes before libc, so its malloc is the one used).
$(BUILD)/tests/api/%: tests/api/%.c $(LINK) tests/lib/check.h $(wildcard tests/api/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -o $@ $< -L. -lft_malloc -Wl,-rpath,'$$ORIGIN/../../..'

tests: $(UNIT_BIN) $(API_TBIN)

test: all tests
	@bash tests/run.sh $(BUILD) $(CURDIR)/$(LINK)

# ---- proofs ------------------------------------------------------------------
prove:
	@bash proofs/prove.sh $(CORE_SRC)

# Deliberate bugs in copies of core files: each must make the proofs fail.
prove-mutants:
	@bash proofs/mutants.sh

# ---- everything --------------------------------------------------------------
check:
	@bash tests/check.sh

clean:
	rm -rf $(BUILD)

fclean: clean
	rm -f $(NAME) $(LINK)

re: fclean all

.PHONY: all tests test prove prove-mutants check clean fclean re

# ---- fuzzing and benchmarks (their own makefiles) ----------------------------
-include fuzz/fuzz.mk
-include bench/bench.mk
