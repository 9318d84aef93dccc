// Command native is the desktop side of the trainer: training (headless,
// with PNGs, CSV, checkpoints and the weights file), the engine's check
// against other frameworks (lossgrad) and its benchmarks (bench).
//
//	native [train] [--data DIR] [--iterations N] [--out DIR]
//	native lossgrad --weights W.safetensors --inputs I.safetensors --out O.safetensors
//	native bench [--backend cpu] [--filters 8] [--batch 16]
//	native generate --weights W.safetensors [--n 25 --seed S | --latents Z.safetensors] --out DIR
//	native export --checkpoint C.safetensors --out W.safetensors
//	native inspect [--json] FILE
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

type command struct {
	name, summary string
	run           func(args []string, stdout io.Writer) error
}

var commands = []command{
	{"train", "train on a folder of images, or on the embedded flowers (the default command)", runTrain},
	{"lossgrad", "losses and gradients for given weights and inputs, as safetensors (the check against other frameworks)", runLossGrad},
	{"bench", "GFLOP/s of the convolution family and seconds per generator iteration", runBench},
	{"generate", "images from a weights file or checkpoint, as PNGs, with the latents that made them", runGenerate},
	{"export", "the weights file (SPEC.md §6) of a checkpoint", runExport},
	{"inspect", "what a safetensors file holds: kind, metadata, tensors with their statistics", runInspect},
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: native <command> [flags]\n\ncommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\n'native <command> -h' lists a command's flags.")
}

func main() {
	args := os.Args[1:]
	if len(args) == 0 || (len(args[0]) > 0 && args[0][0] == '-' && args[0] != "-h" && args[0] != "--help") {
		args = append([]string{"train"}, args...) // no command: train with defaults
	}
	name := args[0]
	if name == "-h" || name == "--help" || name == "help" {
		usage(os.Stdout)
		return
	}
	for _, c := range commands {
		if c.name == name {
			err := c.run(args[1:], os.Stdout)
			if errors.Is(err, flag.ErrHelp) {
				return
			}
			if err != nil {
				fmt.Fprintf(os.Stderr, "native %s: %v\n", name, err)
				os.Exit(1)
			}
			return
		}
	}
	fmt.Fprintf(os.Stderr, "native: unknown command %q\n\n", name)
	usage(os.Stderr)
	os.Exit(2)
}

// newFlags makes a flag set for a subcommand that reports errors instead of
// exiting, so tests can run commands in-process.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("native "+name, flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	return fs
}
