"""Tests of the configuration's options Linear and EMA (model, losses,
moving average, checkpoints, train.py) and of quality.py, on tiny models:
run with PYTHONPATH=python python3 -m unittest discover -s python/tests"""

import contextlib
import csv
import io
import json
import os
import signal
import tempfile
import threading
import unittest

import numpy as np
import torch

from wgangp_torch import checkpoint, quality, safetensors, train
from wgangp_torch.adam import MatlabAdam
from wgangp_torch.ema import EMA, beta
from wgangp_torch.losses import d_losses
from wgangp_torch.model import WGAN, glorot_init, param_shapes

F, Z = 2, 3
GEN = [n for n, _ in param_shapes(F, Z) if n.startswith("gen.")]


def write_pictures(d, n=4, seed=0):
    """n small random PNG files in folder d."""
    from PIL import Image

    os.makedirs(d, exist_ok=True)
    r = np.random.default_rng(seed)
    for i in range(n):
        Image.fromarray(r.integers(0, 256, (16, 16, 3), dtype=np.uint8)).save(os.path.join(d, f"p{i}.png"))
    return d


def make_checkpoint(path, linear=None, ema=None, ema_avg=None, n_images=4, batch=2, critic=1, seed=7):
    """A checkpoint at iteration 0 as the Go trainer writes one: a fresh
    Glorot model, zero moments; the config's Linear and EMA only when
    given (None: as an old checkpoint, without the keys). With EMA the
    averages are ema_avg (name -> tensor) or the initial weights."""
    cfg = dict(Filters=F, Latent=Z, Batch=batch, Lambda=10.0, LRD=2e-4, LRG=1e-3,
               Beta1=0.0, Beta2=0.9, Eps=1e-8, Critic=critic)
    if linear is not None:
        cfg["Linear"] = linear
    if ema is not None:
        cfg["EMA"] = ema
    m = WGAN(F, Z)
    glorot_init(m, torch.Generator().manual_seed(seed))
    opt_d = MatlabAdam(m.disc.parameters(), cfg["LRD"])
    opt_g = MatlabAdam(m.gen.parameters(), cfg["LRG"])
    meta = dict(iteration="0", critic_done="0", iterations="10", seed=str(seed), swd_every="0", swd_images="0",
                elapsed_ms="0", data="test pictures", data_images=str(n_images), stream_epoch="0", stream_pos="0",
                noise_state=train.go_noise_state(seed, 0), crop="squash")
    avg = None
    if ema:
        params = dict(m.named_parameters())
        avg = ema_avg if ema_avg is not None else {n: params[n].detach().clone() for n in GEN}
    checkpoint.save(path, cfg, m, opt_d, opt_g, meta, {h: [] for h in checkpoint.HISTORY}, [], ema=avg)
    return m, cfg


def edit(path, out, fn):
    """Copies the safetensors file path to out through fn(tensors dict, meta dict)."""
    t, meta = safetensors.read(path)
    t, meta = dict(t), dict(meta)
    fn(t, meta)
    safetensors.write(out, list(t.items()), meta)
    return out


def set_config(**kw):
    def fn(t, meta):
        cfg = json.loads(meta["config"])
        cfg.update(kw)
        meta["config"] = json.dumps(cfg)
    return fn


