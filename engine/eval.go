package engine

import "fmt"

// Evaluate computes outputs once on b, with feeds giving the value of every
// input they need (float64, converted to the backend's element type). It
// allocates fresh buffers each call: for tests and one-shot commands, not
// for training steps.
func Evaluate(b Backend, outputs []*Node, feeds map[*Node][]float64) ([][]float64, error) {
	return evaluate(b, NewPlanFor(b, outputs, nil), outputs, feeds)
}

func evaluate(b Backend, p *Plan, outputs []*Node, feeds map[*Node][]float64) ([][]float64, error) {
	bufs := map[*Node]Buffer{}
	for _, in := range p.Inputs {
		data, ok := feeds[in]
		if !ok {
			return nil, fmt.Errorf("engine: no value fed for %v", in)
		}
		if len(data) != in.shape.Size() {
			return nil, fmt.Errorf("engine: %d values fed for %v", len(data), in)
		}
		buf, err := b.NewBuffer(len(data))
		if err != nil {
			return nil, err
		}
		if err := buf.WriteFloat64(data); err != nil {
			return nil, err
		}
		bufs[in] = buf
	}
	prog, err := b.Compile(p, bufs)
	if err != nil {
		return nil, err
	}
	if err := prog.Run(); err != nil {
		return nil, err
	}
	out := make([][]float64, len(outputs))
	for i, n := range outputs {
		out[i] = make([]float64, n.shape.Size())
		if err := prog.Output(i).ReadFloat64(out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// EvaluateWith is Evaluate with the plan made by NewPlanWith(opts): the
// conformance suite runs every case fused (as the backend prefers, and with
// recomputation) and unfused.
func EvaluateWith(b Backend, outputs []*Node, feeds map[*Node][]float64, opts PlanOptions) ([][]float64, error) {
	return evaluate(b, NewPlanWith(outputs, nil, opts), outputs, feeds)
}
