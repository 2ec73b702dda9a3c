"""Makes trajectory.txt: five Adam steps of a tiny CNN, computed with PyTorch, for TrainingTrajectoryTest.

Run once from this folder with `python3 make_trajectory.py` (PyTorch 1.13, NumPy). The model is
Conv2D(2, 3x3, valid, relu) -> AveragePooling2D(2, 'same') -> Flatten -> Dense(3, softmax) on 6x6x1
inputs; sparse categorical cross-entropy; Adam(0.01) with Keras's update rule (epsilon added to
sqrt(v), bias corrections folded into the step size), written out by hand below. Weights are in
Keras layouts (conv kernel (kh, kw, cin, cout), dense kernel (in, out), NHWC flatten order).
"""
import numpy as np
import torch
import torch.nn.functional as F

rng = np.random.default_rng(7)
n = 8
x = rng.random((n, 6, 6, 1), dtype=np.float32)              # NHWC
y = rng.integers(0, 3, size=n)
ck = (rng.random((3, 3, 1, 2), dtype=np.float32) - 0.5)      # Keras conv kernel
cb = (rng.random(2, dtype=np.float32) - 0.5) * 0.1
dk = (rng.random((8, 3), dtype=np.float32) - 0.5)            # Dense kernel (in=2*2*2, out=3)
db = (rng.random(3, dtype=np.float32) - 0.5) * 0.1

params = [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in (ck, cb, dk, db)]
xt = torch.tensor(x, dtype=torch.float64).permute(0, 3, 1, 2)   # NCHW for torch
yt = torch.tensor(y)


def forward(p):
    w = p[0].permute(3, 2, 0, 1)                                 # (cout, cin, kh, kw)
    h = F.relu(F.conv2d(xt, w, p[1]))                            # (n, 2, 4, 4)
    h = F.avg_pool2d(h, 2, 2, ceil_mode=True)                    # (n, 2, 2, 2)
    h = h.permute(0, 2, 3, 1).reshape(n, -1)                     # NHWC flatten, as Keras
    return h @ p[2] + p[3]                                       # logits


lr, b1, b2, eps = 0.01, 0.9, 0.999, 1e-7
m = [torch.zeros_like(p) for p in params]
v = [torch.zeros_like(p) for p in params]
losses = []
for t in range(1, 6):
    logits = forward(params)
    loss = F.cross_entropy(logits, yt)
    losses.append(loss.item())
    for p in params:
        p.grad = None
    loss.backward()
    with torch.no_grad():
        step = lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t)
        for i, p in enumerate(params):
            m[i] = b1 * m[i] + (1 - b1) * p.grad
            v[i] = b2 * v[i] + (1 - b2) * p.grad ** 2
            p -= step * m[i] / (v[i].sqrt() + eps)


def line(name, a):
    a = np.asarray(a)
    return name + " " + " ".join(str(d) for d in a.shape) + " : " + " ".join(repr(float(f)) for f in a.ravel()) + "\n"


with open("trajectory.txt", "w") as f:
    f.write("# made by make_trajectory.py (PyTorch %s, float64); one array per line: name, shape, ':', values\n" % torch.__version__)
    f.write(line("x", x))
    f.write(line("y", y))
    f.write(line("conv_kernel", ck))
    f.write(line("conv_bias", cb))
    f.write(line("dense_kernel", dk))
    f.write(line("dense_bias", db))
    f.write(line("losses", losses))
    for name, p in zip(("conv_kernel_after", "conv_bias_after", "dense_kernel_after", "dense_bias_after"), params):
        f.write(line(name, p.detach().numpy()))
