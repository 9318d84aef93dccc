package shaders

// Placeholder while the convolution kernels are written (conv.go replaces
// this file).

import (
	"fmt"

	"github.com/wgangp/wgangp/engine"
)

func conv2D(n *engine.Node, op engine.Conv2DOp) (Op, error) {
	return Op{}, fmt.Errorf("shaders: %v not written yet", n)
}

func convTranspose(n *engine.Node, op engine.ConvTransposeOp) (Op, error) {
	return Op{}, fmt.Errorf("shaders: %v not written yet", n)
}

func convFilter(n *engine.Node, op engine.ConvFilterOp) (Op, error) {
	return Op{}, fmt.Errorf("shaders: %v not written yet", n)
}
