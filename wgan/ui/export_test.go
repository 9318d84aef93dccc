package ui

import "image"

// Hooks for the external tests (package ui_test).

// GridRect returns where Render(f, w, h) draws the grid's pixels.
func GridRect(f Frame, w, h int) image.Rectangle { return computeLayout(&f, w, h).grid }

// CurvesRect and StatusRect return the plot column and the status bar.
func CurvesRect(f Frame, w, h int) image.Rectangle { return computeLayout(&f, w, h).curves }
func StatusRect(f Frame, w, h int) image.Rectangle { return computeLayout(&f, w, h).status }
