"""wgangp in PyTorch: the model of SPEC §2 under the weights file's names
(§6), the losses of §3 with the penalty's double backward, MATLAB's Adam
(§4), the image-folder pipeline of §1, our checkpoint format both ways, and
the training loop, data parallel under torchrun; the configuration's
options Linear (a critic without the final sigmoid) and EMA (a moving
average of the generator's weights).

Modules: safetensors (the file format), model, losses, adam, ema (the
moving average), rng (Go's PCG and the data order of wgan/data), data,
checkpoint, lossgrad (CLI), train (CLI), quality (CLI: timed training with
weight snapshots), png.
"""

__version__ = "0.1.0"
