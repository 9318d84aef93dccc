package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/wgangp/wgangp/internal/cpufeat"
)

// bench torch is one sitting of the comparison the README reports: rounds
// that alternate, at each size, our generator iteration on the CPU (once
// for each set of kernels this CPU can run: AVX-512 and the AVX2 kernels
// of an AVX2-only machine, through WGANGP_CPU) with PyTorch's on the CPU
// (gpu/torch_iteration.py, OpenBLAS single-threaded inside as
// MACHINE-NOTES.md says), each as its own process, and prints each round's
// medians, the ratios ours / PyTorch, and the CPU time the host stole.

// torchSitting is what one sitting runs.
type torchSitting struct {
	rounds, iterations, threads int
	sizes                       [][2]int // F, batch
	kernels                     []kernelSet
	self                        string // this program, for our side
	python, script              string
	run                         sittingRunner
}

// kernelSet is one set of our CPU kernels: its name and WGANGP_CPU.
type kernelSet struct{ name, env string }

// sittingRunner runs a program with extra environment variables and
// returns what it printed (stdout and stderr).
type sittingRunner func(ctx context.Context, env []string, prog string, args ...string) (string, error)

func runBenchTorch(args []string, stdout io.Writer) error {
	fs := newFlags("bench torch")
	rounds := fs.Int("rounds", 3, "rounds, each timing every size once on each side")
	sizes := fs.String("sizes", "8:16,16:32", "F:batch pairs, comma-separated")
	iters := fs.Int("iterations", 5, "generator iterations timed per run (each side takes the median)")
	python := fs.String("python", defaultPython(), "the Python with torch")
	script := fs.String("script", "gpu/torch_iteration.py", "PyTorch's generator iteration")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usage(fmt.Errorf("bench torch takes no arguments, got %q", fs.Args()))
	}
	if *rounds < 1 || *iters < 1 {
		return usage(fmt.Errorf("--rounds and --iterations must be positive"))
	}
	sz, err := parseSizes(*sizes)
	if err != nil {
		return usage(err)
	}
	if _, err := os.Stat(*script); err != nil {
		return fmt.Errorf("PyTorch's iteration: %w (run from the repository's root, or give --script)", err)
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	s := torchSitting{
		rounds: *rounds, iterations: *iters, threads: runtime.NumCPU(), sizes: sz,
		kernels: cpuKernelSets(cpufeat.AVX2FMA, cpufeat.AVX512),
		self:    self, python: *python, script: *script, run: runProgram,
	}
	return s.sit(context.Background(), stdout)
}

// cpuKernelSets are the sets of our kernels a CPU with these instructions
// runs: its best, and AVX2's where that is not already the best.
func cpuKernelSets(avx2, avx512 bool) []kernelSet {
	switch {
	case avx512:
		return []kernelSet{{"AVX-512", ""}, {"AVX2", "avx2"}}
	case avx2:
		return []kernelSet{{"AVX2", ""}}
	}
	return []kernelSet{{"pure-Go", ""}}
}

// parseSizes reads "F:batch,F:batch".
func parseSizes(s string) ([][2]int, error) {
	var out [][2]int
	for _, p := range strings.Split(s, ",") {
		f, b, ok := strings.Cut(strings.TrimSpace(p), ":")
		fi, err1 := strconv.Atoi(f)
		bi, err2 := strconv.Atoi(b)
		if !ok || err1 != nil || err2 != nil || fi < 1 || bi < 1 {
			return nil, fmt.Errorf("--sizes: %q is not F:batch with positive F and batch", p)
		}
		out = append(out, [2]int{fi, bi})
	}
	return out, nil
}

var (
	oursLine  = regexp.MustCompile(`(?m)^generator iteration: ([0-9.]+) s`)
	torchLine = regexp.MustCompile(`(?m)^torch: F=(\d+) batch=(\d+) device=cpu math=fp32 ([0-9.]+) s/iteration`)
	blasLine  = regexp.MustCompile(`(?m)^blas: (.*)$`)
	ourName   = regexp.MustCompile(`(?m)^backend: (.*)$`)
)

// sittingTimes are one round's medians at one size: ours by kernel set,
// then PyTorch's.
type sittingTimes struct {
	ours  []float64
	torch float64
}

