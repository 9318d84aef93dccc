package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/wgangp/wgangp/safetensors"
	"github.com/wgangp/wgangp/wgan"
)

// inspection is what inspect reports about a file; --json prints it as is.
type inspection struct {
	File  string `json:"file"`
	Bytes int64  `json:"bytes"`
	// Kind is weights, checkpoint, latents, lossgrad-inputs,
	// lossgrad-outputs or unknown.
	Kind string `json:"kind"`
	// Problem says why a file that looks like one of the kinds is not a
	// valid one, or why a checkpoint's step counts are unreadable.
	Problem string `json:"problem,omitempty"`

	Filters int  `json:"filters,omitempty"` // F of a model file
	Latent  int  `json:"latent,omitempty"`  // Z
	Samples int  `json:"samples,omitempty"` // n of latents, N of lossgrad files
	StepG   *int `json:"step_g,omitempty"`  // a checkpoint's generator steps: its iteration
	StepD   *int `json:"step_d,omitempty"`  // a checkpoint's discriminator steps

	// Parameters counts the model's parameters in weights and checkpoints
	// (Adam's moments not included).
	Parameters          int `json:"parameters,omitempty"`
	GeneratorParameters int `json:"generator_parameters,omitempty"`
	CriticParameters    int `json:"critic_parameters,omitempty"`
	// Elements counts the values of every tensor in the file.
	Elements int `json:"elements"`

	Metadata map[string]string `json:"metadata"`
	Config   json.RawMessage   `json:"config,omitempty"` // a checkpoint's configuration
	Tensors  []tensorInfo      `json:"tensors"`
}

// tensorInfo describes one tensor; its statistics are absent for an empty one.
type tensorInfo struct {
	Name     string `json:"name"`
	Shape    []int  `json:"shape"`
	DType    string `json:"dtype"`
	Elements int    `json:"elements"`
	*Stats
}

// Stats are a tensor's range, mean and (population) standard deviation.
type Stats struct {
	Min  float64 `json:"min"`
	Max  float64 `json:"max"`
	Mean float64 `json:"mean"`
	Std  float64 `json:"std"`
}

// runInspect prints the tensors, metadata and kind of a safetensors file.
func runInspect(args []string, stdout io.Writer) error {
	fs := newFlags("inspect")
	asJSON := fs.Bool("json", false, "print one JSON object (for machines) instead of text")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: native inspect [--json] FILE\n\nprints a safetensors file's kind, metadata and tensors (shape, dtype, count, min, max, mean, std)")
		fs.PrintDefaults()
	}
	var files []string // flags may come before or after the file
	for rest := args; ; {
		if err := fs.Parse(rest); err != nil {
			return usage(err)
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	if len(files) != 1 {
		fs.Usage()
		return usage(fmt.Errorf("inspect takes one file, got %d", len(files)))
	}
	path := files[0]
	f, err := safetensors.ReadFile(path)
	if err != nil {
		return err
	}
	info, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("%s: %w", q(path), bareErr(err))
	}
	in := inspect(f)
	in.File, in.Bytes = path, info.Size()
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(in)
	}
	return in.print(stdout)
}

// inspect describes f: kind, counts, metadata and each tensor's statistics.
func inspect(f *safetensors.File) *inspection {
	in := &inspection{Kind: "unknown", Metadata: f.Metadata, Tensors: []tensorInfo{}}
	if in.Metadata == nil {
		in.Metadata = map[string]string{}
	}
	for _, t := range f.Tensors {
		in.Elements += len(t.Data)
		in.Tensors = append(in.Tensors, tensorInfo{
			Name: t.Name, Shape: append([]int{}, t.Shape...), DType: "F32",
			Elements: len(t.Data), Stats: summarize(t.Data),
		})
	}
	in.classify(f)
	if in.Kind == "weights" || in.Kind == "checkpoint" {
		in.GeneratorParameters, in.CriticParameters = paramCounts(in.Filters, in.Latent)
		in.Parameters = in.GeneratorParameters + in.CriticParameters
	}
	return in
}

