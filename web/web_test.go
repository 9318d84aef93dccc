package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// servedDir is a built page in miniature: a page, a script and a wasm file
// with its gzipped twin.
func servedDir(t *testing.T) (dir string, wasm []byte) {
	dir = t.TempDir()
	wasm = append([]byte("\x00asm\x01\x00\x00\x00"), bytes.Repeat([]byte("wgan"), 1000)...)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(wasm)
	require.NoError(t, zw.Close())
	for name, b := range map[string][]byte{
		"index.html":      []byte("<!doctype html><title>page</title>"),
		"app.js":          []byte("export {};"),
		"style.css":       []byte("body {}"),
		"trainer.wasm":    wasm,
		"trainer.wasm.gz": gz.Bytes(),
	} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), b, 0o644))
	}
	require.NoError(t, os.Mkdir(filepath.Join(dir, "sub"), 0o755))
	return dir, wasm
}

func get(t *testing.T, h http.Handler, method, path, acceptEncoding string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	if acceptEncoding != "" {
		req.Header.Set("Accept-Encoding", acceptEncoding)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func TestHandlerTypes(t *testing.T) {
	dir, _ := servedDir(t)
	h := Handler(dir)
	for _, c := range []struct{ path, typ string }{
		{"/", "text/html; charset=utf-8"},
		{"/index.html", "text/html; charset=utf-8"},
		{"/app.js", "text/javascript; charset=utf-8"},
		{"/style.css", "text/css; charset=utf-8"},
		{"/trainer.wasm", "application/wasm"},
	} {
		res := get(t, h, http.MethodGet, c.path, "")
		require.Equal(t, http.StatusOK, res.StatusCode, c.path)
		require.Equal(t, c.typ, res.Header.Get("Content-Type"), c.path)
		require.Equal(t, "no-cache", res.Header.Get("Cache-Control"), c.path)
		require.Empty(t, res.Header.Get("Content-Encoding"), c.path)
	}
	for _, path := range []string{"/missing.js", "/sub", "/sub/", "/../web.go"} {
		require.Equal(t, http.StatusNotFound, get(t, h, http.MethodGet, path, "").StatusCode, path)
	}
	res := get(t, h, http.MethodPost, "/", "")
	require.Equal(t, http.StatusMethodNotAllowed, res.StatusCode)
	require.Equal(t, "GET, HEAD", res.Header.Get("Allow"))
}

func TestHandlerGzip(t *testing.T) {
	dir, wasm := servedDir(t)
	h := Handler(dir)
	for _, c := range []struct {
		accept string
		gzip   bool
	}{
		{"", false},
		{"gzip", true},
		{"gzip, deflate, br, zstd", true},
		{"br;q=1.0, GZIP;q=0.5", true},
		{"x-gzip", true},
		{"*", true},
		{"br", false},
		{"gzip;q=0", false},
		{"gzip; q=0.0, *", false},
		{"*;q=0", false},
		{"identity", false},
	} {
		res := get(t, h, http.MethodGet, "/trainer.wasm", c.accept)
		require.Equal(t, http.StatusOK, res.StatusCode, c.accept)
		require.Equal(t, "application/wasm", res.Header.Get("Content-Type"), c.accept)
		require.Equal(t, "Accept-Encoding", res.Header.Get("Vary"), c.accept)
		body, err := io.ReadAll(res.Body)
		require.NoError(t, err)
		if c.gzip {
			require.Equal(t, "gzip", res.Header.Get("Content-Encoding"), c.accept)
			zr, err := gzip.NewReader(bytes.NewReader(body))
			require.NoError(t, err)
			body, err = io.ReadAll(zr)
			require.NoError(t, err)
		} else {
			require.Empty(t, res.Header.Get("Content-Encoding"), c.accept)
		}
		require.Equal(t, wasm, body, c.accept)
	}
	// A file without a gzipped twin is sent as it is, without Vary.
	res := get(t, h, http.MethodGet, "/app.js", "gzip")
	require.Empty(t, res.Header.Get("Content-Encoding"))
	require.Empty(t, res.Header.Get("Vary"))
	// HEAD has the headers and no body.
	res = get(t, h, http.MethodHead, "/trainer.wasm", "gzip")
	require.Equal(t, "gzip", res.Header.Get("Content-Encoding"))
	body, _ := io.ReadAll(res.Body)
	require.Empty(t, body)
}

// TestBuild builds the page (both WebAssembly programs) once; with a warm
// build cache it takes seconds, a cold one about a minute.
func TestBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two WebAssembly programs")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	dir := t.TempDir()
	require.NoError(t, Build(ctx, dir))
	for _, name := range []string{"index.html", "view.html", "style.css", "app.js", "images.js", "store.js",
		"worker.js", "view.js", "wasm_exec.js"} {
		info, err := os.Stat(filepath.Join(dir, name))
		require.NoError(t, err, name)
		require.NotZero(t, info.Size(), name)
	}
	for _, p := range programs {
		b, err := os.ReadFile(filepath.Join(dir, p.out))
		require.NoError(t, err)
		require.True(t, bytes.HasPrefix(b, []byte("\x00asm")), "%s is not WebAssembly", p.out)
		gz, err := os.Open(filepath.Join(dir, p.out+".gz"))
		require.NoError(t, err)
		zr, err := gzip.NewReader(gz)
		require.NoError(t, err)
		unzipped, err := io.ReadAll(zr)
		gz.Close()
		require.NoError(t, err)
		require.True(t, bytes.Equal(b, unzipped), "%s.gz is not %s gzipped", p.out, p.out)
	}
	// The built page is what Handler serves.
	srv := httptest.NewServer(Handler(dir))
	defer srv.Close()
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/viewer.wasm", nil)
	require.NoError(t, err)
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	require.Equal(t, "application/wasm", res.Header.Get("Content-Type"))
	require.Equal(t, "gzip", res.Header.Get("Content-Encoding"))
}
