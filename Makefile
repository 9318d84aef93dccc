# The two commands of the README:
#   make run    trains on the embedded default data (the desktop app)
#   make test   installs what the tests need, then runs every test
# and the benchmarks:
#   make bench  GFLOP/s of the convolution family and seconds per generator iteration

GO ?= go
BENCH_FLAGS ?=

.PHONY: run build test bench bench-torch bench-wasm quality deps vet js-check fmt-check unit fuzz serve python-test

# run trains with the window where a display is (the viewer program beside
# the trainer), headless otherwise; ARGS passes flags: make run ARGS="--preset tiny".
run: build
	bin/wgangp $(ARGS)

# build makes the trainer/CLI and its window program.
build: deps
	$(GO) build -o bin/wgangp ./cmd/native
	$(GO) build -o bin/wgangp-viewer ./cmd/native/viewer

test: deps fmt-check vet js-check python-test unit

# Debian packages: Ebiten's cgo build (OpenGL, X11, ALSA headers), Xvfb,
# a display without a screen for the window test, and Mesa's software
# Vulkan driver (lavapipe), the WebGPU adapter of the shader tests where
# there is no GPU.
APT_PACKAGES = libgl1-mesa-dev libxcursor-dev libxi-dev libxinerama-dev libxrandr-dev \
	libxxf86vm-dev libasound2-dev pkg-config xvfb xauth mesa-vulkan-drivers libvulkan1 chromium
# The PyTorch hand-off's, without the packages they recommend (python3-torch
# recommends libtorch-dev and a C++ toolchain, hundreds of MB to download
# that running it does not need).
APT_PACKAGES_BARE = python3-torch python3-numpy python3-pil

# deps checks the toolchain and installs the Debian packages that are missing.
deps:
	@command -v $(GO) >/dev/null || { echo "Go 1.26 is needed: https://go.dev/dl/ (on Debian: /usr/local/go/bin)"; exit 1; }
	@$(GO) version
	@missing() { for p in "$$@"; do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done; }; \
	full=$$(missing $(APT_PACKAGES)); bare=$$(missing $(APT_PACKAGES_BARE)); \
	if [ -n "$$full$$bare" ]; then \
		echo "installing Debian packages:" $$full $$bare; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq || exit 1; \
		if [ -n "$$full" ]; then DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$full >/dev/null || exit 1; fi; \
		if [ -n "$$bare" ]; then DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$bare >/dev/null || exit 1; fi; \
	fi

# The PyTorch package's own tests (python/tests); its tests against the Go
# engine and trainer are Go tests (cmd/native/torch_handoff_test.go). Debian's
# python3 (a pyenv python3 may shadow it and lack torch).
PYTHON ?= $(if $(wildcard /usr/bin/python3),/usr/bin/python3,python3)
python-test:
	OPENBLAS_NUM_THREADS=1 OPENBLAS_CORETYPE=Haswell PYTHONPATH=python $(PYTHON) -m unittest discover -s python/tests

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

# The engine and its shaders must build for the browser too.
js-check:
	GOOS=js GOARCH=wasm $(GO) build ./engine/... ./shaders/...
	GOOS=js GOARCH=wasm $(GO) vet ./engine/... ./shaders/...

# The window test needs a display: Xvfb provides one when there is none.
# The tests package (lavapipe, headless Chromium) takes ~6 minutes on 2
# cores; the timeout leaves it room on a busy machine without letting a hung
# test run for ever.
TEST_TIMEOUT ?= 25m
unit:
	if [ -n "$$DISPLAY" ]; then $(GO) test -count=1 -timeout $(TEST_TIMEOUT) ./...; else xvfb-run -a $(GO) test -count=1 -timeout $(TEST_TIMEOUT) ./...; fi
	$(GO) test -count=1 -race -run 'Pool|Adam' ./engine/cpu
	$(MAKE) --no-print-directory fuzz FUZZTIME=50000x

# The fuzz targets (package:name): the weights-file reader, a checkpoint's
# metadata and image decoding. make test runs each for 50000 inputs (1-7 s
# here): a count, not a duration, because a duration's deadline can land
# while a worker on a busy machine is mid-input, and go test then fails the
# target with "context deadline exceeded" though no input failed
# (go.dev/issue/75804; it failed CI's check here once). make fuzz runs
# each for FUZZTIME (2 minutes by default; a count like 1000000x works too).
FUZZ = ./safetensors:FuzzDecode ./wgan/train:FuzzCheckpointMetadata ./wgan/data:FuzzDecode
FUZZTIME ?= 2m
fuzz:
	@for t in $(FUZZ); do \
		echo "fuzz $${t#*:} in $${t%%:*} for $(FUZZTIME)"; \
		$(GO) test -run=XXX -fuzz="^$${t#*:}$$" -fuzztime=$(FUZZTIME) $${t%%:*} || exit 1; \
	done

