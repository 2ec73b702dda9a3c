#!/usr/bin/env python3
"""PyTorch twins of purecnn's benchmark models: the yardstick of its speed figures.

usage: twins.py MODEL DATA_DIR [--images N] [--epochs E] [--threads T] [--seed S]
       twins.py --blas    (prints the BLAS library PyTorch loads, and exits)

Trains MODEL on the CPU the way purecnn's benchmarks train it (see benchmarks/README.md) and
prints one JSON line per epoch:
  model, epoch, images, batch, threads, train_seconds (the epoch's training steps only),
  train_loss, flops_per_image (6 x the forward multiply-adds of the conv and dense layers),
  gflop, gflops, blas (the BLAS library the process loaded: PyTorch's dense layers run on it), and
  on the last epoch's line for the MNIST models test_acc and infer_seconds
  (inference over the 10,000 test images in batches of 1,000, after training, untimed by
  train_seconds).

MODEL, with the Keras layers it mirrors (the same shapes and multiply-adds in PyTorch's layers):
  lenet    the seed tutorial's model: Conv2D 6@3x3 relu, AveragePooling2D 2 'same', Conv2D 16@3x3
           relu, AveragePooling2D 2 'same', Flatten, Dense 120 relu, Dense 84 relu, Dense 10
           softmax; batch 64; MNIST.
  convnet  keras.io mnist_convnet: Conv2D 32@3x3 relu, MaxPooling2D 2, Conv2D 64@3x3 relu,
           MaxPooling2D 2, Flatten, Dropout 0.5, Dense 10 softmax; batch 128; MNIST.
  strided  all-convolutional: Conv2D 16@3x3 strides 2 'same' relu, Conv2D 32@3x3 strides 2 'same'
           relu, Flatten, Dense 10 softmax; batch 64; MNIST.
  cifar    Keras's cifar10_cnn: Conv2D 32@3x3 'same' relu, Conv2D 32@3x3 relu, MaxPooling2D 2,
           Dropout 0.25, Conv2D 64@3x3 'same' relu, Conv2D 64@3x3 relu, MaxPooling2D 2, Dropout
           0.25, Flatten, Dense 512 relu, Dropout 0.5, Dense 10 softmax; batch 32; uniform random
           32x32x3 images and labels (seed 7): speed only.
--images defaults to 12,800 (MNIST, the first N training images) or 2,560 (cifar); the seed's
comparison passes 60000. Every model: Glorot-uniform kernels, zero biases (Keras's defaults),
Adam(1e-3, eps 1e-7) as Keras's, cross-entropy on the logits (Keras's softmax + cross-entropy,
fused), the training images shuffled every epoch, torch.set_num_threads(T).

Debian's PyTorch calls the system BLAS (libblas.so.3) for its dense layers. With the reference
BLAS (libblas3) they are many times slower than with OpenBLAS (libopenblas0-pthread), which is
PyTorch at its best; the script says so on standard error when it finds no optimised BLAS.
"""
import os
import sys

# PyTorch at its best on these machines. Both settings must be in place before torch (and the
# OpenBLAS it loads) starts, so the script re-executes itself once with them:
# - Some machines export OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE for old OpenBLAS builds; with
#   Debian's OpenBLAS they make PyTorch's dense layers several times slower. They are removed.
# - glibc's malloc hands blocks above 128 KB to mmap and gives them back to the kernel when
#   freed, so PyTorch page-faults its activation tensors afresh in every step (more system time
#   than user time). Setting the mmap threshold to its maximum (32 MiB on 64-bit glibc; setting
#   it also stops glibc from moving it) and the trim threshold far above what a run uses keeps
#   freed blocks in the heap for the next step, as the tuned allocators recommended for
#   PyTorch on CPU do.
_UNSET = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
_SET = {"MALLOC_MMAP_THRESHOLD_": str(32 << 20), "MALLOC_TRIM_THRESHOLD_": str(64 << 30)}


def _tuned(env):
    tuned = {k: v for k, v in env.items() if k not in _UNSET}
    tuned.update(_SET)
    return tuned


if __name__ == "__main__" and _tuned(os.environ) != dict(os.environ):
    os.execve(sys.executable, [sys.executable] + sys.argv, _tuned(os.environ))

import argparse  # noqa: E402  (after the re-execution above, on purpose)
import gzip  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402

