#!/usr/bin/env bash
# The GPU check in one command, run on the GPU machine from the repository
# root (gpu/prepare.sh, run on a machine with Go, built gpu/out first):
#
#   bash gpu/run.sh
#
# It finds or unpacks a Vulkan loader, finds the NVIDIA Vulkan driver, says
# which adapter WebGPU gets, runs the WebGPU conformance suite and the
# whole-step tests on it, `wgangp bench --backend webgpu` at each size of
# GPU_CHECK_SIZES and PyTorch's time for the same generator iteration on
# CUDA, each under its own timeout, all within GPU_CHECK_BUDGET seconds. A
# part that fails or times out is reported and the rest still runs. Logs and
# summary.txt go to $OUT when it is set (the device tool's folder), else to
# gpu/out/results/. The exit status is 0 when every part passed.
#
# Settings (environment):
#   GPU_CHECK_ADAPTER     gpu (default: a real GPU, or fail) or software (a
#                         dry run on a machine without a GPU: lavapipe, and
#                         PyTorch on the CPU)
#   GPU_CHECK_SIZES       F:batch of the timed iterations ("8:16 16:32 64:64")
#   GPU_CHECK_OP_FILTERS  F of the op table, printed with the first size (64; 0: none)
#   GPU_CHECK_ITERATIONS  timed generator iterations per bench (5)
#   GPU_CHECK_PROFILE     the N slowest steps of each bench's profile (as many
#                         iterations again after the timed ones, each step
#                         timed alone: bench --profile; 15; 0: no profile)
#   GPU_CHECK_BUDGET      seconds for the whole check (530)
#   GPU_CHECK_TORCH_RESERVE  seconds of it kept for PyTorch while the WebGPU
#                         parts run (60)
#   GPU_CHECK_T_PROBE, _T_TESTS, _T_BENCH, _T_BENCH_FIRST, _T_TORCH
#                         each part's timeout in seconds (60, 150, 90, 100, 120);
#                         _T_BENCH_<F>x<batch> overrides one size's
#   GPU_CHECK_TESTS       the tests' -run pattern (^TestWebGPU)
#   GPU_CHECK_TEST_FLAGS  more flags for the test binary (e.g. -test.short)
#   GPU_CHECK_TORCH       torch options ("--tf32 both" on CUDA: float32 and TF32)
#   GPU_CHECK_PYTHON      the Python with PyTorch (python3, else /usr/bin/python3)
#   GPU_CHECK_VULKAN      auto (default: unpack libvulkan1 into / when there is
#                         no loader and we are root, else into gpu/out/vulkan-root
#                         with LD_LIBRARY_PATH) or private (always the latter)
#   GPU_CHECK_NVIDIA_ICD  the NVIDIA driver's Vulkan manifest, used when the
#                         loader's folders have none
#                         (/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json)
#   GPU_CHECK_BIN         the folder of the binaries (gpu/out)

set -u

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
bin=${GPU_CHECK_BIN:-$here/out}
adapter=${GPU_CHECK_ADAPTER:-gpu}
sizes=${GPU_CHECK_SIZES:-8:16 16:32 64:64}
op_filters=${GPU_CHECK_OP_FILTERS:-64}
iterations=${GPU_CHECK_ITERATIONS:-5}
profile=${GPU_CHECK_PROFILE:-15}
budget=${GPU_CHECK_BUDGET:-530}
t_probe=${GPU_CHECK_T_PROBE:-60}
t_tests=${GPU_CHECK_T_TESTS:-150}
t_bench=${GPU_CHECK_T_BENCH:-90}
t_bench_first=${GPU_CHECK_T_BENCH_FIRST:-100}
t_torch=${GPU_CHECK_T_TORCH:-120}
tests=${GPU_CHECK_TESTS:-^TestWebGPU}
test_flags=${GPU_CHECK_TEST_FLAGS:-}
vulkan_mode=${GPU_CHECK_VULKAN:-auto}
nvidia_icd=${GPU_CHECK_NVIDIA_ICD:-/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json}

case $adapter in
gpu) backend=webgpu test_adapter=gpu torch_device=cuda ;;
software) backend=webgpu-software test_adapter=software torch_device=cpu ;;
*) echo "GPU_CHECK_ADAPTER must be gpu or software, not '$adapter'" >&2; exit 2 ;;
esac
torch_opts=${GPU_CHECK_TORCH-}
if [ -z "${GPU_CHECK_TORCH+set}" ]; then
	if [ "$torch_device" = cuda ]; then torch_opts="--tf32 both"; else torch_opts="--iterations 2 --threads 2"; fi
fi

if [ -n "${OUT:-}" ]; then
	logs=$OUT
else
	logs=$bin/results