class TestEMA(unittest.TestCase):
    def test_beta(self):
        self.assertAlmostEqual(beta(0.999, 1), 2 / 11)
        self.assertAlmostEqual(beta(0.999, 3), 4 / 13)
        self.assertEqual(beta(0.2, 2), 0.2)  # 3/12 > 0.2
        self.assertAlmostEqual(beta(0.999, 10_000), 0.999)

    def test_three_steps_by_hand(self):
        w0 = [np.array([1.0, -2.0, 0.5], np.float32), np.array([[3.0], [4.0]], np.float32)]
        steps = [[np.array([2.0, 0.0, 0.5], np.float32), np.array([[1.0], [-4.0]], np.float32)],
                 [np.array([-1.0, 1.0, 2.5], np.float32), np.array([[0.0], [8.0]], np.float32)],
                 [np.array([0.25, 3.0, -1.0], np.float32), np.array([[2.0], [2.0]], np.float32)]]
        ps = [torch.nn.Parameter(torch.from_numpy(a.copy())) for a in w0]
        e = EMA([("gen.a", ps[0]), ("gen.b", ps[1])], decay=0.2)
        want = [a.astype(np.float64) for a in w0]
        # t=1: β = 2/11 (the warm-up, below 0.2); t=2,3: β = 0.2 (the decay)
        for t, (ws, b) in enumerate(zip(steps, [2 / 11, 0.2, 0.2]), start=1):
            with torch.no_grad():
                for p, w in zip(ps, ws):
                    p.copy_(torch.from_numpy(w))
            e.update(t)
            want = [a + (1 - b) * (w - a) for a, w in zip(want, ws)]
            self.assertEqual(e.t, t)
            for n, wv in zip(("gen.a", "gen.b"), want):
                np.testing.assert_allclose(e.avg[n].numpy(), wv, rtol=1e-6, atol=1e-6)
        # by hand, the first element after 3 steps: 1 → 1+(9/11)(1) = 20/11 → 20/11+0.8(−1−20/11) → ...
        a = 1.0 + (9 / 11) * (2.0 - 1.0)
        a = a + 0.8 * (-1.0 - a)
        a = a + 0.8 * (0.25 - a)
        self.assertAlmostEqual(e.avg["gen.a"][0].item(), a, places=6)
        # the averages are beside the weights, which they leave alone
        np.testing.assert_array_equal(ps[0].detach().numpy(), steps[2][0])
        self.assertEqual(e.avg["gen.a"].dtype, torch.float32)

    def test_resumed_count(self):
        p = torch.nn.Parameter(torch.zeros(2))
        e = EMA([("gen.w", p)], decay=0.5, t=5)
        with torch.no_grad():
            p.fill_(1.0)
        e.update()  # t 6: β = min(0.5, 7/16)
        self.assertEqual(e.t, 6)
        np.testing.assert_allclose(e.avg["gen.w"].numpy(), [9 / 16, 9 / 16], rtol=1e-7)
        with self.assertRaises(ValueError):
            EMA([("gen.w", p)], decay=1.0)


