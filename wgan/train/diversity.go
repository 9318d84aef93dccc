package train

import (
	"math"

	"github.com/wgangp/wgangp/wgan"
)

// DiversityPool is the side of the squares that Diversity averages
// pictures over before comparing them: at 4×4 a 64×64 picture becomes
// 16×16, its layout and colours without its texture, so that the same blob
// with different grain counts as alike.
const DiversityPool = 4

// Diversity is the mean over every pair of the n pictures in images
// ([n,3,64,64] in [-1,1]) of the RMS difference of their pooled versions,
// in the pictures' units: 0 when all are the same, 0.59 for 25 of the
// embedded flowers. A generator that has collapsed onto a few modes scores far
// below its data: the figure the status and progress lines show beside
// the same figure of as many real pictures.
func Diversity(images []float32, n int) float64 {
	const side = wgan.Size / DiversityPool
	const m = wgan.Channels * side * side
	if n < 2 || len(images) < n*wgan.Channels*wgan.Size*wgan.Size {
		return 0
	}
	pooled := make([]float64, n*m)
	for i := range n {
		img := images[i*wgan.Channels*wgan.Size*wgan.Size:]
		dst := pooled[i*m:]
		for c := range wgan.Channels {
			for y := range wgan.Size {
				row := img[(c*wgan.Size+y)*wgan.Size:]
				out := dst[(c*side+y/DiversityPool)*side:]
				for x := range wgan.Size {
					out[x/DiversityPool] += float64(row[x])
				}
			}
		}
	}
	for i := range pooled {
		pooled[i] /= DiversityPool * DiversityPool
	}
	var total float64
	for i := range n {
		a := pooled[i*m : (i+1)*m]
		for j := i + 1; j < n; j++ {
			b := pooled[j*m : (j+1)*m]
			var s float64
			for k := range a {
				d := a[k] - b[k]
				s += d * d
			}
			total += math.Sqrt(s / m)
		}
	}
	return total / float64(n*(n-1)/2)
}
