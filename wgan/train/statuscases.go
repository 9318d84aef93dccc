package train

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
)

// StatusCase is one row of testdata/status_lines.json, the table of status
// lines that the desktop's and the page's tests both drive their front end
// through: after Iterations iterations of a run of F=4, batch 2 and 3
// iterations, in State ("training", "paused", "done" or "error", with the
// error "the device was lost"), the status line matches Want. Page marks
// a state only the page shows (the desktop exits on an error).
type StatusCase struct {
	Name       string
	Iterations int
	State      string
	Page       bool
	Want       string
}

// ReadStatusCases reads the table at path (the tests of the front ends
// pass the path of wgan/train/testdata/status_lines.json).
func ReadStatusCases(path string) ([]StatusCase, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var cs []StatusCase
	if err := json.Unmarshal(b, &cs); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for _, c := range cs {
		if _, err := regexp.Compile(c.Want); err != nil {
			return nil, fmt.Errorf("%s: case %q: %w", path, c.Name, err)
		}
	}
	return cs, nil
}

// Match says whether line is the case's status line.
func (c StatusCase) Match(line string) bool { return regexp.MustCompile(c.Want).MatchString(line) }