class TestLinear(unittest.TestCase):
    def test_score_is_conv5(self):
        torch.manual_seed(1)
        lin, sig = WGAN(F, Z, linear=True), WGAN(F, Z)
        sig.load_state_dict(lin.state_dict())
        got = {}
        for m in (lin, sig):
            m.disc.conv5.register_forward_hook(lambda mod, inp, out, m=m: got.__setitem__(id(m), out.detach()))
        x = torch.rand(3, 3, 64, 64) * 2 - 1
        with torch.no_grad():
            dl, ds = lin.disc(x), sig.disc(x)
        self.assertEqual(list(dl.shape), [3])
        torch.testing.assert_close(dl, got[id(lin)].reshape(-1), rtol=0, atol=0)
        torch.testing.assert_close(ds, torch.sigmoid(got[id(sig)].reshape(-1)), rtol=0, atol=0)
        torch.testing.assert_close(got[id(lin)], got[id(sig)])
        self.assertFalse(torch.allclose(dl, ds))
        self.assertFalse(WGAN(F, Z).disc.linear)

    def test_loss_gradient_finite_differences(self):
        torch.manual_seed(2)
        m = WGAN(F, Z, linear=True).double()
        glorot_init(m, torch.Generator().manual_seed(3))
        with torch.no_grad():  # non-trivial norms and biases
            for n, p in m.disc.named_parameters():
                if "norm" in n or n.endswith("bias"):
                    p.add_(0.3 * torch.randn_like(p))
        x = torch.rand(2, 3, 64, 64, dtype=torch.float64) * 2 - 1
        z = torch.randn(2, Z, dtype=torch.float64)
        eps = torch.tensor([0.3, 0.8], dtype=torch.float64)
        lam = 10.0
        with torch.no_grad():
            fake = m.gen(z)

        def loss():
            return d_losses(m.gen, m.disc, x, z, eps, lam, fake=fake)

        params = list(m.disc.named_parameters())
        l, unreg, gp, _, _, _ = loss()
        self.assertGreater(gp.item(), 1e-3)
        grads = torch.autograd.grad(l, [p for _, p in params], retain_graph=True)
        ugrads = torch.autograd.grad(unreg, [p for _, p in params])
        r = np.random.default_rng(4)
        h = 1e-6
        checked = penalty_mattered = 0
        for (n, p), g, ug in zip(params, grads, ugrads):
            flat = p.data.view(-1)
            for i in r.choice(flat.numel(), size=min(3, flat.numel()), replace=False):
                old = flat[i].item()
                vals = []
                for v in (old + h, old - h):
                    with torch.no_grad():
                        flat[i] = v
                    vals.append(loss()[0].item())
                with torch.no_grad():
                    flat[i] = old
                lp, lm = vals
                fd = (lp - lm) / (2 * h)
                an = g.reshape(-1)[i].item()
                self.assertAlmostEqual(an, fd, delta=1e-5 * max(1.0, abs(fd)), msg=f"{n}[{i}]")
                checked += 1
                if abs(ug.reshape(-1)[i].item() - an) > 1e-3 * max(1.0, abs(an)):
                    penalty_mattered += 1
        self.assertGreater(checked, 30)
        self.assertGreater(penalty_mattered, checked // 2)  # the double backward is in what was checked

    def test_sigmoid_default_losses_differ(self):
        torch.manual_seed(5)
        lin = WGAN(F, Z, linear=True)
        sig = WGAN(F, Z)
        sig.load_state_dict(lin.state_dict())
        x = torch.rand(2, 3, 64, 64) * 2 - 1
        z, eps = torch.randn(2, Z), torch.rand(2)
        _, ul, _, _, dr, df = d_losses(lin.gen, lin.disc, x, z, eps, 10.0)
        _, us, _, _, sr, sf = d_losses(sig.gen, sig.disc, x, z, eps, 10.0)
        torch.testing.assert_close(torch.sigmoid(dr), sr)
        torch.testing.assert_close(ul, df.mean() - dr.mean())
        torch.testing.assert_close(us, torch.sigmoid(df).mean() - torch.sigmoid(dr).mean())


class TestCheckpointOptions(unittest.TestCase):
    def test_round_trip_linear_ema(self):
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "ck.safetensors")
            avg = {n: torch.full(s, 0.25 + i, dtype=torch.float32) for i, (n, s) in enumerate(
                (n, s) for n, s in param_shapes(F, Z) if n.startswith("gen."))}
            m, _ = make_checkpoint(p, linear=True, ema=0.99, ema_avg=avg)
            c = checkpoint.load(p)
            self.assertIs(c["config"]["Linear"], True)
            self.assertEqual(c["config"]["EMA"], 0.99)
            self.assertEqual(sorted(c["ema"]), sorted(GEN))
            self.assertEqual(sorted(n for n in c["tensors"] if n.startswith("ema.")), sorted("ema." + n for n in GEN))
            params = dict(m.named_parameters())
            for n in GEN:
                np.testing.assert_array_equal(c["ema"][n], avg[n].numpy())
                np.testing.assert_array_equal(c["tensors"][n], params[n].detach().numpy())
            # through the trainer's state and back
            tr = train.Training(c, dict(c["config"]), np.zeros((4, 3, 64, 64), np.uint8), torch.device("cpu"))
            self.assertTrue(tr.model.linear and tr.model.disc.linear)
            self.assertEqual((tr.ema.decay, tr.ema.t), (0.99, 0))
            p2 = os.path.join(d, "ck2.safetensors")
            checkpoint.save(p2, c["config"], tr.model, tr.opt_d, tr.opt_g, c["meta"], c["history"], c["swd"], ema=tr.ema.avg)
            c2 = checkpoint.load(p2)
            self.assertEqual(c2["config"], c["config"])
            for n in GEN:
                np.testing.assert_array_equal(c2["ema"][n], avg[n].numpy())
            # a weights file of the averages: disc as the model, gen the averages
            w = os.path.join(d, "ema.safetensors")
            checkpoint.save_weights(w, tr.model, gen=tr.ema.avg)
            wt, _ = safetensors.read(w)
            self.assertEqual(list(wt), [n for n, _ in param_shapes(F, Z)])
            np.testing.assert_array_equal(wt["gen.tconv3.weight"], avg["gen.tconv3.weight"].numpy())
            np.testing.assert_array_equal(wt["disc.conv2.weight"], c["tensors"]["disc.conv2.weight"])

    def test_old_config_defaults(self):
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "ck.safetensors")
            make_checkpoint(p)
            c = checkpoint.load(p)
            self.assertNotIn("Linear", c["config"])
            self.assertFalse(checkpoint.linear(c["config"]))
            self.assertEqual(checkpoint.ema_decay(c["config"]), 0)
            self.assertEqual(c["ema"], {})
            tr = train.Training(c, dict(c["config"]), np.zeros((4, 3, 64, 64), np.uint8), torch.device("cpu"))
            self.assertFalse(tr.model.linear)
            self.assertIsNone(tr.ema)

    def test_refusals(self):
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "ck.safetensors")
            bad = os.path.join(d, "bad.safetensors")
            make_checkpoint(p, linear=False, ema=0.9)
            checkpoint.load(p)

            def drop(name):
                return lambda t, meta: t.pop(name)

            cases = [
                (drop("ema.gen.tconv2.bias"), r"lacks tensor ema\.gen\.tconv2\.bias \(its config has EMA 0\.9"),
                (set_config(EMA=1.5), r"configuration.*EMA 1\.5 is not 0"),
                (set_config(EMA=-0.1), r"EMA -0\.1"),
                (set_config(EMA=True), r"EMA True"),
                (set_config(EMA="0.9"), r"EMA '0\.9'"),
                (set_config(Linear="yes"), r"Linear 'yes'"),
                (set_config(EMA=0), r"unexpected tensor ema\..*\(its config has no EMA\)"),
                (lambda t, meta: t.__setitem__("ema.gen.project.bias", np.zeros(5, np.float32)),
                 r"ema\.gen\.project\.bias has shape \[5\]"),
                (lambda t, meta: t["ema.gen.tconv1.weight"].__setitem__((0, 0, 0, 0), np.nan), r"ema\.gen\.tconv1\.weight holds NaN"),
            ]
            for fn, want in cases:
                with self.subTest(want=want):
                    edit(p, bad, fn)
                    with self.assertRaisesRegex(checkpoint.CheckpointError, want):
                        checkpoint.load(bad)
            # EMA 0 without averages is an ordinary checkpoint
            edit(p, bad, lambda t, meta: (set_config(EMA=0)(t, meta), [t.pop("ema." + n) for n in GEN]))
            self.assertEqual(checkpoint.load(bad)["ema"], {})

    def test_save_needs_averages_exactly_with_ema(self):
        m = WGAN(F, Z)
        opt_d, opt_g = MatlabAdam(m.disc.parameters(), 1e-3), MatlabAdam(m.gen.parameters(), 1e-3)
        cfg = dict(Filters=F, Latent=Z, Batch=2, Lambda=10.0, LRD=1e-3, LRG=1e-3, Beta1=0.0, Beta2=0.9, Eps=1e-8, Critic=1)
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "ck.safetensors")
            with self.assertRaisesRegex(ValueError, "without moving averages"):
                checkpoint.save(p, dict(cfg, EMA=0.9), m, opt_d, opt_g, {}, {h: [] for h in checkpoint.HISTORY}, [])
            with self.assertRaisesRegex(ValueError, "EMA 1.5"):
                checkpoint.save(p, dict(cfg, EMA=1.5), m, opt_d, opt_g, {}, {h: [] for h in checkpoint.HISTORY}, [], ema={})
            self.assertFalse(os.path.exists(p))


