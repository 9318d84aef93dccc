// Package message defines every message of the page (web/): between the
// training worker (cmd/wasm/trainer) and the page (web/app.js), and
// between the page and its view (cmd/wasm/viewer). Each message is a Go
// struct whose fields carry their JavaScript key in a `js` tag; Encode
// turns one into a plain value (maps, slices, numbers, strings, []byte,
// []float32, []float64) and Decode checks and reads one back, naming the
// message and the field that is missing or of the wrong type. js.go
// converts plain values to JavaScript objects and back (typed arrays for
// the byte and float slices), and web/messages_schema.js, generated from
// these definitions (see Schema), lets web/messages.js check the same
// rules on the JavaScript side.
//
// A field tagged "optional" may be missing (and is left out when it is its
// zero value); every other field must be there. A pointer field is an
// optional value that may also be null.
package message

// ToPage is a message the worker posts to the page.
type ToPage interface{ toPage() }

// ToWorker is a message the page posts to the worker.
type ToWorker interface{ toWorker() }

// ToViewer is a message the page gives the view (wganShowFrame).
type ToViewer interface{ toViewer() }

// FromViewer is an event the view gives the page (wganViewerEvent).
type FromViewer interface{ fromViewer() }

// ---- page → worker ----

// Init opens the backend: "auto", "webgpu" or "cpu". Answered by Ready.
type Init struct {
	Backend string `js:"backend"`
}

// Start begins a new run on the pictures.
type Start struct {
	Options Options `js:"options"`
	Images  []Image `js:"images"`
}

// ResumeCheckpoint continues the run of a checkpoint on the pictures it
// was trained on; Options.Iterations may raise its target.
type ResumeCheckpoint struct {
	Bytes   []byte  `js:"bytes"`
	Images  []Image `js:"images"`
	Options Options `js:"options"`
}

// Pause, Resume and Reset act on the run.
type (
	Pause  struct{}
	Resume struct{}
	Reset  struct{}
)

// LoadWeights shows 25 images from a weights file or a checkpoint.
type LoadWeights struct {
	Name  string `js:"name"`
	Bytes []byte `js:"bytes"`
}

// GetWeights, GetGrid and GetCheckpoint are answered by File.
type (
	GetWeights    struct{}
	GetGrid       struct{}
	GetCheckpoint struct{}
)

// Decode asks the worker's decoders for a picture the browser could not
// read; answered by Decoded with the same ID.
type Decode struct {
	ID    int    `js:"id"`
	Name  string `js:"name"`
	Bytes []byte `js:"bytes"`
}

// DrawFlowers asks for the first Count embedded flowers (0: all of the
// desktop's default data), answered by Flowers messages.
type DrawFlowers struct {
	Count int `js:"count,optional"`
}

// Calibrate asks the worker to time an iteration of each preset on this
// machine, answered by a Calibration for each preset, whose text counts
// Iterations iterations (0: the preset's). A message from the page stops
// it; Calibrate again goes on with the presets not timed yet.
type Calibrate struct {
	Iterations int `js:"iterations,optional"`
}

// Options are a run's options: zero (or missing) takes the preset's value
// or the default.
type Options struct {
	Preset          string   `js:"preset,optional"`
	Filters         int      `js:"filters,optional"`
	Batch           int      `js:"batch,optional"`
	Iterations      int      `js:"iterations,optional"`
	Every           int      `js:"every,optional"`
	CheckpointEvery int      `js:"checkpointEvery,optional"`
	Seed            uint64   `js:"seed,optional"`
	Recipe          string   `js:"recipe,optional"`
	EMA             *float64 `js:"ema"` // the moving average's decay; nil: the default
}

// Image is one picture: 64×64 pixels, 8-bit RGBA, row by row.
type Image struct {
	Name string `js:"name"`
	RGBA []byte `js:"rgba"`
}

// ---- worker → page ----