try:
    import numpy as np  # noqa: E402
    import torch  # noqa: E402
    from torch import nn  # noqa: E402
except ImportError as missing:
    raise SystemExit(f"twins.py needs NumPy and PyTorch ({missing}): on Debian, apt-get install python3-torch "
                     "and run it with /usr/bin/python3")

MNIST_IMAGES = 12_800
CIFAR_IMAGES = 2_560
RANDOM_SEED = 7


def keras_same_pool():
    """Keras AveragePooling2D(2, padding='same'): an odd edge gets a window of the valid cells only.

    PyTorch's ceil_mode without padding averages a window cut by the edge over its cells inside
    the image, which is Keras's rule (26 -> 13 is exact, 11 -> 6 cuts the last window).
    """
    return nn.AvgPool2d(2, stride=2, ceil_mode=True)


def lenet():
    return nn.Sequential(
        nn.Conv2d(1, 6, 3), nn.ReLU(), keras_same_pool(),
        nn.Conv2d(6, 16, 3), nn.ReLU(), keras_same_pool(),
        nn.Flatten(),
        nn.Linear(16 * 6 * 6, 120), nn.ReLU(),
        nn.Linear(120, 84), nn.ReLU(),
        nn.Linear(84, 10))


def convnet():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Dropout(0.5),
        nn.Linear(64 * 5 * 5, 10))


def strided():
    # Keras's 'same' at stride 2 pads 28 -> 14 -> 7 by one cell at the bottom and right only.
    # PyTorch pads both sides alike; padding=1 gives the same output sizes and the same
    # multiply-adds (the windows shift by one cell), without an extra padding copy that a
    # PyTorch user would not write.
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, stride=2, padding=1), nn.ReLU(),
        nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.ReLU(),
        nn.Flatten(),
        nn.Linear(32 * 7 * 7, 10))


def cifar():
    return nn.Sequential(
        nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(),
        nn.Conv2d(32, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.25),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(),
        nn.Conv2d(64, 64, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.25),
        nn.Flatten(),
        nn.Linear(64 * 6 * 6, 512), nn.ReLU(), nn.Dropout(0.5),
        nn.Linear(512, 10))


# name: (layers, batch size, MNIST data?)
MODELS = {
    "lenet": (lenet, 64, True),
    "convnet": (convnet, 128, True),
    "strided": (strided, 64, True),
    "cifar": (cifar, 32, False),
}


def read_idx(data_dir, stem):
    """An IDX array (the MNIST format) from DATA_DIR/stem or DATA_DIR/stem.gz, as uint8."""
    for name, opener in ((stem + ".gz", gzip.open), (stem, open)):
        path = os.path.join(data_dir, name)
        if os.path.exists(path):
            with opener(path, "rb") as f:
                raw = f.read()
            rank = raw[3]
            dims = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(rank)]
            return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)
    raise SystemExit(f"twins.py: neither {stem} nor {stem}.gz in {data_dir}")


def mnist(data_dir, prefix, limit=None):
    """Images (n, 1, 28, 28) scaled by 1/255 as float32, labels (n,) as int64."""
    images = read_idx(data_dir, prefix + "-images-idx3-ubyte")[:limit]
    labels = read_idx(data_dir, prefix + "-labels-idx1-ubyte")[:limit]
    x = torch.from_numpy(images.astype(np.float32) / 255).unsqueeze(1)
    return x, torch.from_numpy(labels.astype(np.int64))


def random_images(count):
    """Uniform random 32x32x3 images in [0, 1) (NCHW) and labels of 10 classes, seed 7."""
    g = torch.Generator().manual_seed(RANDOM_SEED)
    return torch.rand(count, 3, 32, 32, generator=g), torch.randint(0, 10, (count,), generator=g)


def keras_initialise(model):
    """Glorot-uniform kernels and zero biases, as Keras's Conv2D and Dense start."""
    for layer in model.modules():
        if isinstance(layer, (nn.Conv2d, nn.Linear)):
            nn.init.xavier_uniform_(layer.weight)
            nn.init.zeros_(layer.bias)


