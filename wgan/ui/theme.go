package ui

import "image/color"

// The dark theme. All colours are opaque.
var (
	colBackground = color.RGBA{18, 20, 25, 255}
	colPanel      = color.RGBA{25, 28, 35, 255}
	colGridLine   = color.RGBA{44, 49, 59, 255}
	colZeroLine   = color.RGBA{74, 81, 95, 255}
	colAxis       = color.RGBA{96, 104, 118, 255}
	colText       = color.RGBA{222, 226, 234, 255}
	colMuted      = color.RGBA{145, 153, 167, 255}
	colStatusBG   = color.RGBA{30, 33, 41, 255}
	colStatusRule = color.RGBA{48, 53, 64, 255}

	// ColorLossGP and ColorLossUnreg are the colours of the two loss curves
	// (exported so callers and tests can refer to them).
	ColorLossGP    = color.RGBA{255, 145, 64, 255}  // orange: with gradient penalty
	ColorLossUnreg = color.RGBA{76, 170, 250, 255}  // blue: unregularized
	ColorSWD       = color.RGBA{118, 214, 138, 255} // green: sample-quality metric
	colSWDFloor    = color.RGBA{178, 182, 194, 255} // dashed noise floor
)

// Legend texts of the loss plot.
const (
	LegendGP    = "with gradient penalty"
	LegendUnreg = "unregularized"
)
