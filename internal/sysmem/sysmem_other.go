//go:build !linux && !js

package sysmem

func available() (int64, bool) { return 0, false }
