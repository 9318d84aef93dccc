package main

import (
	"sync"

	"github.com/wgangp/wgangp/cmd/wasm/message"
)

// queue holds the page's messages until the worker's loop takes them. Push
// never blocks, so JavaScript callbacks may call it.
type queue struct {
	mu    sync.Mutex
	items []message.ToWorker
	ready chan struct{}
}

func newQueue() *queue { return &queue{ready: make(chan struct{}, 1)} }

func (q *queue) push(r message.ToWorker) {
	q.mu.Lock()
	q.items = append(q.items, r)
	q.mu.Unlock()
	select {
	case q.ready <- struct{}{}:
	default:
	}
}

// poll returns the oldest message, if there is one.
func (q *queue) poll() (message.ToWorker, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.items) == 0 {
		return nil, false
	}
	r := q.items[0]
	q.items = q.items[1:]
	return r, true
}

// pending says whether a message is waiting.
func (q *queue) pending() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.items) > 0
}

// wait returns the oldest message, waiting for one.
func (q *queue) wait() message.ToWorker {
	for {
		if r, ok := q.poll(); ok {
			return r
		}
		<-q.ready
	}
}
