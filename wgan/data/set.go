package data

import (
	"errors"
	"fmt"
	"image"
	"image/draw"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
)

// Set is a data set held in memory.
type Set struct {
	// Images holds the pictures, each ImageLen bytes: 3×64×64 planar RGB
	// (all of R row by row, then G, then B).
	Images [][]uint8
	// Names holds a name for each picture: its path relative to the folder
	// it was loaded from, with forward slashes.
	Names []string
	// Skipped lists the files that were not used, and why.
	Skipped []Skipped
}

// Skipped is a file that LoadDir (or a picture that FromImages) did not use.
type Skipped struct {
	Path   string // relative to the folder, with forward slashes
	Reason string
}

// Len returns the number of pictures.
func (s *Set) Len() int { return len(s.Images) }

// LoadDir reads every picture under dir, searching subfolders, into a Set
// whose pictures are in sorted order, folder by folder (the entries of each
// folder sorted by name, a subfolder's pictures where its name sorts), so
// that the same folder always gives the same Set. Pictures are decoded in
// parallel, with at most 2·MaxPixels pixels being decoded at once.
//
// Symbolic links to files and to folders are followed, but a real folder is
// never read twice (so a link to a parent folder ends). Files and folders
// whose name starts with "." are ignored. A file that is not a picture or
// that cannot be decoded is skipped: it is listed in Set.Skipped and, if log
// is not nil, one line naming it and saying why is written to log. It is an
// error if dir is missing or not a folder, or if it holds no usable picture.
func LoadDir(dir string, crop Crop, log io.Writer) (*Set, error) {
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("data folder %s does not exist", dir)
	case err != nil:
		return nil, fmt.Errorf("data folder: %w", err)
	case !info.IsDir():
		return nil, fmt.Errorf("%s is a file, not a folder: give the folder that holds the pictures", dir)
	}
	w := &walker{root: dir, seen: map[string]bool{}}
	w.walk(dir, "")
	files := w.files

	// Decode in parallel; the results keep the files' order.
	type result struct {
		img []uint8
		err error
	}
	res := make([]result, len(files))
	next := make(chan int)
	var wg sync.WaitGroup
	mem := newBudget(2 * MaxPixels)
	for range min(runtime.GOMAXPROCS(0), max(len(files), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				res[i].img, res[i].err = loadFile(files[i].path, files[i].name, crop, mem)
			}
		}()
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()

	set := &Set{Skipped: w.skipped}
	for _, sk := range w.skipped {
		logSkip(log, sk)
	}
	for i, f := range files {
		if res[i].err != nil {
			sk := Skipped{Path: f.name, Reason: reason(f.name, res[i].err)}
			set.Skipped = append(set.Skipped, sk)
			logSkip(log, sk)
			continue
		}
		set.Images = append(set.Images, res[i].img)
		set.Names = append(set.Names, f.name)
	}
	if len(set.Images) == 0 {
		n := len(files) + len(w.skipped)
		if n == 0 {
			return nil, fmt.Errorf("data folder %s is empty: no files found (hidden files are ignored)", dir)
		}
		return nil, fmt.Errorf("no usable picture in %s: found %s, skipped %d (first: %s: %s)",
			dir, plural(n, "file"), len(set.Skipped), set.Skipped[0].Path, set.Skipped[0].Reason)
	}
	return set, nil
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func logSkip(log io.Writer, sk Skipped) {
	if log != nil {
		fmt.Fprintf(log, "skipped %s: %s\n", sk.Path, sk.Reason)
	}
}

// reason strips the "name: " prefix that Decode puts on its errors.
func reason(name string, err error) string {
	return strings.TrimPrefix(err.Error(), name+": ")
}

func loadFile(path, name string, crop Crop, mem *budget) ([]uint8, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s: cannot open: %v", name, err)
	}
	defer f.Close()
	if info, err := f.Stat(); err == nil && info.Size() == 0 {
		return nil, fmt.Errorf("%s: empty file", name)
	}
	return decodeReader(name, f, crop, mem, fileLimits)
}

// A walker lists the files under a folder in sorted order.
type walker struct {
	root    string
	seen    map[string]bool // real paths of the folders visited
	files   []file
	skipped []Skipped
}

type file struct{ path, name string }

// walk lists the folder at path, whose name relative to the root is rel.
func (w *walker) walk(path, rel string) {
	real, err := filepath.EvalSymlinks(path)
	if err == nil {
		real, err = filepath.Abs(real)
	}
	if err != nil {
		w.skip(rel, fmt.Sprintf("cannot read folder: %v", err))
		return
	}
	if w.seen[real] {
		return // a link back to a folder already read (or a loop)
	}
	w.seen[real] = true
	entries, err := os.ReadDir(path)
	if err != nil {
		w.skip(rel, fmt.Sprintf("cannot read folder: %v", err))
	}
	for _, e := range entries { // sorted by name
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		p := filepath.Join(path, e.Name())
		r := e.Name()
		if rel != "" {
			r = rel + "/" + e.Name()
		}
		mode := e.Type()
		if mode&fs.ModeSymlink != 0 {
			info, err := os.Stat(p) // follows the link
			if err != nil {
				w.skip(r, fmt.Sprintf("broken link: %v", err))
				continue
			}
			mode = info.Mode().Type()
		}
		switch {
		case mode.IsDir():
			w.walk(p, r)
		case mode.IsRegular():
			w.files = append(w.files, file{p, r})
		default:
			w.skip(r, "not a regular file")
		}
	}
}