fi
mkdir -p "$logs" || { echo "cannot make $logs" >&2; exit 2; }
rm -f "$logs"/summary.txt "$logs"/*.log # an earlier run's
summary=$logs/summary.txt
setup_log=$logs/setup.log
: >"$summary"
: >"$setup_log"

# wgpu-native complains on every device without it (harmlessly).
if [ -z "${XDG_RUNTIME_DIR:-}" ]; then
	XDG_RUNTIME_DIR=$(mktemp -d) && export XDG_RUNTIME_DIR
fi

start=$(date +%s)
deadline=$((start + budget))
# Seconds kept for PyTorch while the WebGPU parts run, so that a hung GPU
# part still leaves the CUDA figure.
torch_reserve=${GPU_CHECK_TORCH_RESERVE:-60}
reserve=$torch_reserve
failed=()

say() { echo "$*" | tee -a "$summary"; }
log() { echo "$*" >>"$setup_log"; }

# remaining prints the seconds left before the deadline.
remaining() { echo $((deadline - $(date +%s))); }

# step NAME LOGFILE TIMEOUT CMD...: runs CMD under timeout (cut to what is
# left of the budget less the reserve kept for the parts after), appending
# its output to LOGFILE, and records in the summary how it went. Returns
# CMD's status (124 for a timeout).
step() {
	local name=$1 file=$2 limit=$3
	shift 3
	local left
	left=$(($(remaining) - reserve))
	if [ "$left" -lt 10 ]; then
		say "[$name] SKIPPED: the ${budget} s budget is spent"
		failed+=("$name (skipped: no time left)")
		return 125
	fi
	[ "$limit" -gt "$left" ] && limit=$left
	local t0 rc
	t0=$(date +%s)
	{
		echo "### $name: $* (timeout ${limit} s)"
		echo "### started $(date -u +%FT%TZ)"
	} >>"$file"
	timeout -k 10 "$limit" "$@" >>"$file" 2>&1
	rc=$?
	local dt=$(($(date +%s) - t0))
	echo "### exit status $rc after ${dt} s" >>"$file"
	case $rc in
	0) say "[$name] ok (${dt} s)" ;;
	124 | 137) say "[$name] TIMED OUT after ${dt} s (limit ${limit} s)"; failed+=("$name (timed out)") ;;
	*) say "[$name] FAILED: exit status $rc after ${dt} s"; failed+=("$name (exit $rc)") ;;
	esac
	if [ $rc -ne 0 ]; then # its last words
		awk '/^### started/ { n = 0; next } { last[n++] = $0 } END { for (i = 0; i < n; i++) print last[i] }' "$file" |
			grep -vE '^###|XDG_RUNTIME_DIR' | tail -n 3 | cut -c1-300 | sed 's/^/    | /' | tee -a "$summary"
	fi
	return $rc
}

say "GPU check, $(date -u +%FT%TZ) on $(uname -n) ($(uname -m)), adapter wanted: $adapter, budget ${budget} s"
if [ -f "$bin/BUILD-INFO" ]; then
	sed 's/^/  built: /' "$bin/BUILD-INFO" | tee -a "$summary"
fi
missing=
for f in wgangp webgpu.test engine-webgpu.test; do [ -x "$bin/$f" ] || missing="$missing $f"; done
if [ -n "$missing" ]; then
	say "missing in $bin:$missing (run gpu/prepare.sh on a machine with Go first)"
	exit 2
fi

# --- The machine: GPU, driver, Vulkan loader --------------------------------
{
	echo "### machine"
	uname -a
	command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv 2>&1
	grep -m1 'model name' /proc/cpuinfo
	nproc
} >>"$setup_log" 2>&1
if command -v nvidia-smi >/dev/null; then
	gpu_line=$(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null | head -1)
	say "nvidia-smi: ${gpu_line:-no answer}"
fi

loader_present() { ldconfig -p 2>/dev/null | grep -q 'libvulkan\.so\.1 '; }

# unpack_private unpacks the carried libvulkan1 into $bin/vulkan-root and
# puts its library folder on LD_LIBRARY_PATH (nothing outside gpu/out changes).
unpack_private() {
	local deb=$1 root=$bin/vulkan-root
	rm -rf "$root" && mkdir -p "$root" && dpkg -x "$deb" "$root" || return 1
	local dir
	dir=$(dirname "$(find "$root" -name 'libvulkan.so.1*' | head -1)")
	[ -n "$dir" ] && [ "$dir" != . ] || return 1
	export LD_LIBRARY_PATH=$dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
	log "Vulkan loader: unpacked $(basename "$deb") into $root; LD_LIBRARY_PATH=$LD_LIBRARY_PATH"
}

deb=$(ls "$bin"/libvulkan1_*.deb 2>/dev/null | head -1)
if [ "$vulkan_mode" != private ] && loader_present; then
	say "Vulkan loader: $(ldconfig -p | grep -m1 'libvulkan\.so\.1 ' | sed 's/.*=> //') (already there)"
elif [ -z "$deb" ]; then
	say "Vulkan loader: none found and no libvulkan1 .deb in $bin"
elif [ "$vulkan_mode" != private ] && [ "$(id -u)" = 0 ]; then
	if dpkg -x "$deb" / >>"$setup_log" 2>&1 && ldconfig >>"$setup_log" 2>&1 && loader_present; then
		say "Vulkan loader: unpacked $(basename "$deb") into / (ldconfig)"
	elif unpack_private "$deb"; then
		say "Vulkan loader: unpacking into / did not work; unpacked into $bin/vulkan-root instead"
	else
		say "Vulkan loader: unpacking $(basename "$deb") FAILED"
	fi
elif unpack_private "$deb"; then
	say "Vulkan loader: unpacked $(basename "$deb") into $bin/vulkan-root (LD_LIBRARY_PATH)"
else
	say "Vulkan loader: unpacking $(basename "$deb") FAILED"
fi

# The NVIDIA driver's Vulkan manifest: used when the loader's usual folders
# have none.
icd_dirs="/etc/vulkan/icd.d /usr/share/vulkan/icd.d /usr/local/share/vulkan/icd.d"
std_nvidia=$(for d in $icd_dirs; do ls "$d"/nvidia*.json 2>/dev/null; done | head -1)
set_icd() { export VK_DRIVER_FILES=$nvidia_icd VK_ICD_FILENAMES=$nvidia_icd; }
unset_icd() { unset VK_DRIVER_FILES VK_ICD_FILENAMES; }
{
	echo "### Vulkan drivers"
	for d in $icd_dirs /usr/local/nvidia/share/vulkan/icd.d; do ls -l "$d" 2>/dev/null; done
	[ -f "$nvidia_icd" ] && cat "$nvidia_icd"
} >>"$setup_log" 2>&1
if [ "$adapter" = gpu ] && [ -z "${VK_DRIVER_FILES:-}${VK_ICD_FILENAMES:-}" ] && [ -z "$std_nvidia" ] && [ -f "$nvidia_icd" ]; then
	set_icd
fi

# --- Which adapter WebGPU gets ---------------------------------------------
# The probe is a one-iteration bench at F=4, batch 2: it prints the backend
# line and runs every kernel of the step once. Without a GPU it tries the
# other driver setting, then the driver's library folder on LD_LIBRARY_PATH.
probe() {
	step "probe $*" "$setup_log" "$t_probe" "$bin/wgangp" bench --backend "$backend" --op-filters 0 --filters 4 --batch 2 --iterations 1
}
probe_ok=false
for attempt in 1 2 3; do
	log "### probe attempt $attempt: VK_DRIVER_FILES=${VK_DRIVER_FILES:-} LD_LIBRARY_PATH=${LD_LIBRARY_PATH:-}"
	if probe "(attempt $attempt${VK_DRIVER_FILES:+, VK_DRIVER_FILES=$VK_DRIVER_FILES})"; then
		probe_ok=true
		break
	fi
	[ "$adapter" = gpu ] || break
	case $attempt in
	1) if [ -n "${VK_DRIVER_FILES:-}" ]; then unset_icd; elif [ -f "$nvidia_icd" ]; then set_icd; else break; fi ;;
	2)
		[ -d /usr/local/nvidia/lib64 ] || break
		[ -f "$nvidia_icd" ] && set_icd
		export LD_LIBRARY_PATH=/usr/local/nvidia/lib64${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
		;;
	esac
done
no_gpu=false
if $probe_ok; then
	failed=() # the attempts that did not find the GPU are not failures of the check
	adapter_line=$(grep '^backend:' "$setup_log" | tail -1)
	say "adapter: ${adapter_line#backend: }"
	if [ "$adapter" = gpu ] && echo "$adapter_line" | grep -qiE ', cpu, |llvmpipe|lavapipe|swiftshader'; then
		say "WARNING: WebGPU chose a software adapter, not the GPU"
		failed+=("adapter (software, not the GPU)")
		no_gpu=true
	fi
else
	say "adapter: NONE found (see setup.log); the WebGPU parts below will fail"
	grep -E 'webgpu' "$setup_log" | tail -1 | cut -c1-300 | sed 's/^/  /' | tee -a "$summary"
	no_gpu=true
fi
if $no_gpu && [ "$adapter" = gpu ]; then
	# What the Vulkan loader saw, for the next try.
	{
		echo "### diagnostics"
		ldconfig -p | grep -iE 'vulkan|nvidia' | head -20
		ls /usr/local/nvidia/lib64 2>/dev/null | head -40
		echo "### the probe with VK_LOADER_DEBUG=error,warn,driver"
		VK_LOADER_DEBUG=error,warn,driver timeout 30 "$bin/wgangp" bench --backend webgpu --op-filters 0 --filters 4 --batch 2 --iterations 1
	} >"$logs/vulkan-debug.log" 2>&1
	say "  the Vulkan loader's messages: vulkan-debug.log; its last driver lines:"
	grep -iE 'driver|icd' "$logs/vulkan-debug.log" | tail -5 | cut -c1-300 | sed 's/^/    /' | tee -a "$summary"
fi
say "environment: VK_DRIVER_FILES=${VK_DRIVER_FILES:-} LD_LIBRARY_PATH=${LD_LIBRARY_PATH:-}"

# --- Conformance suite and whole-step tests on the adapter -----------------
(cd "$repo/engine/webgpu" && export WGANGP_TEST_ADAPTER=$test_adapter && step "conformance" "$logs/conformance.log" 60 \
	"$bin/engine-webgpu.test" -test.run '^TestConformance$' -test.count 1 -test.timeout 50s)
tests_log=$logs/tests.log
tlimit=$t_tests
[ "$tlimit" -gt $(($(remaining) - reserve)) ] && tlimit=$(($(remaining) - reserve))
(cd "$repo/tests" && export WGANGP_TEST_ADAPTER=$test_adapter && step "tests" "$tests_log" "$t_tests" \
	"$bin/webgpu.test" -test.run "$tests" -test.v -test.count 1 -test.timeout "$((tlimit > 20 ? tlimit - 10 : 10))s" $test_flags)
rc=$?
[ $rc -ne 0 ] && failed+=("tests")
{
	grep -m1 -E 'webgpu \(' "$tests_log" | sed 's/^ */  tests ran on: /'
	grep -E '^--- (PASS|FAIL|SKIP)' "$tests_log" | sed 's/^/  /'
	nfail=$(grep -cE '^ *--- FAIL' "$tests_log")
	echo "  failed tests and subtests: $nfail"
	grep -E '^ *--- FAIL' "$tests_log" | head -15 | sed 's/^ */    /'
	grep -E '^panic:|test timed out' "$tests_log" | head -3 | sed 's/^/  /'
	if [ $rc -ne 0 ]; then
		echo "  first messages:"
		grep -E '_test\.go:[0-9]+: ' "$tests_log" | grep -vE ': webgpu \(' | head -8 | cut -c1-300 | sed 's/^ */    /'
	fi
} | tee -a "$summary"

