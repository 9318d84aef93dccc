// Package web is the page (SPEC.md §7, "the page"): its static files
// (index.html and its plain JavaScript), Build, which compiles the two
// WebAssembly programs beside them, and Handler, which serves the result.
//
// The page runs two Go programs: cmd/wasm/trainer in a dedicated Web
// Worker (worker.js), which trains on WebGPU or the CPU, and
// cmd/wasm/viewer in an iframe (view.html), which draws the grid and the
// curves with Ebitengine. app.js reads the pictures, passes messages
// between the two and keeps the run in IndexedDB.
package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
)

// static holds the page's own files.
//
//go:embed index.html view.html style.css *.js
var static embed.FS

// programs are the WebAssembly programs of the page: the output file
// and the package.
var programs = []struct{ out, pkg string }{
	{"trainer.wasm", "github.com/wgangp/wgangp/cmd/wasm/trainer"},
	{"viewer.wasm", "github.com/wgangp/wgangp/cmd/wasm/viewer"},
}

// Build writes the page into outDir (created if missing): the static
// files, Go's wasm_exec.js, and trainer.wasm and viewer.wasm compiled with
// GOOS=js GOARCH=wasm and -ldflags=-s -w, each beside a gzipped copy
// (.wasm.gz) for Handler. It runs the go command found on PATH, so it must
// run inside this module (go run, go test).
func Build(ctx context.Context, outDir string) error {
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return err
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		return fmt.Errorf("web: the go command is needed to build the page: %w", err)
	}
	var wg sync.WaitGroup
	errs := make([]error, len(programs))
	for i, p := range programs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = buildWasm(ctx, goTool, p.pkg, filepath.Join(outDir, p.out))
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	root, err := goEnv(ctx, goTool, "GOROOT")
	if err != nil {
		return err
	}
	execJS, err := os.ReadFile(filepath.Join(root, "lib", "wasm", "wasm_exec.js"))
	if err != nil {
		return fmt.Errorf("web: Go's wasm_exec.js: %w", err)
	}
	if err := os.WriteFile(filepath.Join(outDir, "wasm_exec.js"), execJS, 0o644); err != nil {
		return err
	}
	return fs.WalkDir(static, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := static.ReadFile(name)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(outDir, name), b, 0o644)
	})
}

// buildWasm compiles pkg to out for the browser, then writes out.gz.
func buildWasm(ctx context.Context, goTool, pkg, out string) error {
	cmd := exec.CommandContext(ctx, goTool, "build", "-ldflags=-s -w", "-o", out, pkg)
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if msg, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("web: building %s: %w\n%s", pkg, err, msg)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return err
	}
	zw.Write(b) // writes to a bytes.Buffer do not fail
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(out+".gz", buf.Bytes(), 0o644)
}

// goEnv returns one of the go command's variables.
func goEnv(ctx context.Context, goTool, name string) (string, error) {
	out, err := exec.CommandContext(ctx, goTool, "env", name).Output()
	if err != nil {
		return "", fmt.Errorf("web: go env %s: %w", name, err)
	}
	return strings.TrimSpace(string(out)), nil
}