func (w *walker) skip(rel, why string) {
	if rel == "" {
		rel = "."
	}
	w.skipped = append(w.skipped, Skipped{Path: rel, Reason: why})
}

// FromImages makes a Set of pictures already decoded (generated ones, for
// instance), named "0", "1", …; a picture with no pixels is skipped.
func FromImages(imgs []image.Image, crop Crop) *Set {
	set := &Set{}
	out := make([][]uint8, len(imgs))
	errs := make([]error, len(imgs))
	var wg sync.WaitGroup
	workers := min(runtime.GOMAXPROCS(0), max(len(imgs), 1))
	for wk := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := wk; i < len(imgs); i += workers {
				out[i], errs[i] = FromImage(imgs[i], crop)
			}
		}()
	}
	wg.Wait()
	for i := range imgs {
		name := fmt.Sprint(i)
		if errs[i] != nil {
			set.Skipped = append(set.Skipped, Skipped{Path: name, Reason: errs[i].Error()})
			continue
		}
		set.Images = append(set.Images, out[i])
		set.Names = append(set.Names, name)
	}
	return set
}

// HoldOut splits s in two: held gets n pictures chosen at random (the same
// for the same seed and Set) and train the others; both keep the order of
// s. n is clamped to [0, s.Len()]. The pictures are shared, not copied.
func (s *Set) HoldOut(n int, seed uint64) (train, held *Set) {
	n = max(0, min(n, len(s.Images)))
	perm := permutation(len(s.Images), newPCG(seed, holdOutStream))
	pick := make([]bool, len(s.Images))
	for _, i := range perm[:n] {
		pick[i] = true
	}
	train, held = &Set{Skipped: s.Skipped}, &Set{}
	for i, img := range s.Images {
		dst := train
		if pick[i] {
			dst = held
		}
		dst.Images = append(dst.Images, img)
		if i < len(s.Names) {
			dst.Names = append(dst.Names, s.Names[i])
		}
	}
	return train, held
}

// Tensor writes pictures [i, j) into dst as NCHW float32 in [-1, 1], not
// flipped, and returns it; dst is reused when it is long enough and
// allocated otherwise.
func (s *Set) Tensor(i, j int, dst []float32) []float32 {
	n := (j - i) * ImageLen
	if cap(dst) < n {
		dst = make([]float32, n)
	}
	dst = dst[:n]
	for k := i; k < j; k++ {
		toFloat(dst[(k-i)*ImageLen:(k-i+1)*ImageLen], s.Images[k], false)
	}
	return dst
}

// Image returns picture i as a 64×64 *image.RGBA, for previews.
func (s *Set) Image(i int) *image.RGBA {
	return ToRGBA(s.Images[i])
}

// ToRGBA converts a 3×64×64 planar RGB picture to an *image.RGBA.
func ToRGBA(p []uint8) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, Size, Size))
	for y := 0; y < Size; y++ {
		for x := 0; x < Size; x++ {
			q := img.Pix[y*img.Stride+4*x:]
			k := y*Size + x
			q[0], q[1], q[2], q[3] = p[k], p[Size*Size+k], p[2*Size*Size+k], 255
		}
	}
	return img
}

// Sheet tiles imgs, row by row, cols to a row, into one picture (a contact
// sheet). Every cell is as large as the largest picture; pictures smaller
// than that sit at the cell's top left, on black.
func Sheet(imgs []image.Image, cols int) *image.RGBA {
	if len(imgs) == 0 || cols <= 0 {
		return image.NewRGBA(image.Rectangle{})
	}
	cols = min(cols, len(imgs))
	rows := (len(imgs) + cols - 1) / cols
	var cw, ch int
	for _, m := range imgs {
		cw = max(cw, m.Bounds().Dx())
		ch = max(ch, m.Bounds().Dy())
	}
	sheet := image.NewRGBA(image.Rect(0, 0, cols*cw, rows*ch))
	for i := range sheet.Pix {
		if i%4 == 3 {
			sheet.Pix[i] = 255
		}
	}
	for i, m := range imgs {
		x0, y0 := (i%cols)*cw, (i/cols)*ch
		b := m.Bounds()
		draw.Draw(sheet, image.Rect(x0, y0, x0+b.Dx(), y0+b.Dy()), m, b.Min, draw.Src)
	}
	return sheet
}