func (s *torchSitting) sit(ctx context.Context, w io.Writer) error {
	stolen0, stealOK := stolenSeconds()
	start := time.Now()
	fmt.Fprintf(w, "bench torch: rounds %d, F:batch %s, %d iterations a run; ours with %s kernels, PyTorch (%s %s) with %d threads\n",
		s.rounds, sizesString(s.sizes), s.iterations, kernelNames(s.kernels), s.python, s.script, s.threads)
	if m := cpuModel(); m != "" {
		fmt.Fprintf(w, "machine: %s, %d cores\n", m, runtime.NumCPU())
	}
	times := make([][]sittingTimes, len(s.sizes)) // [size][round]
	for r := 0; r < s.rounds; r++ {
		for i, size := range s.sizes {
			var t sittingTimes
			for _, k := range s.kernels {
				sec, err := s.ours(ctx, k, size, r == 0 && i == 0, w)
				if err != nil {
					return err
				}
				t.ours = append(t.ours, sec)
			}
			sec, err := s.pytorch(ctx, size, r == 0 && i == 0, w)
			if err != nil {
				return err
			}
			t.torch = sec
			times[i] = append(times[i], t)
			fmt.Fprintf(w, "round %d, F=%d batch %d: %s\n", r+1, size[0], size[1], t.describe(s.kernels))
		}
	}
	fmt.Fprintf(w, "\nmedians of %d iterations, by round (%.0f s in all", s.iterations, time.Since(start).Seconds())
	if stolen1, ok := stolenSeconds(); ok && stealOK {
		fmt.Fprintf(w, "; %.2f s of CPU stolen by the host", stolen1-stolen0)
	}
	fmt.Fprintln(w, "):")
	fmt.Fprint(w, "\n| F, batch |")
	for _, k := range s.kernels {
		fmt.Fprintf(w, " ours, %s |", k.name)
	}
	fmt.Fprint(w, " PyTorch |")
	for _, k := range s.kernels {
		fmt.Fprintf(w, " %s / PyTorch |", k.name)
	}
	fmt.Fprint(w, "\n|---|")
	for range 2*len(s.kernels) + 1 {
		fmt.Fprint(w, "---|")
	}
	fmt.Fprintln(w)
	for i, size := range s.sizes {
		fmt.Fprintf(w, "| %d, %d |", size[0], size[1])
		for k := range s.kernels {
			fmt.Fprintf(w, " %s |", joinRound(times[i], func(t sittingTimes) string { return fmt.Sprintf("%.3f", t.ours[k]) }))
		}
		fmt.Fprintf(w, " %s |", joinRound(times[i], func(t sittingTimes) string { return fmt.Sprintf("%.3f", t.torch) }))
		for k := range s.kernels {
			fmt.Fprintf(w, " %s |", joinRound(times[i], func(t sittingTimes) string { return fmt.Sprintf("%.2f", t.ours[k]/t.torch) }))
		}
		fmt.Fprintln(w)
	}
	return nil
}

func (t sittingTimes) describe(ks []kernelSet) string {
	var b strings.Builder
	for k, sec := range t.ours {
		fmt.Fprintf(&b, "ours %s %.3f s, ", ks[k].name, sec)
	}
	fmt.Fprintf(&b, "PyTorch %.3f s; ours / PyTorch", t.torch)
	for _, sec := range t.ours {
		fmt.Fprintf(&b, " %.2f", sec/t.torch)
	}
	return b.String()
}

func joinRound(ts []sittingTimes, f func(sittingTimes) string) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = f(t)
	}
	return strings.Join(parts, ", ")
}

func sizesString(sizes [][2]int) string {
	parts := make([]string, len(sizes))
	for i, sz := range sizes {
		parts[i] = fmt.Sprintf("%d:%d", sz[0], sz[1])
	}
	return strings.Join(parts, ",")
}

