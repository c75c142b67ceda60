# willing: the two commands a newcomer needs are `make run` and `make check`.
# This Makefile only drives scripts/deps.sh, CMake and CTest.

BUILD      ?= build
ASAN_BUILD ?= build-asan
DB         ?= var/willing.db
LISTEN     ?= 127.0.0.1:8080
JOBS       ?= $(shell nproc)

.PHONY: all build deps run check bench fmt clean lint screenshots

all: build

deps:
	@scripts/deps.sh

build: deps
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

run: build
	@scripts/run.sh $(BUILD)/willing $(DB) $(LISTEN)

check:
	@scripts/deps.sh --test
	@$(MAKE) --no-print-directory lint
	@# the store's unit tests and the integration suite run against PostgreSQL once, on the
	@# release build (WILLING_PG_TESTS, tests/CMakeLists.txt): twice would cost CI minutes
	@cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DWL_SANITIZE=ON -DWL_REQUIRE_TESTS=ON \
	  -DWILLING_PG_TESTS=OFF >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWL_REQUIRE_TESTS=ON \
	  -DWILLING_PG_TESTS=ON >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)
	@echo "== every test under ASan+UBSan (unit, fuzz corpora, the daemon in integration tests)"
	@cd $(ASAN_BUILD) && ctest --output-on-failure -j $(JOBS)
	@echo "== every test on the release build, and again against PostgreSQL (ctest -L pg)"
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

bench: build
	@scripts/deps.sh --bench
	@bench/run.sh $(BUILD)

# a PNG of every console page, over the demo coalition, into docs/screenshots/
screenshots: build
	@scripts/deps.sh --test
	@rm -f docs/screenshots/*.png
	@scripts/screenshots.sh $(BUILD)/willing docs/screenshots

fmt:
	@# clang-format 14 does not always reach its fixpoint in one pass: repeat until it does
	@for i in 1 2 3 4 5; do \
	  clang-format -i $$(git ls-files --cached --others --exclude-standard '*.c' '*.h'); \
	  clang-format --dry-run --Werror $$(git ls-files --cached --others --exclude-standard '*.c' '*.h') 2>/dev/null && break; \
	done

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)

# STYLE.md #9: the formatter's output, and no banned libc calls in the sources; the layers of
# docs/ARCHITECTURE.md (calls too when $(BUILD) is built and current; `make check` runs them
# after its builds as the test `layers`)
lint:
	@clang-format --dry-run --Werror $$(git ls-files --cached --others --exclude-standard '*.c' '*.h') \
	  || (echo "run 'make fmt' (clang-format)"; exit 1)
	@! git grep -n -E '\b(sprintf|vsprintf|strcpy|strcat|strncat|strtok|gets)\s*\(' -- '*.c' '*.h' \
	  || (echo "banned libc call (STYLE.md #9)"; exit 1)
	@scripts/check-layers --build $(BUILD)