func summarize(v []float32) *Stats {
	if len(v) == 0 {
		return nil
	}
	s := &Stats{Min: math.Inf(1), Max: math.Inf(-1)}
	for _, x := range v {
		s.Min = min(s.Min, float64(x))
		s.Max = max(s.Max, float64(x))
		s.Mean += float64(x)
	}
	s.Mean /= float64(len(v))
	for _, x := range v {
		d := float64(x) - s.Mean
		s.Std += d * d
	}
	s.Std = math.Sqrt(s.Std / float64(len(v)))
	return s
}

// classify sets the kind of f and its sizes, trying each kind this program
// writes. A file that has a kind's telltale tensor or metadata but fails
// its checks stays unknown, with the reason in Problem.
func (in *inspection) classify(f *safetensors.File) {
	cfg, err := wgan.CheckpointConfig(f)
	switch {
	case err == nil:
		in.Kind, in.Filters, in.Latent = "checkpoint", cfg.Filters, cfg.Latent
		in.Config = json.RawMessage(f.Metadata["config"])
		if _, err := checkCheckpoint(f); err != nil {
			in.Problem = "not a valid checkpoint: " + err.Error()
			return
		}
		stepG, _ := strconv.Atoi(f.Metadata["step_g"])
		stepD, _ := strconv.Atoi(f.Metadata["step_d"])
		in.StepG, in.StepD = &stepG, &stepD
		return
	case f.Metadata["format"] != "" || slices.ContainsFunc(f.Tensors, func(t safetensors.Tensor) bool {
		return strings.HasPrefix(t.Name, "optim.")
	}):
		in.Problem = "not a valid checkpoint: " + err.Error()
		return
	}

	if _, ok := f.Get("gen.project.weight"); ok {
		width, z, err := wgan.SizeOf(f, false)
		if err != nil {
			in.Problem = "not a valid weights file: " + err.Error()
			return
		}
		in.Kind, in.Filters, in.Latent = "weights", width, z
		return
	}

	g, hasGrad := f.Get("grad.gen.project.weight")
	fake, hasFake := f.Get("fake")
	if hasGrad || hasFake {
		if !hasGrad || !hasFake || len(g.Shape) != 2 || g.Shape[0]%128 != 0 || len(fake.Shape) != 4 {
			in.Problem = "not valid lossgrad outputs: expected grad.gen.project.weight [128·F Z] and fake [N 3 64 64]"
			return
		}
		width, z, n := g.Shape[0]/128, g.Shape[1], fake.Shape[0]
		if err := f.Check(outputsSpec(width, z, n), ""); err != nil {
			in.Problem = fmt.Sprintf("not valid lossgrad outputs for F=%d, Z=%d, N=%d: %v", width, z, n, err)
			return
		}
		in.Kind, in.Filters, in.Latent, in.Samples = "lossgrad-outputs", width, z, n
		return
	}

	if x, ok := f.Get("x"); ok {
		zt, _ := f.Get("z")
		if len(x.Shape) != 4 || len(zt.Shape) != 2 {
			in.Problem = "not valid lossgrad inputs: expected x [N 3 64 64] and z [N Z]"
			return
		}
		n, z := x.Shape[0], zt.Shape[1]
		if err := f.Check(inputsSpec(n, z), ""); err != nil {
			in.Problem = fmt.Sprintf("not valid lossgrad inputs for N=%d, Z=%d: %v", n, z, err)
			return
		}
		in.Kind, in.Latent, in.Samples = "lossgrad-inputs", z, n
		return
	}

	if t, err := latentsTensor(f); err == nil {
		in.Kind, in.Samples, in.Latent = "latents", t.Shape[0], t.Shape[1]
	}
}

