package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wgangp/wgangp/cmd/wasm/message"

	"github.com/wgangp/wgangp/assets"
	"github.com/wgangp/wgangp/wgan/data"
)

// TestFlowers checks that the Flowers button's pictures are the desktop's
// default data: the embedded flowers of seed 1, in order, in chunks, and
// that a run starts on them.
func TestFlowers(t *testing.T) {
	w, p := newTestWorker(t)
	const n = 130
	w.handle(message.DrawFlowers{Count: n})
	want := assets.Flowers(n, defaultSeed)
	var ups []message.Image
	for _, m := range p.msgs {
		if m["type"] != "flowers" {
			continue
		}
		require.Equal(t, n, m["total"])
		for _, im := range m["images"].([]any) {
			im := im.(map[string]any)
			ups = append(ups, message.Image{Name: im["name"].(string), RGBA: im["rgba"].([]byte)})
		}
		require.Equal(t, len(ups), m["done"])
	}
	require.Equal(t, 2, p.count("flowers"), "130 pictures in chunks of 100")
	require.Len(t, ups, n)
	require.Equal(t, "flower-0001.png", ups[0].Name)
	// Through the page's upload path, as the desktop reads them.
	set, err := newSet(ups)
	require.NoError(t, err)
	desk := data.FromImages(want, data.Squash)
	for i := range n {
		require.True(t, bytes.Equal(desk.Images[i], set.Images[i]), "picture %d differs from the desktop's", i)
	}

	w.handle(message.DrawFlowers{Count: assets.DefaultCount + 1})
	require.Contains(t, p.last(t, "error")["message"], "there are 2000")

	w.handle(message.Start{Options: runOpts, Images: ups})
	require.Equal(t, stateTraining, w.state)
	w.step()
	require.Equal(t, 1, w.run.Trainer().Iteration())
}