def quiet(fn, *args):
    """fn(*args) with its stdout and stderr captured: (result, stdout, stderr)."""
    o, e = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(o), contextlib.redirect_stderr(e):
        r = fn(*args)
    return r, o.getvalue(), e.getvalue()


class TestTrainEMA(unittest.TestCase):
    def test_one_iteration_carries_the_average(self):
        with tempfile.TemporaryDirectory() as d:
            data = write_pictures(os.path.join(d, "data"))
            run = os.path.join(d, "run")
            os.makedirs(run)
            p = os.path.join(run, checkpoint.CHECKPOINT_NAME)
            make_checkpoint(p, linear=True, ema=0.999)
            c0 = checkpoint.load(p)
            old = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
            try:
                rc, out, err = quiet(train.main, ["--resume", run, "--data", data, "--iterations", "1", "--device", "cpu"])
            finally:
                for s, h in old.items():
                    signal.signal(s, h)
            self.assertEqual(rc, 0, out + err)
            self.assertIn("linear critic; EMA 0.999", out)
            c1 = checkpoint.load(p)
            self.assertEqual((c1["iteration"], c1["step_g"]), (1, 1))
            self.assertEqual(c1["config"], c0["config"])
            k = 1 - min(0.999, 2 / 11)
            moved = 0
            for n in GEN:
                w0, w1 = c0["tensors"][n].astype(np.float64), c1["tensors"][n].astype(np.float64)
                np.testing.assert_allclose(c1["ema"][n], w0 + k * (w1 - w0), rtol=1e-5, atol=1e-7, err_msg=n)
                moved += np.abs(w1 - w0).max() > 0
            self.assertGreater(moved, 0)