bench: deps
	$(GO) run ./cmd/native bench $(BENCH_FLAGS)
	$(GO) run ./cmd/native bench --op-filters 0 --filters 16 --batch 32

# bench-torch is one sitting against PyTorch on the CPU (the README's
# speed table): ROUNDS rounds alternating, at each size, ours (with each
# kernel set the CPU runs: AVX-512 and AVX2) and gpu/torch_iteration.py,
# PyTorch with OpenBLAS as MACHINE-NOTES.md says; it prints the table.
ROUNDS ?= 3
SIZES ?= 8:16,16:32
bench-torch: build
	@dpkg -s libopenblas0-pthread >/dev/null 2>&1 || { echo "installing libopenblas0-pthread"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends libopenblas0-pthread >/dev/null; }
	bin/wgangp bench torch --rounds $(ROUNDS) --sizes $(SIZES)

# bench-wasm times the CPU engine as the page runs it (WebAssembly, one
# thread, the pure-Go kernels) in Node: a generator iteration at F=8/16 and
# 16/32, and the pure-Go micro-kernels.
WASM_EXEC = "$$($(GO) env GOROOT)/lib/wasm/go_js_wasm_exec"
bench-wasm:
	GOOS=js GOARCH=wasm $(GO) test ./engine/cpu -run=XXX -bench=GeneratorIteration -benchtime=2x -exec $(WASM_EXEC)
	GOOS=js GOARCH=wasm $(GO) test ./engine/cpu -run=XXX -bench=MicroKernelGo -exec $(WASM_EXEC)

# quality trains a preset on the embedded flowers for MINUTES of training,
# ours and then the same run in PyTorch, and writes SWD per minute
# (ours.csv, torch.csv), the grids at the minutes of GRIDS_AT and
# quality.png under quality/ (README "Sample quality per minute"):
# make quality PRESET=small MINUTES=30 QUALITY_FLAGS="--ema".
PRESET ?= tiny
MINUTES ?= 10
GRIDS_AT ?= 5,10,20,30
# PyTorch's fair CPU figures want OpenBLAS (MACHINE-NOTES.md; bench quality
# sets OPENBLAS_NUM_THREADS=1 OPENBLAS_CORETYPE=Haswell for it): Debian's
# python3-torch otherwise calls the reference BLAS, 2-3x slower.
quality: deps
	@dpkg -s libopenblas0-pthread >/dev/null 2>&1 || { echo "installing libopenblas0-pthread"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends libopenblas0-pthread >/dev/null; }
	$(GO) run ./cmd/native bench quality --preset $(PRESET) --minutes $(MINUTES) --grids-at $(GRIDS_AT) --torch $(QUALITY_FLAGS)

# serve builds the page (web/dist: the two WebAssembly programs and the
# static files) and serves it on http://127.0.0.1:$(PORT), 8080 by default.
serve:
	$(GO) run ./cmd/serve

# The GPU check (README "On a real GPU"): gpu-check-prepare builds into
# gpu/out/ what gpu/run.sh needs on a GPU machine without Go or network (the
# CLI, the WebGPU test binary, Debian's libvulkan1); there, `bash gpu/run.sh`
# runs the tests, the benches and the PyTorch CUDA timing in one go.
# gpu-check-dry-run runs the same script here on the software adapter
# (lavapipe) and PyTorch on the CPU, at small sizes.
.PHONY: gpu-check-prepare gpu-check-dry-run
gpu-check-prepare:
	GO=$(GO) bash gpu/prepare.sh

gpu-check-dry-run: gpu-check-prepare
	GPU_CHECK_ADAPTER=software GPU_CHECK_VULKAN=private GPU_CHECK_SIZES="8:16 16:32" \
	GPU_CHECK_OP_FILTERS=8 GPU_CHECK_ITERATIONS=1 GPU_CHECK_BUDGET=420 GPU_CHECK_T_TESTS=200 \
	bash gpu/run.sh
