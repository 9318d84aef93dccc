//go:build !unix

package main

// lockRunDir does nothing where there is no flock.
func lockRunDir(dir string) (unlock func(), err error) { return func() {}, nil }
