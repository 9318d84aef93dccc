package shaders

// Placeholder while the elementwise, reduction, matmul and Adam kernels are
// written (their own files replace this one).

import (
	"fmt"

	"github.com/wgangp/wgangp/engine"
)

func fill(n *engine.Node, op engine.FillOp) (Op, error)           { return pending(n) }
func unary(n *engine.Node, op engine.UnaryOp) (Op, error)         { return pending(n) }
func binary(n *engine.Node, op engine.BinaryOp) (Op, error)       { return pending(n) }
func broadcast(n *engine.Node, op engine.BroadcastOp) (Op, error) { return pending(n) }
func sumTo(n *engine.Node, op engine.SumToOp) (Op, error)         { return pending(n) }
func matMul(n *engine.Node, op engine.MatMulOp) (Op, error)       { return pending(n) }
func adam(n *engine.Node, op engine.AdamOp) (Op, error)           { return pending(n) }

func pending(n *engine.Node) (Op, error) { return Op{}, fmt.Errorf("shaders: %v not written yet", n) }