// cpuModel names the processor as /proc/cpuinfo does (its model name,
// family and model: the README's figures say which machine they came from),
// or "" where there is no such file.
func cpuModel() string {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return ""
	}
	info := map[string]string{}
	for _, line := range strings.Split(string(data), "\n") {
		if line == "" {
			break // the first processor is enough
		}
		if k, v, ok := strings.Cut(line, ":"); ok {
			info[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	if info["model name"] == "" {
		return ""
	}
	return fmt.Sprintf("%s (family %s model %s)", info["model name"], info["cpu family"], info["model"])
}

func kernelNames(ks []kernelSet) string {
	names := make([]string, len(ks))
	for i, k := range ks {
		names[i] = k.name
	}
	return strings.Join(names, " and ")
}

// ours runs our bench at size with kernel set k and returns its median.
func (s *torchSitting) ours(ctx context.Context, k kernelSet, size [2]int, first bool, w io.Writer) (float64, error) {
	env := []string{"WGANGP_CPU=" + k.env}
	args := []string{"bench", "--backend", "cpu", "--op-filters", "0", "--filters", strconv.Itoa(size[0]),
		"--batch", strconv.Itoa(size[1]), "--iterations", strconv.Itoa(s.iterations)}
	out, err := s.run(ctx, env, s.self, args...)
	if err != nil {
		return 0, fmt.Errorf("ours (%s kernels) at F=%d batch %d: %w\n%s", k.name, size[0], size[1], err, out)
	}
	m := oursLine.FindStringSubmatch(out)
	if m == nil {
		return 0, fmt.Errorf("ours (%s kernels) at F=%d batch %d printed no \"generator iteration: S s\" line:\n%s", k.name, size[0], size[1], out)
	}
	if n := ourName.FindStringSubmatch(out); n != nil && first {
		fmt.Fprintf(w, "ours: %s\n", n[1])
	}
	return strconv.ParseFloat(m[1], 64)
}

// pytorch runs PyTorch's iteration at size and returns its median.
func (s *torchSitting) pytorch(ctx context.Context, size [2]int, first bool, w io.Writer) (float64, error) {
	var env []string
	// The fair OpenBLAS settings of MACHINE-NOTES.md unless the caller set them.
	for _, kv := range []string{"OPENBLAS_NUM_THREADS=1", "OPENBLAS_CORETYPE=Haswell"} {
		if k, _, _ := strings.Cut(kv, "="); os.Getenv(k) == "" {
			env = append(env, kv)
		}
	}
	args := []string{s.script, "--device", "cpu", "--sizes", fmt.Sprintf("%d:%d", size[0], size[1]),
		"--iterations", strconv.Itoa(s.iterations), "--warmup", "2", "--threads", strconv.Itoa(s.threads)}
	out, err := s.run(ctx, env, s.python, args...)
	if err != nil {
		return 0, fmt.Errorf("PyTorch at F=%d batch %d (%s %s): %w\n%s", size[0], size[1], s.python, strings.Join(args, " "), err, out)
	}
	m := torchLine.FindStringSubmatch(out)
	if m == nil || m[1] != strconv.Itoa(size[0]) || m[2] != strconv.Itoa(size[1]) {
		return 0, fmt.Errorf("PyTorch at F=%d batch %d printed no \"torch: F=%d batch=%d device=cpu ... s/iteration\" line:\n%s", size[0], size[1], size[0], size[1], out)
	}
	if first {
		blas := "not reported"
		if b := blasLine.FindStringSubmatch(out); b != nil {
			blas = b[1]
		}
		fmt.Fprintf(w, "PyTorch's BLAS: %s\n", blas)
		if !strings.Contains(strings.ToLower(blas), "openblas") {
			fmt.Fprintln(w, "warning: PyTorch is not using OpenBLAS (install libopenblas0-pthread, MACHINE-NOTES.md): its figures are not the fair ones")
		}
	}
	return strconv.ParseFloat(m[3], 64)
}

func runProgram(ctx context.Context, env []string, prog string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, prog, args...)
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// stolenSeconds is the CPU time the hypervisor took from this machine so
// far (the steal column of /proc/stat), where the system says.
func stolenSeconds() (float64, bool) {
	f, err := os.Open("/proc/stat")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	if !sc.Scan() {
		return 0, false
	}
	fields := strings.Fields(sc.Text()) // cpu user nice system idle iowait irq softirq steal ...
	if len(fields) < 9 || fields[0] != "cpu" {
		return 0, false
	}
	ticks, err := strconv.ParseFloat(fields[8], 64)
	if err != nil {
		return 0, false
	}
	return ticks / 100, true // USER_HZ, 100 on Linux
}
