// Command pipelines measures how long a WebGPU device takes to create the
// compute pipelines of the model's D and G steps, kernel by kernel: in
// headless Chromium (on a machine without a GPU its adapter is SwiftShader)
// and natively through wgpu-native (lavapipe here). It prints each kernel's
// time and the sums by kernel family.
//
//	go run ./tools/pipelines dump -o /tmp/k.json            # the kernels' WGSL, as JSON
//	go run ./tools/pipelines browser /tmp/k.json            # time each in Chromium
//	go run ./tools/pipelines native /tmp/k.json             # time each on wgpu-native
//
// dump plans the steps as the WebGPU backend does on a software adapter
// (it opens one: lavapipe here). browser creates each pipeline with
// createComputePipelineAsync, awaiting it before the next, in a fresh
// browser; -all also times them all asked for at once, as the backend does.
package main

import (
	"cmp"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/wgangp/wgangp/engine"
	"github.com/wgangp/wgangp/engine/webgpu"
	"github.com/wgangp/wgangp/shaders"
	"github.com/wgangp/wgangp/wgan"
)

// kernel is one kernel of the dump.
type kernel struct {
	Name   string `json:"name"`
	Step   string `json:"step"` // D or G, the first plan that uses it
	Sig    string `json:"sig"`  // binding access, e.g. "rrw"
	Source string `json:"source"`
	Lines  int    `json:"lines"`
}

// timing is one kernel's time to a pipeline.
type timing struct {
	Name string  `json:"name"`
	MS   float64 `json:"ms"`
	Err  string  `json:"err,omitempty"`
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: pipelines dump|browser|native ...")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "dump":
		err = dump(os.Args[2:])
	case "browser":
		err = browser(os.Args[2:])
	case "native":
		err = native(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "pipelines:", err)
		os.Exit(1)
	}
}

func dump(args []string) error {
	fs := flag.NewFlagSet("dump", flag.ExitOnError)
	f := fs.Int("filters", 8, "F")
	n := fs.Int("batch", 16, "batch")
	out := fs.String("o", "kernels.json", "output file")
	kernels := fs.String("kernels", webgpu.KernelsAuto, "the backend's kernel choice: auto, tiled or direct")
	fs.Parse(args)
	b, err := webgpu.Open(webgpu.Options{Adapter: webgpu.AdapterSoftware, Kernels: *kernels})
	if err != nil {
		return err
	}
	defer b.Close()
	cfg := wgan.SeedConfig()
	cfg.Filters, cfg.Batch = *f, *n
	steps, err := wgan.NewSteps(b, cfg, wgan.Init(*f, cfg.Latent, rand.New(rand.NewPCG(3, 4))))
	if err != nil {
		return err
	}
	defer steps.Close()
	d, g := steps.Plans(engine.PlanOptionsFor(b))
	var ks []kernel
	seen := map[string]bool{}
	for i, p := range []*engine.Plan{d, g} {
		for _, n := range p.Steps {
			op, err := shaders.CompileWith(n, b.ShaderOptions())
			if err != nil {
				return err
			}
			for _, dd := range op.Dispatches {
				k := dd.Kernel
				if w := k.Workgroups; w[0] == 0 || w[1] == 0 || w[2] == 0 {
					continue
				}
				sig := ""
				for _, a := range k.Bindings {
					sig += map[shaders.Access]string{shaders.Read: "r", shaders.ReadWrite: "w", shaders.Uniform: "u"}[a]
				}
				key := sig + "\n" + k.Source
				if seen[key] {
					continue
				}
				seen[key] = true
				ks = append(ks, kernel{Name: k.Name, Step: "DG"[i : i+1], Sig: sig, Source: k.Source, Lines: strings.Count(k.Source, "\n")})
			}
		}
	}
	buf, err := json.MarshalIndent(ks, "", " ")
	if err != nil {
		return err
	}
	fmt.Printf("%d distinct kernels (D and G steps at F=%d, batch %d, on %s)\n", len(ks), *f, *n, b.Name())
	return os.WriteFile(*out, buf, 0o644)
}

func load(path string) ([]kernel, error) {
	buf, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var ks []kernel
	return ks, json.Unmarshal(buf, &ks)
}