// print writes in as aligned text.
func (in *inspection) print(w io.Writer) error {
	var b strings.Builder
	kind := in.Kind
	var sizes []string
	if in.Filters > 0 {
		sizes = append(sizes, fmt.Sprintf("F=%d", in.Filters))
	}
	if in.Latent > 0 {
		sizes = append(sizes, fmt.Sprintf("Z=%d", in.Latent))
	}
	if in.Samples > 0 {
		sizes = append(sizes, fmt.Sprintf("n=%d", in.Samples))
	}
	if len(sizes) > 0 {
		kind += " (" + strings.Join(sizes, ", ") + ")"
	}
	head := [][2]string{{"file", fmt.Sprintf("%s (%d bytes)", q(in.File), in.Bytes)}, {"kind", kind}}
	if in.StepG != nil {
		head = append(head, [2]string{"iteration", fmt.Sprintf("%d (step_g %d, step_d %d)", *in.StepG, *in.StepG, *in.StepD)})
	}
	if in.Parameters > 0 {
		head = append(head, [2]string{"parameters", fmt.Sprintf("%d (generator %d, critic %d)", in.Parameters, in.GeneratorParameters, in.CriticParameters)})
	}
	head = append(head, [2]string{"elements", fmt.Sprintf("%d in %d tensors", in.Elements, len(in.Tensors))})
	if in.Problem != "" {
		head = append(head, [2]string{"problem", indentLines(in.Problem, 12)})
	}
	for _, h := range head {
		fmt.Fprintf(&b, "%-11s %s\n", h[0]+":", h[1])
	}

	if len(in.Metadata) > 0 {
		b.WriteString("\nmetadata:\n")
		var rows [][]string
		for _, k := range slices.Sorted(maps.Keys(in.Metadata)) {
			v := in.Metadata[k]
			if block, ok := jsonBlock(v); ok {
				fmt.Fprintf(&b, "  %s:\n%s", printable(k), block)
			} else {
				rows = append(rows, []string{printable(k) + ":", printable(v)})
			}
		}
		writeTable(&b, rows, 2)
	}

	b.WriteString("\ntensors:\n")
	rows := [][]string{{"name", "shape", "dtype", "elements", "min", "max", "mean", "std"}}
	for _, t := range in.Tensors {
		row := []string{printable(t.Name), fmt.Sprint(t.Shape), t.DType, strconv.Itoa(t.Elements), "-", "-", "-", "-"}
		if s := t.Stats; s != nil {
			for i, v := range []float64{s.Min, s.Max, s.Mean, s.Std} {
				row[4+i] = strconv.FormatFloat(v, 'g', 4, 64)
			}
		}
		rows = append(rows, row)
	}
	writeTable(&b, rows, 3) // columns from the fourth on are numbers
	_, err := io.WriteString(w, b.String())
	return err
}

// writeTable writes rows of cells as columns two spaces apart, indented by
// two, with the columns from firstRight on aligned right.
func writeTable(b *strings.Builder, rows [][]string, firstRight int) {
	var widths []int
	for _, r := range rows {
		for i, c := range r {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	for _, r := range rows {
		cells := make([]string, len(r))
		for i, c := range r {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c))
			if i >= firstRight {
				cells[i] = pad + c
			} else {
				cells[i] = c + pad
			}
		}
		b.WriteString(strings.TrimRight("  "+strings.Join(cells, "  "), " ") + "\n")
	}
}

// jsonBlock returns v pretty-printed and indented by four if it is a JSON
// object or array.
func jsonBlock(v string) (string, bool) {
	t := strings.TrimSpace(v)
	if !strings.HasPrefix(t, "{") && !strings.HasPrefix(t, "[") {
		return "", false
	}
	var buf bytes.Buffer
	if json.Indent(&buf, []byte(t), "    ", "  ") != nil {
		return "", false
	}
	return "    " + buf.String() + "\n", true
}

// printable quotes s if it holds anything that would break the layout.
func printable(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 || s == "" {
		return strconv.Quote(s)
	}
	return s
}

// indentLines indents every line of s after the first by n spaces, and
// tab-indented lines (as in a list of problems) by two more.
func indentLines(s string, n int) string {
	s = strings.ReplaceAll(s, "\n\t", "\n  ")
	return strings.ReplaceAll(s, "\n", "\n"+strings.Repeat(" ", n))
}