// Ready says which backend the worker opened and lists the presets.
type Ready struct {
	Backend  string   `js:"backend"` // "webgpu" or "cpu"
	Adapter  string   `js:"adapter"`
	Software bool     `js:"software"`
	Reason   string   `js:"reason"` // why the CPU, when it is
	Presets  []Preset `js:"presets"`
	Preset   string   `js:"preset"` // the default one here
}

// Preset is one of the models the page offers.
type Preset struct {
	Name       string `js:"name"`
	Filters    int    `js:"filters"`
	Batch      int    `js:"batch"`
	Iterations int    `js:"iterations"`
	About      string `js:"about"`
}

// Status says where the worker stands. The losses are the last
// iteration's, missing before the first; Filters and Batch are the run's.
type Status struct {
	State              string   `js:"state"` // idle, training, paused or error
	Iteration          int      `js:"iteration"`
	Iterations         int      `js:"iterations"`
	Done               bool     `js:"done"`
	LossD              *float32 `js:"lossD"`
	LossDUnregularized *float32 `js:"lossDUnregularized"`
	Penalty            *float32 `js:"penalty"`
	LossG              *float32 `js:"lossG"`
	ItPerSec           float64  `js:"itPerSec"`
	ElapsedMs          int64    `js:"elapsedMs"`
	Title              string   `js:"title"`
	Line               string   `js:"line"`
	Filters            int      `js:"filters,optional"`
	Batch              int      `js:"batch,optional"`
	Backend            string   `js:"backend"`
	Adapter            string   `js:"adapter"`
	Error              string   `js:"error"`
	DeviceBytes        int64    `js:"deviceBytes"` // held on the GPU device; -1 on the CPU engine or while compiling
	HeapBytes          int64    `js:"heapBytes"`   // Go's memory
	DeviceOpens        int      `js:"deviceOpens"`
}

// Frame is what the view shows: a grid (nil: none) and, with a run, the
// whole loss and SWD history.
type Frame struct {
	Grid               *Grid     `js:"grid"`
	GridLabel          string    `js:"gridLabel"`
	LossD              []float32 `js:"lossD"`
	LossDUnregularized []float32 `js:"lossDUnregularized"`
	SWDIterations      []float64 `js:"swdIterations"`
	SWD                []float64 `js:"swd"`
	SWDFloor           float64   `js:"swdFloor"`
	Diversity          string    `js:"diversity"`
	Title              string    `js:"title"`
	Line               string    `js:"line"`
}

// Grid is an 8-bit RGBA picture.
type Grid struct {
	Width  int    `js:"width"`
	Height int    `js:"height"`
	Pixels []byte `js:"pixels"`
}

// Checkpoint is the run's checkpoint, for the page to keep.
type Checkpoint struct {
	Iteration int    `js:"iteration"`
	Bytes     []byte `js:"bytes"`
}

// File is a file for the page to offer as a download.
type File struct {
	Name  string `js:"name"`
	Mime  string `js:"mime"`
	Bytes []byte `js:"bytes"`
}

// Flowers is a chunk of the embedded flowers: Done of Total drawn so far.
type Flowers struct {
	Images []Image `js:"images"`
	Done   int     `js:"done"`
	Total  int     `js:"total"`
}

// Decoded answers Decode: the picture, or why it is not one.
type Decoded struct {
	ID    int    `js:"id"`
	Name  string `js:"name"`
	RGBA  []byte `js:"rgba,optional"`
	Error string `js:"error,optional"`
}

// Calibration is one preset's time per generator iteration here
// (Seconds; measured, or scaled from preset From's measured time), or why
// it was not measured (Error); Text says it in words (train.Estimate).
type Calibration struct {
	Preset  string  `js:"preset"`
	Seconds float64 `js:"seconds,optional"`
	From    string  `js:"from,optional"`
	Error   string  `js:"error,optional"`
	Text    string  `js:"text"`  // the sentence under the list
	Short   string  `js:"short"` // the words in the list, beside the preset's name
}