class TestQuality(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.d = self.tmp.name
        self.data = write_pictures(os.path.join(self.d, "data"))

    def tearDown(self):
        self.tmp.cleanup()

    def rows(self, out):
        with open(os.path.join(out, "times.csv")) as f:
            r = list(csv.reader(f))
        self.assertEqual(r[0], ["iteration", "seconds"])
        return [(int(a), float(b)) for a, b in r[1:]]

    def run_quality(self, ck, out, *extra):
        return quiet(quality.main, ["--resume", ck, "--data", self.data, "--out", out, "--device", "cpu",
                                    "--threads", "1", *extra])

    def test_end_to_end_with_ema(self):
        ck = os.path.join(self.d, "ck.safetensors")
        make_checkpoint(ck, linear=True, ema=0.9)
        c = checkpoint.load(ck)
        out = os.path.join(self.d, "q", "out")  # made, parents too
        rc, so, se = self.run_quality(ck, out, "--seconds", "3", "--snapshot-every", "1")
        self.assertEqual(rc, 0, se)
        rows = self.rows(out)
        its = [i for i, _ in rows]
        secs = [s for _, s in rows]
        self.assertGreaterEqual(len(rows), 3)
        self.assertEqual(its, list(range(len(rows))))
        self.assertEqual(secs[0], 0.0)
        self.assertTrue(all(a < b for a, b in zip(secs, secs[1:])), secs)
        self.assertGreaterEqual(secs[-1], 3.0)
        lines = so.strip().split("\n")
        self.assertEqual(len(lines), len(rows))
        self.assertTrue(lines[-1].startswith(f"iteration {its[-1]}  seconds "), lines[-1])
        self.assertIn("lossD", lines[-1])
        names = [n for n, _ in param_shapes(F, Z)]
        for i in its:
            for kind in ("weights", "ema"):
                self.assertTrue(os.path.exists(os.path.join(out, f"{kind}-{i:06d}.safetensors")), (kind, i))
        self.assertEqual(sorted(os.listdir(out)), sorted(
            ["times.csv"] + [f"{k}-{i:06d}.safetensors" for i in its for k in ("weights", "ema")]))  # no temporaries
        w0, _ = safetensors.read(os.path.join(out, "weights-000000.safetensors"))
        e0, _ = safetensors.read(os.path.join(out, "ema-000000.safetensors"))
        self.assertEqual(list(w0), names)
        self.assertEqual(list(e0), names)
        for n in names:
            np.testing.assert_array_equal(w0[n], c["tensors"][n])
            np.testing.assert_array_equal(e0[n], c["tensors"][n])
        last = its[-1]
        wl, _ = safetensors.read(os.path.join(out, f"weights-{last:06d}.safetensors"))
        el, _ = safetensors.read(os.path.join(out, f"ema-{last:06d}.safetensors"))
        for n in names:
            if n.startswith("disc."):
                np.testing.assert_array_equal(el[n], wl[n])
        self.assertTrue(any(np.abs(wl[n] - w0[n]).max() > 0 for n in GEN))
        self.assertTrue(any(np.abs(el[n] - wl[n]).max() > 0 for n in GEN))
        # the average after one step, by hand (β_1 = 2/11 below the decay 0.9)
        w1, _ = safetensors.read(os.path.join(out, "weights-000001.safetensors"))
        e1, _ = safetensors.read(os.path.join(out, "ema-000001.safetensors"))
        for n in GEN:
            np.testing.assert_allclose(e1[n], w0[n] + (9 / 11) * (w1[n] - w0[n]), rtol=1e-5, atol=1e-7)

        # a second run into the same folder is refused and writes nothing
        before = sorted(os.listdir(out))
        rc, so, se = self.run_quality(ck, out, "--seconds", "1", "--snapshot-every", "1")
        self.assertEqual(rc, 1)
        self.assertIn("already holds snapshots", se)
        self.assertEqual(so, "")
        self.assertEqual(sorted(os.listdir(out)), before)

    def test_no_ema_and_the_end_snapshot(self):
        ck = os.path.join(self.d, "ck.safetensors")
        make_checkpoint(ck)
        out = os.path.join(self.d, "out")
        os.makedirs(out)  # an existing empty folder is fine
        rc, so, se = self.run_quality(ck, out, "--seconds", "0.5", "--snapshot-every", "3")
        self.assertEqual(rc, 0, se)
        its = [i for i, _ in self.rows(out)]
        self.assertEqual(its[0], 0)
        self.assertTrue(all(i % 3 == 0 for i in its[:-1]), its)
        self.assertTrue(all(a < b for a, b in zip(its, its[1:])), its)
        self.assertGreater(its[-1], 0)
        self.assertFalse([n for n in os.listdir(out) if n.startswith("ema-")])
        self.assertEqual(sorted(n for n in os.listdir(out) if n.startswith("weights-")),
                         [f"weights-{i:06d}.safetensors" for i in its])

    def test_signal_stops_with_a_snapshot(self):
        ck = os.path.join(self.d, "ck.safetensors")
        make_checkpoint(ck, ema=0.5)
        out = os.path.join(self.d, "out")
        before = signal.getsignal(signal.SIGTERM)
        timer = threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGTERM))
        timer.start()
        try:
            rc, so, se = self.run_quality(ck, out, "--seconds", "60", "--snapshot-every", "1000")
        finally:
            timer.cancel()
        self.assertEqual(rc, 3, se)
        rows = self.rows(out)
        self.assertEqual(len(rows), 2)  # iteration 0 and the final one
        self.assertGreater(rows[1][0], 0)
        self.assertLess(rows[1][1], 30)
        self.assertTrue(os.path.exists(os.path.join(out, f"ema-{rows[1][0]:06d}.safetensors")))
        self.assertIs(signal.getsignal(signal.SIGTERM), before)  # handlers restored

    def test_bad_arguments(self):
        ck = os.path.join(self.d, "ck.safetensors")
        make_checkpoint(ck)
        out = os.path.join(self.d, "out")
        rc, _, se = self.run_quality(ck, out, "--seconds", "1", "--snapshot-every", "0")
        self.assertEqual(rc, 2)
        self.assertIn("--snapshot-every", se)
        rc, _, se = self.run_quality(os.path.join(self.d, "nope"), out, "--seconds", "1", "--snapshot-every", "1")
        self.assertEqual(rc, 1)
        self.assertIn("does not exist", se)
        self.assertFalse(os.path.exists(out))


if __name__ == "__main__":
    unittest.main()
