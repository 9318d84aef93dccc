"""wgangp in PyTorch: the model of SPEC §2 under the weights file's names
(§6), the losses of §3 with the penalty's double backward, MATLAB's Adam
(§4), the image-folder pipeline of §1, our checkpoint format both ways, and
the training loop, data parallel under torchrun.

Modules: safetensors (the file format), model, losses, adam, rng (Go's
PCG and the data order of wgan/data), data, checkpoint, lossgrad (CLI),
train (CLI), png.
"""

__version__ = "0.1.0"
