#!/usr/bin/env bash
# Builds, on a machine with Go (no GPU needed), everything the GPU check
# (gpu/run.sh) needs on a GPU machine that has no Go and no network, into
# gpu/out/ (ignored by git):
#
#   wgangp          the CLI (go build -ldflags="-s -w" ./cmd/native)
#   webgpu.test     the test binary of ./tests (the whole-step tests, fused
#                   plans, convolutions; also the browser tests, not run)
#   engine-webgpu.test  the test binary of ./engine/webgpu (the conformance
#                   suite, unfused)
#   libvulkan1_*.deb  Debian's Vulkan loader, unpacked there if it has none
#   BUILD-INFO      the commit and toolchain these were built from
#
# gpu/run.sh and gpu/torch_iteration.py are tracked files: they travel with
# the working tree. Run from anywhere: bash gpu/prepare.sh
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
out=${GPU_CHECK_BIN:-$here/out}
GO=${GO:-go}
mkdir -p "$out"
rm -rf "$out/results" "$out/vulkan-root" # left by a dry run; not to be carried
cd "$repo"

command -v "$GO" >/dev/null || { echo "Go is needed to build the binaries" >&2; exit 1; }
[ "$(uname -m)" = x86_64 ] || { echo "the GPU machine is x86-64: build on an x86-64 machine (this one is $(uname -m))" >&2; exit 1; }

echo "building $out/wgangp"
CGO_ENABLED=1 "$GO" build -ldflags="-s -w" -o "$out/wgangp.new" ./cmd/native
mv "$out/wgangp.new" "$out/wgangp"
echo "building $out/webgpu.test"
CGO_ENABLED=1 "$GO" test -c -ldflags="-s -w" -o "$out/webgpu.test.new" ./tests
mv "$out/webgpu.test.new" "$out/webgpu.test"
echo "building $out/engine-webgpu.test"
CGO_ENABLED=1 "$GO" test -c -ldflags="-s -w" -o "$out/engine-webgpu.test.new" ./engine/webgpu
mv "$out/engine-webgpu.test.new" "$out/engine-webgpu.test"

# The Vulkan loader as a .deb of this machine's Debian (x86-64).
rm -f "$out"/libvulkan1_*.deb
if ! (cd "$out" && apt-get download libvulkan1 >/dev/null 2>&1); then
	echo "apt-get download libvulkan1 failed; updating the package lists and trying again"
	SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
	$SUDO apt-get update -qq
	(cd "$out" && apt-get download libvulkan1)
fi
ls "$out"/libvulkan1_*.deb

{
	echo "commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- 2>/dev/null || echo ' with uncommitted changes')"
	echo "at $(date -u +%FT%TZ) with $("$GO" version | sed 's/^go version //') on $(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")"
} >"$out/BUILD-INFO"
cat "$out/BUILD-INFO"

# What the device tool carries is limited to 64 MiB.
size=$(du -sb "$out" | cut -f1)
echo "gpu/out: $((size / 1024 / 1024)) MiB ($size bytes)"
if [ "$size" -gt $((60 * 1024 * 1024)) ]; then
	echo "warning: over 60 MiB; the device tool carries at most 64 MiB with the working tree" >&2
fi
echo "ready: on the GPU machine run  bash gpu/run.sh  (the device tool: carry [\"gpu/out\"])"