// family names a kernel's kind for the sums: the op and the method, with
// the tile of a GEMM.
func family(name string) string {
	tile := regexp.MustCompile(`tile\d+x\d+x\d+_\d+x\d+`).FindString(name)
	op, _, _ := strings.Cut(name, "_")
	switch {
	case strings.HasPrefix(op, "conv") && strings.Contains(name, "_col2im"):
		return op + " col2im"
	case strings.HasPrefix(op, "conv") && regexp.MustCompile(`_sum\d+$`).MatchString(name):
		return op + " split sum"
	case strings.HasPrefix(op, "conv") && strings.Contains(name, "_columns_"):
		return op + " columns " + tile
	case strings.HasPrefix(op, "conv") && strings.Contains(name, "_phases"):
		return op + " phases " + tile
	case strings.HasPrefix(op, "conv"), op == "matmul":
		return op + " " + tile
	case op == "fused" && strings.Contains(name, "_to_"):
		return "fused reduction"
	}
	return op
}

// report prints each kernel's time, slowest first, and the sums by family.
func report(w io.Writer, ks []kernel, ts []timing) {
	lines := map[string]int{}
	for _, k := range ks {
		lines[k.Name] = k.Lines
	}
	type fam struct {
		name     string
		n, lines int
		ms       float64
	}
	fams := map[string]*fam{}
	total := 0.0
	sorted := slices.Clone(ts)
	slices.SortFunc(sorted, func(a, b timing) int { return cmp.Compare(b.MS, a.MS) })
	for _, t := range sorted {
		e := ""
		if t.Err != "" {
			e = " ERROR " + t.Err
		}
		fmt.Fprintf(w, "%9.1f ms %5d lines  %s%s\n", t.MS, lines[t.Name], t.Name, e)
		f := fams[family(t.Name)]
		if f == nil {
			f = &fam{name: family(t.Name)}
			fams[f.name] = f
		}
		f.n++
		f.lines += lines[t.Name]
		f.ms += t.MS
		total += t.MS
	}
	var fl []*fam
	for _, f := range fams {
		fl = append(fl, f)
	}
	slices.SortFunc(fl, func(a, b *fam) int { return cmp.Compare(b.ms, a.ms) })
	fmt.Fprintf(w, "\nby family (kernels, WGSL lines, seconds, share):\n")
	for _, f := range fl {
		fmt.Fprintf(w, "%-40s %4d %7d %8.2f s %5.1f%%\n", f.name, f.n, f.lines, f.ms/1e3, 100*f.ms/total)
	}
	fmt.Fprintf(w, "%-40s %4d %7s %8.2f s\n", "total", len(ts), "", total/1e3)
}

// filter keeps the kernels whose names match re (all with "").
func filter(ks []kernel, re string) ([]kernel, error) {
	if re == "" {
		return ks, nil
	}
	r, err := regexp.Compile(re)
	if err != nil {
		return nil, err
	}
	var out []kernel
	for _, k := range ks {
		if r.MatchString(k.Name) {
			out = append(out, k)
		}
	}
	return out, nil
}

const pageJS = `
async function timePipelines(kernels, all) {
	const adapter = await navigator.gpu.requestAdapter();
	const device = await adapter.requestDevice();
	const layouts = {};
	const layout = sig => {
		if (!layouts[sig]) {
			const entries = [...sig].map((c, i) => ({binding: i, visibility: GPUShaderStage.COMPUTE,
				buffer: {type: c === "w" ? "storage" : "read-only-storage"}}));
			layouts[sig] = device.createPipelineLayout({bindGroupLayouts: [device.createBindGroupLayout({entries})]});
		}
		return layouts[sig];
	};
	const make = async k => {
		const t0 = performance.now();
		try {
			const module = device.createShaderModule({code: k.source});
			await device.createComputePipelineAsync({layout: layout(k.sig), compute: {module, entryPoint: "main"}});
			return {name: k.name, ms: performance.now() - t0};
		} catch (e) {
			return {name: k.name, ms: performance.now() - t0, err: String(e)};
		}
	};
	const t0 = performance.now();
	if (all) {
		const out = await Promise.all(kernels.map(make));
		return {total: performance.now() - t0, each: out};
	}
	const out = [];
	for (const k of kernels) {
		out.push(await make(k));
		console.log(out.length + "/" + kernels.length + " " + k.name + " " + out[out.length-1].ms.toFixed(0) + " ms");
	}
	return {total: performance.now() - t0, each: out};
}`