// Notice is a message for the user; Error an error (Fatal: the trainer
// stopped).
type (
	Notice struct {
		Message string `js:"message"`
	}
	Error struct {
		Message string `js:"message"`
		Fatal   bool   `js:"fatal,optional"`
	}
)

// ---- page → view ----

// ViewFrame is what the view draws. KeepGrid keeps the grid shown (Grid is
// then left out); otherwise Grid replaces it, nil clearing it.
type ViewFrame struct {
	Title              string    `js:"title"`
	Line               string    `js:"line"`
	GridLabel          string    `js:"gridLabel"`
	Grid               *Grid     `js:"grid"`
	KeepGrid           bool      `js:"keepGrid,optional"`
	LossD              []float32 `js:"lossD"`
	LossDUnregularized []float32 `js:"lossDUnregularized"`
	SWDIterations      []float64 `js:"swdIterations"`
	SWD                []float64 `js:"swd"`
	SWDFloor           float64   `js:"swdFloor"`
	Diversity          string    `js:"diversity"`
}

// ---- view → page ----

// ViewReady says the view takes frames; TogglePause and SaveGrid are its
// Space and S keys; ViewFailed says Ebitengine could not run; ViewError
// that the view could not read a frame.
type (
	ViewReady   struct{}
	TogglePause struct{}
	SaveGrid    struct{}
	ViewFailed  struct {
		Message string `js:"message"`
	}
	ViewError struct {
		Message string `js:"message"`
	}
)

func (Init) toWorker()             {}
func (Start) toWorker()            {}
func (ResumeCheckpoint) toWorker() {}
func (Pause) toWorker()            {}
func (Resume) toWorker()           {}
func (Reset) toWorker()            {}
func (LoadWeights) toWorker()      {}
func (GetWeights) toWorker()       {}
func (GetGrid) toWorker()          {}
func (GetCheckpoint) toWorker()    {}
func (Decode) toWorker()           {}
func (DrawFlowers) toWorker()      {}
func (Calibrate) toWorker()        {}

func (Ready) toPage()       {}
func (Status) toPage()      {}
func (Frame) toPage()       {}
func (Checkpoint) toPage()  {}
func (File) toPage()        {}
func (Flowers) toPage()     {}
func (Decoded) toPage()     {}
func (Calibration) toPage() {}
func (Notice) toPage()      {}
func (Error) toPage()       {}

func (ViewFrame) toViewer() {}

func (ViewReady) fromViewer()   {}
func (TogglePause) fromViewer() {}
func (SaveGrid) fromViewer()    {}
func (ViewFailed) fromViewer()  {}
func (ViewError) fromViewer()   {}

// The channels: each message's type, as the "type" key spells it.
var (
	// PageToWorker are the page's messages to the worker.
	PageToWorker = newChannel("the page", map[string]any{
		"init": Init{}, "start": Start{}, "resume-checkpoint": ResumeCheckpoint{},
		"pause": Pause{}, "resume": Resume{}, "reset": Reset{}, "load-weights": LoadWeights{},
		"get-weights": GetWeights{}, "get-grid": GetGrid{}, "get-checkpoint": GetCheckpoint{},
		"decode": Decode{}, "flowers": DrawFlowers{}, "calibrate": Calibrate{},
	})
	// WorkerToPage are the worker's messages to the page.
	WorkerToPage = newChannel("the trainer", map[string]any{
		"ready": Ready{}, "status": Status{}, "frame": Frame{}, "checkpoint": Checkpoint{},
		"file": File{}, "flowers": Flowers{}, "decoded": Decoded{}, "calibration": Calibration{},
		"notice": Notice{}, "error": Error{},
	})
	// PageToViewer is the page's frame to the view.
	PageToViewer = newChannel("the page", map[string]any{"frame": ViewFrame{}})
	// ViewerToPage are the view's events.
	ViewerToPage = newChannel("the view", map[string]any{
		"ready": ViewReady{}, "toggle-pause": TogglePause{}, "save-grid": SaveGrid{},
		"failed": ViewFailed{}, "error": ViewError{},
	})
)
