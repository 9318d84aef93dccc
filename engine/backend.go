package engine

import "time"

// Backend runs plans: it allocates buffers and compiles a Plan into a
// Program. engine/cpu is the reference implementation; every backend runs
// the conformance suite in engine/backendtest.
type Backend interface {
	// Name says which backend and device this is, for people.
	Name() string
	// NewBuffer allocates a buffer of n elements, zeroed.
	NewBuffer(n int) (Buffer, error)
	// Compile prepares p to run with its inputs read from (and effects
	// written to) the given buffers, one for each of p.Inputs, by node ID.
	Compile(p *Plan, inputs map[*Node]Buffer) (Program, error)
}

// Buffer is a tensor's storage on a backend. Writes are seen by the next
// Run; reads see the last Run's results.
type Buffer interface {
	Len() int
	Write(src []float32) error
	Read(dst []float32) error
	WriteFloat64(src []float64) error
	ReadFloat64(dst []float64) error
	// Release frees a buffer made by NewBuffer; it must not be used
	// afterwards. Programs compiled with it may keep its memory until they
	// are released. A program's outputs are the program's: Release on one
	// does nothing.
	Release()
}

// Program is a compiled Plan.
type Program interface {
	// Run executes every step of the plan once.
	Run() error
	// Output is the buffer holding the plan's i-th output after a Run.
	Output(i int) Buffer
	// Release frees what the program holds on its backend (its working
	// memory, outputs included); the program must not be run afterwards.
	// Releasing twice is harmless.
	Release()
}

// Profiler is a Program that can time its steps: while f is set, Run
// reports each step of the plan and its wall time to it.
type Profiler interface {
	SetProfile(f func(step *Node, d time.Duration))
}
