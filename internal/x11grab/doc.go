// Package x11grab reads what an X server shows in a window, for the tests
// that check the desktop window's pixels under Xvfb.
package x11grab
