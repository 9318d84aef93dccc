// Command serve builds the page (package web) into web/dist and serves it
// on http://127.0.0.1:$PORT (8080 when PORT is not set) until interrupted.
//
//	go run ./cmd/serve        (make serve)
//	PORT=9000 go run ./cmd/serve
package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/wgangp/wgangp/web"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "serve:", err)
		os.Exit(1)
	}
}

func run() error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	mod := strings.TrimSpace(string(out))
	if err != nil || mod == "" || mod == os.DevNull {
		return fmt.Errorf("run it inside the repository (go env GOMOD: %q, %v)", mod, err)
	}
	dist := filepath.Join(filepath.Dir(mod), "web", "dist")
	fmt.Printf("building the page into %s\n", dist)
	start := time.Now()
	if err := web.Build(ctx, dist); err != nil {
		return err
	}
	fmt.Printf("built in %.1f s\n", time.Since(start).Seconds())

	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", port))
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: web.Handler(dist), ReadHeaderTimeout: 10 * time.Second}
	fmt.Printf("serving the page on http://%s/ (Ctrl-C stops)\n", ln.Addr())
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shut)
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
