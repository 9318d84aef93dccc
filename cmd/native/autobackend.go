package main

import "github.com/wgangp/wgangp/engine"

func gpuAvailable() (bool, string)     { return false, "no GPU adapter found, so the CPU" }
func isSoftware(b engine.Backend) bool { return true }