func browser(args []string) error {
	fs := flag.NewFlagSet("browser", flag.ExitOnError)
	all := fs.Bool("all", false, "ask for every pipeline at once (one total)")
	re := fs.String("run", "", "only the kernels whose names match this regexp")
	verbose := fs.Bool("v", false, "log each kernel as it is made")
	fs.Parse(args)
	ks, err := load(fs.Arg(0))
	if err != nil {
		return err
	}
	if ks, err = filter(ks, *re); err != nil {
		return err
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/kernels.json" {
			json.NewEncoder(w).Encode(ks)
			return
		}
		fmt.Fprintf(w, "<!doctype html><link rel=\"icon\" href=\"data:,\"><title>pipelines</title><script>%s</script>", pageJS)
	}))
	defer srv.Close()
	dir, err := os.MkdirTemp("", "pipelines-chromium-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath("/usr/bin/chromium"), chromedp.UserDataDir(dir), chromedp.Headless, chromedp.NoSandbox,
		chromedp.NoFirstRun, chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("enable-unsafe-webgpu", true))
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	if *verbose {
		go func() {
			for m, err := range chromedp.Console(ctx) {
				if err != nil {
					return
				}
				fmt.Fprintln(os.Stderr, m)
			}
		}()
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL)); err != nil {
		return err
	}
	adapter, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(async () => { const a = await navigator.gpu.requestAdapter(); return a ? a.info.vendor + " " + a.info.architecture : "none"; })()`, chromedp.EvalAwaitPromise))
	if err != nil {
		return err
	}
	type result struct {
		Total float64  `json:"total"`
		Each  []timing `json:"each"`
	}
	tctx, tcancel := context.WithTimeout(ctx, 30*time.Minute)
	defer tcancel()
	expr := fmt.Sprintf(`fetch("/kernels.json").then(r => r.json()).then(ks => timePipelines(ks, %v))`, *all)
	res, err := chromedp.Run(tctx, chromedp.Evaluate[result](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		return err
	}
	fmt.Printf("adapter: %s; %d kernels\n", adapter, len(ks))
	if *all {
		fmt.Printf("all at once: %.2f s\n", res.Total/1e3)
		return nil
	}
	report(os.Stdout, ks, res.Each)
	fmt.Printf("one at a time, wall: %.2f s\n", res.Total/1e3)
	return nil
}

func native(args []string) error {
	fs := flag.NewFlagSet("native", flag.ExitOnError)
	re := fs.String("run", "", "only the kernels whose names match this regexp")
	fs.Parse(args)
	ks, err := load(fs.Arg(0))
	if err != nil {
		return err
	}
	if ks, err = filter(ks, *re); err != nil {
		return err
	}
	b, err := webgpu.Open(webgpu.Options{Adapter: webgpu.AdapterSoftware})
	if err != nil {
		return err
	}
	defer b.Close()
	var ts []timing
	t0 := time.Now()
	for _, k := range ks {
		bind := make([]shaders.Access, len(k.Sig))
		for i, c := range k.Sig {
			switch c {
			case 'w':
				bind[i] = shaders.ReadWrite
			case 'u':
				bind[i] = shaders.Uniform
			}
		}
		t := time.Now()
		err := b.CompileKernel(&shaders.Kernel{Name: k.Name, Source: k.Source, Bindings: bind, Workgroups: [3]int{1, 1, 1}})
		tm := timing{Name: k.Name, MS: float64(time.Since(t).Microseconds()) / 1e3}
		if err != nil {
			tm.Err = strings.SplitN(err.Error(), "\n", 2)[0]
		}
		ts = append(ts, tm)
	}
	fmt.Printf("adapter: %s; %d kernels\n", b.Name(), len(ks))
	report(os.Stdout, ks, ts)
	fmt.Printf("one at a time, wall: %.2f s\n", time.Since(t0).Seconds())
	return nil
}
