// Generated from the Go definitions in cmd/wasm/message (go test ./cmd/wasm/message -run Schema -update); do not edit.
// web/messages.js reads and writes the page's messages by it.

export const schema = {
  "pageToViewer": {
    "from": "the page",
    "messages": {
      "frame": [
        {
          "key": "title",
          "kind": "string",
          "want": "a string"
        },
        {
          "key": "line",
          "kind": "string",
          "want": "a string"
        },
        {
          "key": "gridLabel",
          "kind": "string",
          "want": "a string"
        },
        {
          "fields": [
            {
              "key": "width",
              "kind": "integer",
              "want": "a whole number"
            },
            {
              "key": "height",
              "kind": "integer",
              "want": "a whole number"
            },
            {
              "key": "pixels",
              "kind": "bytes",
              "want": "bytes (a Uint8Array)"
            }
          ],
          "key": "grid",
          "kind": "object",
          "nullable": true,
          "optional": true,
          "want": "an object or null"
        },
        {
          "key": "keepGrid",
          "kind": "boolean",
          "optional": true,
          "want": "a boolean"
        },
        {
          "key": "lossD",
          "kind": "float32s",
          "want": "a Float32Array"
        },
        {
          "key": "lossDUnregularized",
          "kind": "float32s",
          "want": "a Float32Array"
        },
        {
          "key": "swdIterations",
          "kind": "float64s",
          "want": "a Float64Array"
        },
        {
          "key": "swd",
          "kind": "float64s",
          "want": "a Float64Array"
        },
        {
          "key": "swdFloor",
          "kind": "number",
          "want": "a number"
        },
        {
          "key": "diversity",
          "kind": "string",
          "want": "a string"
        }
      ]
    }
  },
  "pageToWorker": {
    "from": "the page",
    "messages": {
      "calibrate": [
        {
          "key": "iterations",
          "kind": "integer",
          "optional": true,
          "want": "a whole number"
        }
      ],
      "decode": [
        {
          "key": "id",
          "kind": "integer",
          "want": "a whole number"
        },
        {
          "key": "name",
          "kind": "string",
          "want": "a string"
        },
        {
          "key": "bytes",
          "kind": "bytes",
          "want": "bytes (a Uint8Array)"
        }
      ],
      "flowers": [
        {
          "key": "count",
          "kind": "integer",
          "optional": true,
          "want": "a whole number"
        }
      ],
      "get-checkpoint": [],
      "get-grid": [],
      "get-weights": [],
      "init": [
        {
          "key": "backend",
          "kind": "string",
          "want": "a string"
        }
      ],
      "load-weights": [
        {
          "key": "name",
          "kind": "string",
          "want": "a string"
        },
        {
          "key": "bytes",
          "kind": "bytes",
          "want": "bytes (a Uint8Array)"
        }
      ],
      "pause": [],
      "reset": [],
      "resume": [],
      "resume-checkpoint": [
        {
          "key": "bytes",
          "kind": "bytes",
          "want": "bytes (a Uint8Array)"
        },
        {
          "fields": [
            {
              "key": "name",
              "kind": "string",
              "want": "a string"
            },
            {
              "key": "rgba",
              "kind": "bytes",
              "want": "bytes (a Uint8Array)"
            }
          ],
          "key": "images",
          "kind": "objects",
          "want": "an array of objects"
        },
        {
          "fields": [
            {
              "key": "preset",
              "kind": "string",
              "optional": true,
              "want": "a string"
            },
            {
              "key": "filters",
              "kind": "integer",
              "optional": true,
              "want": "a whole number"
            },
            {
              "key": "batch",
              "kind": "integer",
              "optional": true,
              "want": "a whole number"
            },
            {
              "key": "iterations",
              "kind": "integer",
              "optional": true,
              "want": "a whole number"
            },
            {
              "key": "every",
              "kind": "integer",
              "optional": true,
              "want": "a whole number"
            },
            {
              "key": "checkpointEvery",
              "kind": "integer",
              "optional": true,
              "want": "a whole number"
            },
            {
              "key": "seed",
              "kind": "integer",
              "min": 0,
              "optional": true,
              "want": "a whole number ≥ 0"
            },
            {
              "key": "recipe",
              "kind": "string",
              "optional": true,
              "want": "a string"
            },
            {
              "key": "ema",
              "kind": "number",
              "nullable": true,
              "optional": true,
              "want": "a number or null"
            }
          ],
          "key": "options",
          "kind": "object",
          "want": "an object"
        }
      ],
      "start": [
        {
          "fields": [
            {
              "key": "preset",
              "kind": "string",
              "optional": true,
              "want": "a string"
            },
            {
              "key": "filters",
              "kind": "integer",
              "optional": true,
              "want": "a whole number"
            },
            {
              "key": "batch",
              "kind": "integer",
              "optional": true,
              "want": "a whole number"
            },
            {
              "key": "iterations",
              "kind": "integer",
              "optional": true,
              "want": "a whole number"
            },
            {
              "key": "every",
              "kind": "integer",
              "optional": true,
              "want": "a whole number"
            },
            {
              "key": "checkpointEvery",
              "kind": "integer",
              "optional": true,
              "want": "a whole number"
            },
            {
              "key": "seed",
              "kind": "integer",
              "min": 0,
              "optional": true,
              "want": "a whole number ≥ 0"
            },
            {
              "key": "recipe",
              "kind": "string",
              "optional": true,
              "want": "a string"
            },
            {
              "key": "ema",
              "kind": "number",
              "nullable": true,
              "optional": true,
              "want": "a number or null"
            }
          ],
          "key": "options",
          "kind": "object",
          "want": "an object"
        },
        {
          "fields": [
            {
              "key": "name",
              "kind": "string",
              "want": "a string"
            },
            {
              "key": "rgba",
              "kind": "bytes",
              "want": "bytes (a Uint8Array)"
            }
          ],
          "key": "images",
          "kind": "objects",
          "want": "an array of objects"
        }
      ]
    }
  },
  "viewerToPage": {
    "from": "the view",
    "messages": {
      "error": [
        {
          "key": "message",
          "kind": "string",
          "want": "a string"
        }
      ],
      "failed": [
        {
          "key": "message",
          "kind": "string",
          "want": "a string"
        }
      ],
      "ready": [],
      "save-grid": [],
      "toggle-pause": []
    }
  },
  "workerToPage": {
    "from": "the trainer",
    "messages": {
      "calibration": [
        {
          "key": "preset",
          "kind": "string",
          "want": "a string"
        },
        {
          "key": "seconds",
          "kind": "number",
          "optional": true,
          "want": "a number"
        },
        {
          "key": "from",
          "kind": "string",
          "optional": true,
          "want": "a string"
        },
        {
          "key": "error",
          "kind": "string",
          "optional": true,
          "want": "a string"
        },
        {
          "key": "text",
          "kind": "string",
          "want": "a string"
        },
        {
          "key": "short",
          "kind": "string",
          "want": "a string"
        }
      ],
      "checkpoint": [
        {
          "key": "iteration",
          "kind": "integer",
          "want": "a whole number"
        },
        {
          "key": "bytes",
          "kind": "bytes",
          "want": "bytes (a Uint8Array)"
        }
      ],
      "decoded": [
        {
          "key": "id",
          "kind": "integer",
          "want": "a whole number"
        },
        {
          "key": "name",
          "kind": "string",
          "want": "a string"
        },
        {
          "key": "rgba",
          "kind": "bytes",
          "optional": true,
          "want": "bytes (a Uint8Array)"
        },
        {
          "key": "error",
          "kind": "string",
          "optional": true,
          "want": "a string"
        }
      ],
      "error": [
        {
          "key": "message",
          "kind": "string",
          "want": "a string"
        },
        {
          "key": "fatal",
          "kind": "boolean",
          "optional": true,
          "want": "a boolean"
        }
      ],
      "file": [
        {
          "key": "name",
          "kind": "string",
          "want": "a string"
        },
        {
          "key": "mime",
          "kind": "string",
          "want": "a string"
        },
        {
          "key": "bytes",
          "kind": "bytes",
          "want": "bytes (a Uint8Array)"
        }
      ],
      "flowers": [
        {
          "fields": [
            {
              "key": "name",
              "kind": "string",
              "want": "a string"
            },
            {
              "key": "rgba",
              "kind": "bytes",
              "want": "bytes (a Uint8Array)"
            }
          ],
          "key": "images",
          "kind": "objects",
          "want": "an array of objects"
        },
        {
          "key": "done",
          "kind": "integer",
          "want": "a whole number"
        },
        {
          "key": "total",
          "kind": "integer",
          "want": "a whole number"
        }
      ],
      "frame": [
        {
          "fields": [
            {
              "key": "width",
              "kind": "integer",
              "want": "a whole number"
            },
            {
              "key": "height",
              "kind": "integer",
              "want": "a whole number"
            },
            {
              "key": "pixels",
              "kind": "bytes",
              "want": "bytes (a Uint8Array)"
            }
          ],
          "key": "grid",
          "kind": "object",
          "nullable": true,
          "optional": true,
          "want": "an object or null"
        },
        {
          "key": "gridLabel",
          "kind": "string",
          "want": "a string"
        },
        {
          "key": "lossD",
          "kind": "float32s",
          "want": "a Float32Array"
        },
        {
          "key": "lossDUnregularized",
          "kind": "float32s",
          "want": "a Float32Array"
        },
        {
          "key": "swdIterations",
          "kind": "float64s",
          "want": "a Float64Array"
        },
        {
          "key": "swd",
          "kind": "float64s",
          "want": "a Float64Array"
        },
        {
          "key": "swdFloor",
          "kind": "number",
          "want": "a number"
        },
        {
          "key": "diversity",
          "kind": "string",
          "want": "a string"
        },
        {
          "key": "title",
          "kind": "string",
          "want": "a string"
        },
        {
          "key": "line",
          "kind": "string",
          "want": "a string"
        }
      ],
      "notice": [
        {
          "key": "message",
          "kind": "string",
          "want": "a string"
        }
      ],
      "ready": [
        {
          "key": "backend",
          "kind": "string",
          "want": "a string"
        },
        {
          "key": "adapter",
          "kind": "string",
          "want": "a string"
        },
        {
          "key": "software",
          "kind": "boolean",
          "want": "a boolean"
        },
        {
          "key": "reason",
          "kind": "string",
          "want": "a string"
        },
        {
          "fields": [
            {
              "key": "name",
              "kind": "string",
              "want": "a string"
            },
            {
              "key": "filters",
              "kind": "integer",
              "want": "a whole number"
            },
            {
              "key": "batch",
              "kind": "integer",
              "want": "a whole number"
            },
            {
              "key": "iterations",
              "kind": "integer",
              "want": "a whole number"
            },
            {
              "key": "about",
              "kind": "string",
              "want": "a string"
            }
          ],
          "key": "presets",
          "kind": "objects",
          "want": "an array of objects"
        },
        {
          "key": "preset",
          "kind": "string",
          "want": "a string"
        }
      ],
      "status": [
        {
          "key": "state",
          "kind": "string",
          "want": "a string"
        },
        {
          "key": "iteration",
          "kind": "integer",
          "want": "a whole number"
        },
        {
          "key": "iterations",
          "kind": "integer",
          "want": "a whole number"
        },
        {
          "key": "done",
          "kind": "boolean",
          "want": "a boolean"
        },
        {
          "key": "lossD",
          "kind": "number",
          "nullable": true,
          "optional": true,
          "want": "a number or null"
        },
        {
          "key": "lossDUnregularized",
          "kind": "number",
          "nullable": true,
          "optional": true,
          "want": "a number or null"
        },
        {
          "key": "penalty",
          "kind": "number",
          "nullable": true,
          "optional": true,
          "want": "a number or null"
        },
        {
          "key": "lossG",
          "kind": "number",
          "nullable": true,
          "optional": true,
          "want": "a number or null"
        },
        {
          "key": "itPerSec",
          "kind": "number",
          "want": "a number"
        },
        {
          "key": "elapsedMs",
          "kind": "integer",
          "want": "a whole number"
        },
        {
          "key": "title",
          "kind": "string",
          "want": "a string"
        },
        {
          "key": "line",
          "kind": "string",
          "want": "a string"
        },
        {
          "key": "filters",
          "kind": "integer",
          "optional": true,
          "want": "a whole number"
        },
        {
          "key": "batch",
          "kind": "integer",
          "optional": true,
          "want": "a whole number"
        },
        {
          "key": "backend",
          "kind": "string",
          "want": "a string"
        },
        {
          "key": "adapter",
          "kind": "string",
          "want": "a string"
        },
        {
          "key": "error",
          "kind": "string",
          "want": "a string"
        },
        {
          "key": "deviceBytes",
          "kind": "integer",
          "want": "a whole number"
        },
        {
          "key": "heapBytes",
          "kind": "integer",
          "want": "a whole number"
        },
        {
          "key": "deviceOpens",
          "kind": "integer",
          "want": "a whole number"
        }
      ]
    }
  }
};