# --- wgangp bench at each size ---------------------------------------------
first=true
for s in $sizes; do
	f=${s%%:*} n=${s##*:}
	file=$logs/bench-${f}x${n}.log
	ops=0 limit=$t_bench
	if $first; then ops=$op_filters limit=$t_bench_first; fi
	var=GPU_CHECK_T_BENCH_${f}x${n}
	limit=${!var:-$limit}
	first=false
	step "bench F=$f batch=$n" "$file" "$limit" "$bin/wgangp" bench --backend "$backend" --op-filters "$ops" --filters "$f" --batch "$n" --iterations "$iterations" --profile "$profile"
	grep -E 's/iteration|dispatches|backend:|^generator iteration|^  (disc|gen)\.|^  layer|^profile:|  fused (elementwise|reduction)$' "$file" | sed 's/^/  /' | tee -a "$summary"
done

# --- PyTorch, the same generator iteration -----------------------------------
py=${GPU_CHECK_PYTHON:-}
if [ -z "$py" ]; then
	for p in python3 /usr/bin/python3; do
		if command -v "$p" >/dev/null && "$p" -c 'import torch' 2>/dev/null; then py=$p; break; fi
	done
fi
torch_log=$logs/torch.log
reserve=0
if [ -z "$py" ]; then
	say "[torch] SKIPPED: no Python with PyTorch found"
	failed+=("torch (no PyTorch)")
else
	torch_sizes=$(echo "$sizes" | tr ' ' ',')
	export PYTHONUNBUFFERED=1
	step "torch ($torch_device)" "$torch_log" "$t_torch" "$py" "$here/torch_iteration.py" --device "$torch_device" --sizes "$torch_sizes" $torch_opts
	grep -E '^torch' "$torch_log" | sed 's/^/  /' | tee -a "$summary"
fi

# --- Summary ---------------------------------------------------------------
say "total $(($(date +%s) - start)) s; logs in $logs: $(cd "$logs" && ls | tr '\n' ' ')"
if [ ${#failed[@]} -eq 0 ]; then
	say "RESULT: all parts passed"
	exit 0
fi
list=$(printf '%s; ' "${failed[@]}")
say "RESULT: FAILED: ${list%; }"
exit 1
