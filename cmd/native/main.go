// Command native is the desktop side of the trainer: the engine's checks
// against other frameworks (lossgrad) and its benchmarks (bench).
//
//	native lossgrad --weights W.safetensors --inputs I.safetensors --out O.safetensors
//	native bench [--backend cpu] [--filters 8] [--batch 16]
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
	{"lossgrad", "losses and gradients for given weights and inputs, as safetensors (the check against other frameworks)", runLossGrad},
	{"bench", "GFLOP/s of the convolution family and seconds per generator iteration", runBench},
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: native <command> [flags]\n\ncommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\n'native <command> -h' lists a command's flags.")
}

func main() {
	if len(os.Args) < 2 {
		usage(os.Stderr)
		os.Exit(2)
	}
	name := os.Args[1]
	if name == "-h" || name == "--help" || name == "help" {
		usage(os.Stdout)
		return
	}
	for _, c := range commands {
		if c.name == name {
			err := c.run(os.Args[2:], os.Stdout)
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
