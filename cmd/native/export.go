package main

import (
	"fmt"
	"io"
	"strconv"

	"github.com/wgangp/wgangp/safetensors"
	"github.com/wgangp/wgangp/wgan"
	"github.com/wgangp/wgangp/wgan/train"
)

// runExport writes the weights file of a checkpoint (SPEC.md §6): the
// model's tensors only, without Adam's moments or metadata, exactly as
// train writes weights.safetensors.
func runExport(args []string, stdout io.Writer) error {
	fs := newFlags("export")
	ckPath := fs.String("checkpoint", "", "checkpoint to export (a weights file is refused: it is already the export)")
	out := fs.String("out", "", "weights file to write (safetensors, SPEC.md §6), atomically")
	asTrained := fs.Bool("as-trained", false, "in a run with --ema, the generator as trained instead of its moving average")
	if err := fs.Parse(args); err != nil {
		return usage(err)
	}
	if *ckPath == "" || *out == "" {
		fs.Usage()
		return usage(fmt.Errorf("--checkpoint and --out are required"))
	}
	if fs.NArg() > 0 {
		return usage(fmt.Errorf("unexpected arguments %q", fs.Args()))
	}
	outs := newOutputs(*ckPath)
	if err := outs.check("--out", *out); err != nil {
		return err
	}
	ck, err := safetensors.ReadFile(*ckPath)
	if err != nil {
		return err
	}
	w, cfg, err := exportWeights(ck, *asTrained)
	if err != nil {
		return fmt.Errorf("%s: %w", q(*ckPath), err)
	}
	if err := outs.safetensors("--out", *out, w); err != nil {
		return err
	}
	gen, disc := paramCounts(cfg.Filters, cfg.Latent)
	which := averageNote(cfg, *asTrained)
	fmt.Fprintf(stdout, "wrote %s: weights of %s (iteration %s, step_d %s%s), F=%d, Z=%d, %d tensors, %d parameters (generator %d, critic %d)\n",
		q(*out), q(*ckPath), ck.Metadata["step_g"], ck.Metadata["step_d"], which, cfg.Filters, cfg.Latent, len(w.Tensors), gen+disc, gen, disc)
	return nil
}

// exportWeights returns the weights file of a checkpoint, its tensors in
// the order of wgan.Params, after checking that it decodes strictly and
// matches the spec of SPEC.md §6 with nothing else, and that a trainer's
// checkpoint has consistent metadata (train.ReadSaved). The generator is
// its moving average when the run keeps one, unless asTrained.
func exportWeights(ck *safetensors.File, asTrained bool) (*safetensors.File, wgan.Config, error) {
	cfg, err := checkCheckpoint(ck)
	if err != nil {
		if f, z, werr := wgan.SizeOf(ck, false); werr == nil {
			return nil, cfg, fmt.Errorf("already a weights file (F=%d, Z=%d, no optimizer state): use it as it is, export takes a checkpoint", f, z)
		}
		return nil, cfg, err
	}
	w, _, err := train.CheckpointModel(ck, asTrained)
	if err != nil {
		return nil, cfg, err
	}
	back, err := safetensors.Decode(w.Bytes())
	if err != nil {
		return nil, cfg, fmt.Errorf("exported weights do not decode: %w", err)
	}
	if _, _, err := wgan.SizeOf(back, false); err != nil {
		return nil, cfg, fmt.Errorf("exported weights do not match SPEC.md §6: %w", err)
	}
	return w, cfg, nil
}

// checkCheckpoint is the check of a checkpoint that inspect and export
// share: wgan's (format, configuration, tensors, step counts) and, for a
// trainer's checkpoint, train.ReadSaved's (every key, counts consistent).
func checkCheckpoint(ck *safetensors.File) (wgan.Config, error) {
	cfg, err := wgan.CheckpointConfig(ck)
	if err != nil {
		return cfg, err
	}
	if train.IsTrainerCheckpoint(ck) {
		if _, err := train.ReadSaved(ck); err != nil {
			return cfg, err
		}
		return cfg, nil
	}
	stepG, errG := strconv.Atoi(ck.Metadata["step_g"])
	stepD, errD := strconv.Atoi(ck.Metadata["step_d"])
	if errG != nil || errD != nil || stepG < 0 || stepD < 0 {
		return cfg, fmt.Errorf("step counts step_g %q and step_d %q are not counts", ck.Metadata["step_g"], ck.Metadata["step_d"])
	}
	return cfg, nil
}

// paramCounts is the number of parameters of the generator and of the
// critic of width f and latent size z.
func paramCounts(f, z int) (gen, disc int) {
	for _, p := range wgan.GenParams(f, z) {
		gen += p.Shape.Size()
	}
	for _, p := range wgan.DiscParams(f) {
		disc += p.Shape.Size()
	}
	return gen, disc
}

// averageNote says, for a message, that the generator taken from a
// checkpoint of cfg's run is its moving average, when it is (a run with
// --ema and no --as-trained); "" otherwise.
func averageNote(cfg wgan.Config, asTrained bool) string {
	if cfg.EMA > 0 && !asTrained {
		return fmt.Sprintf(", the generator's moving average (decay %g; --as-trained for the weights as trained)", cfg.EMA)
	}
	return ""
}
