"""Unit tests of wgangp_torch that need no Go: run with
PYTHONPATH=python python3 -m unittest discover -s python/tests"""

import os
import tempfile
import unittest

import numpy as np
import torch

from wgangp_torch import checkpoint, data, rng, safetensors
from wgangp_torch.adam import MatlabAdam
from wgangp_torch.model import WGAN, param_shapes


class TestPCG(unittest.TestCase):
    def test_go_values(self):
        # math/rand/v2's pcg_test.go: NewPCG(1, 2)
        p = rng.PCG(1, 2)
        self.assertEqual([p.uint64(), p.uint64()], [0xC4F5A58656EEF510, 0x9DCEC3AD077DEC6C])

    def test_permutation(self):
        p = rng.permutation(50, rng.PCG(3, rng.epoch_stream(0)))
        self.assertEqual(sorted(p), list(range(50)))

    def test_stream_state(self):
        imgs = np.arange(10 * 3 * 64 * 64, dtype=np.uint8).reshape(10, 3, 64, 64)
        a = data.Stream(imgs, 4, 1)
        seq = [a.next_indices() for _ in range(5)]
        b = data.Stream(imgs, 4, 1, epoch=a.epoch, pos=a.pos)
        a2 = data.Stream(imgs, 4, 1)
        for _ in range(5):
            a2.next_indices()
        self.assertEqual([a2.next_indices() for _ in range(3)], [b.next_indices() for _ in range(3)])
        self.assertEqual(len(seq[0][0]), 4)
        with self.assertRaises(ValueError):
            data.Stream(imgs, 4, 1, epoch=0, pos=3)


class TestSafetensors(unittest.TestCase):
    def test_round_trip_and_errors(self):
        t = [("a", np.ones((2, 3), np.float32)), ("b", np.arange(4, dtype=np.float32))]
        buf = safetensors.encode(t, {"k": "v"})
        got, meta = safetensors.parse(buf)
        self.assertEqual(meta, {"k": "v"})
        np.testing.assert_array_equal(got["b"], t[1][1])
        for bad in (buf[:5], buf[:-4], b"\xff" * 8 + buf[8:]):
            with self.assertRaises(safetensors.FormatError):
                safetensors.parse(bad)


class TestModel(unittest.TestCase):
    def test_names_and_shapes(self):
        m = WGAN(4, 10)
        sd = m.state_dict()
        self.assertEqual(sorted(sd), sorted(n for n, _ in param_shapes(4, 10)))
        for n, s in param_shapes(4, 10):
            self.assertEqual(list(sd[n].shape), s, n)
        self.assertEqual(list(m.gen(torch.randn(2, 10)).shape), [2, 3, 64, 64])
        self.assertEqual(list(m.disc(torch.randn(2, 3, 64, 64)).shape), [2])


class TestAdam(unittest.TestCase):
    def test_first_step_by_hand(self):
        p = torch.nn.Parameter(torch.tensor([1.0, -2.0], dtype=torch.float64))
        opt = MatlabAdam([p], lr=0.1)
        p.grad = torch.tensor([0.5, -4.0], dtype=torch.float64)
        opt.step()
        g = np.array([0.5, -4.0])
        v = 0.1 * g * g
        want = np.array([1.0, -2.0]) - 0.1 * np.sqrt(0.1) * g / (np.sqrt(v) + 1e-8)
        np.testing.assert_allclose(p.detach().numpy(), want, rtol=1e-15)
        self.assertEqual(opt.t, 1)


class TestCheckpointErrors(unittest.TestCase):
    def test_not_a_checkpoint(self):
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "w.safetensors")
            safetensors.write(p, [(n, np.zeros(s, np.float32)) for n, s in param_shapes(2, 3)])
            with self.assertRaisesRegex(checkpoint.CheckpointError, "weights file"):
                checkpoint.load(p)
            with self.assertRaisesRegex(checkpoint.CheckpointError, "not a run folder"):
                checkpoint.resolve(d)


if __name__ == "__main__":
    unittest.main()
