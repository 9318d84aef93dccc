// Command native is the desktop side of the trainer: training (headless,
// with PNGs, CSV, checkpoints and the weights file), the engine's check
// against other frameworks (lossgrad) and its benchmarks (bench).
//
//	native [train] [--data DIR] [--iterations N] [--out DIR]
//	native lossgrad --weights W.safetensors --inputs I.safetensors --out O.safetensors
//	native bench [--backend cpu] [--filters 8] [--batch 16]
//	native bench torch [--rounds 3] [--sizes 8:16,16:32]
//	native generate --weights W.safetensors [--n 25 --seed S | --latents Z.safetensors] --out DIR
//	native export --checkpoint C.safetensors --out W.safetensors
//	native inspect [--json] FILE
//
// Exit codes: 0 done, 1 an error (nothing the user had was changed), 2 a
// wrong command line, 3 training interrupted with its checkpoint saved, 4
// training diverged (README: What is safe).
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/wgangp/wgangp/internal/atomicfile"
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

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: native <command> [flags]\n\ncommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\n'native <command> -h' lists a command's flags.")
}

// Exit codes, documented in the README ("What is safe").
const (
	exitOK          = 0 // done (a finished run, a file written, help)
	exitError       = 1 // an error: bad input, a file that cannot be read or written; nothing the user had was changed
	exitUsage       = 2 // the command line is wrong: unknown command or flag, a missing or malformed argument
	exitInterrupted = 3 // training stopped before its target (signal, window, closed output); the checkpoint is saved: --resume continues
	exitDiverged    = 4 // training diverged (NaN or Inf); the last good checkpoint is kept
)

func main() {
	args := os.Args[1:]
	if len(args) == 0 || (len(args[0]) > 0 && args[0][0] == '-' && args[0] != "-h" && args[0] != "--help") {
		args = append([]string{"train"}, args...) // no command: train with defaults
	}
	name := args[0]
	if name == "-h" || name == "--help" || name == "help" {
		printUsage(os.Stdout)
		return
	}
	for _, c := range commands {
		if c.name == name {
			err := c.run(args[1:], os.Stdout)
			code := exitCode(err)
			if code != exitOK {
				fmt.Fprintf(os.Stderr, "native %s: %s\n", name, sanitize(err.Error()))
			}
			os.Exit(code)
		}
	}
	fmt.Fprintf(os.Stderr, "native: unknown command %s\n\n", atomicfile.Quote(name))
	printUsage(os.Stderr)
	os.Exit(exitUsage)
}

// exitCode maps a command's error to the exit code of its kind.
func exitCode(err error) int {
	var ue *usageError
	var ie *interruptedError
	var de *divergedError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.As(err, &ue):
		return exitUsage
	case errors.As(err, &ie):
		return exitInterrupted
	case errors.As(err, &de):
		return exitDiverged
	}
	return exitError
}

// usageError is a wrong command line (exit code 2).
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// usage marks err as a wrong command line; flag.ErrHelp stays itself.
func usage(err error) error {
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return err
	}
	return &usageError{err}
}

// interruptedError is a run stopped before its target with its checkpoint
// saved (exit code 3).
type interruptedError struct {
	why       string
	iteration int
	dir       string
}

func (e *interruptedError) Error() string {
	if e.iteration < 0 {
		return fmt.Sprintf("interrupted (%s) before training started; nothing was written", e.why)
	}
	return fmt.Sprintf("interrupted (%s) at iteration %d; checkpoint saved: continue with --resume %s", e.why, e.iteration, atomicfile.Quote(e.dir))
}

// divergedError is a run that diverged (exit code 4).
type divergedError struct {
	div    error
	advice string
}

func (e *divergedError) Error() string { return e.div.Error() + "; " + e.advice }
func (e *divergedError) Unwrap() error { return e.div }

// sanitize escapes the control characters of a message (but its newlines
// and tabs) so that a name holding an escape code cannot act on the
// terminal.
func sanitize(s string) string {
	var b strings.Builder
	for _, r := range s {
		if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			fmt.Fprintf(&b, "\\x%02x", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// newFlags makes a flag set for a subcommand that reports errors instead of
// exiting, so tests can run commands in-process.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("native "+name, flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	return fs
}