def forward_multiply_adds(model, image_shape):
    """One image's forward multiply-adds in the conv and dense layers, from the shapes a forward pass gives."""
    total = 0
    x = torch.zeros(1, *image_shape)
    with torch.no_grad():
        for layer in model:
            y = layer(x)
            if isinstance(layer, nn.Conv2d):
                # each output value takes in_channels x kh x kw products
                total += y.numel() * layer.in_channels * layer.kernel_size[0] * layer.kernel_size[1]
            elif isinstance(layer, nn.Linear):
                total += layer.in_features * layer.out_features
            x = y
    return total


def blas_library():
    """The BLAS libraries mapped into this process (Linux), comma-separated, or 'unknown'."""
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if "blas" in line.rsplit("/", 1)[-1].lower()
                     or "libmkl" in line}
    except OSError:
        return "unknown"
    return ",".join(sorted(paths)) or "none"


def optimised(blas):
    return "openblas" in blas or "libmkl" in blas


def train_epoch(model, optimiser, x, y, batch):
    """One shuffled pass over (x, y); returns (seconds, mean loss). Only the steps are timed."""
    model.train()
    loss_function = nn.CrossEntropyLoss()
    order = torch.randperm(x.shape[0])
    loss_sum = 0.0
    start = time.perf_counter()
    for first in range(0, x.shape[0], batch):
        rows = order[first:first + batch]
        optimiser.zero_grad(set_to_none=True)
        loss = loss_function(model(x[rows]), y[rows])
        loss.backward()
        optimiser.step()
        loss_sum += loss.item() * rows.numel()
    return time.perf_counter() - start, loss_sum / x.shape[0]


def test(model, x, y):
    """(accuracy, seconds) of inference over (x, y) in batches of 1,000."""
    model.eval()
    start = time.perf_counter()
    with torch.no_grad():
        predicted = torch.cat([model(x[i:i + 1000]).argmax(1) for i in range(0, x.shape[0], 1000)])
    seconds = time.perf_counter() - start
    return float((predicted == y).float().mean()), seconds


def main():
    ap = argparse.ArgumentParser(description="Trains one of purecnn's benchmark models in PyTorch.")
    ap.add_argument("model", nargs="?", choices=sorted(MODELS))
    ap.add_argument("data_dir", nargs="?", help="folder holding the four MNIST-format files, plain or .gz")
    ap.add_argument("--images", type=int, help="training images per epoch (default 12800, cifar 2560)")
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--seed", type=int, default=1, help="seed of the weights, shuffling and dropout")
    ap.add_argument("--blas", action="store_true", help="print the BLAS library PyTorch loads, and exit")
    a = ap.parse_args()
    if a.blas:
        print(json.dumps({"blas": blas_library(), "optimised": optimised(blas_library())}))
        return
    if a.model is None or a.data_dir is None:
        ap.error("MODEL and DATA_DIR are required")
    build, batch, uses_mnist = MODELS[a.model]
    images = a.images or (MNIST_IMAGES if uses_mnist else CIFAR_IMAGES)
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)

    if uses_mnist:
        x, y = mnist(a.data_dir, "train", images)
        if x.shape[0] < images:
            raise SystemExit(f"twins.py: asked for {images} images, {a.data_dir} holds {x.shape[0]}")
        x_test, y_test = mnist(a.data_dir, "t10k")
    else:
        x, y = random_images(images)
    model = build()
    keras_initialise(model)
    flops_per_image = 6 * forward_multiply_adds(model, tuple(x.shape[1:]))
    optimiser = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    blas = blas_library()
    if not optimised(blas) and blas != "unknown":
        print(f"twins.py: PyTorch runs on {blas}, not an optimised BLAS: its dense layers are slow; "
              "install OpenBLAS (Debian: libopenblas0-pthread) to measure PyTorch at its best", file=sys.stderr)
    for epoch in range(1, a.epochs + 1):
        seconds, loss = train_epoch(model, optimiser, x, y, batch)
        gflop = flops_per_image * images / 1e9
        line = {"model": a.model, "epoch": epoch, "images": images, "batch": batch, "threads": a.threads,
                "train_seconds": round(seconds, 4), "train_loss": round(loss, 5),
                "flops_per_image": flops_per_image, "gflop": round(gflop, 3), "gflops": round(gflop / seconds, 2),
                "blas": blas}
        if uses_mnist and epoch == a.epochs:
            accuracy, infer_seconds = test(model, x_test, y_test)
            line.update(test_acc=round(accuracy, 4), infer_seconds=round(infer_seconds, 4))
        line["torch"] = torch.__version__
        print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main()
