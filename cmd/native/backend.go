package main

import (
	"fmt"

	"github.com/wgangp/wgangp/engine"
	"github.com/wgangp/wgangp/engine/cpu"
)

// openBackend returns the backend named on the command line: "cpu" (float32,
// all cores) or "cpu64" (float64, for checks).
func openBackend(name string) (engine.Backend, error) {
	switch name {
	case "cpu":
		return cpu.New[float32](0), nil
	case "cpu64":
		return cpu.New[float64](0), nil
	}
	return nil, fmt.Errorf("unknown backend %q (available: cpu, cpu64)", name)
}
