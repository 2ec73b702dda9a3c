"""Keras's inference semantics in float64, for the reference outputs of the tests' fixtures:
NHWC, 'same' padding split as TensorFlow splits it, average pooling over the valid cells only."""
import numpy as np


def pad_amounts(size, k, s, padding):
    if padding == "valid":
        return (size - k) // s + 1, 0, 0
    out = -(-size // s)
    total = max((out - 1) * s + k - size, 0)
    return out, total // 2, total - total // 2


def conv2d(x, kernel, bias, strides, padding):
    n, h, w, c = x.shape
    kh, kw, _, f = kernel.shape
    oh, top, bottom = pad_amounts(h, kh, strides[0], padding)
    ow, left, right = pad_amounts(w, kw, strides[1], padding)
    xp = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)))
    out = np.zeros((n, oh, ow, f))
    for i in range(oh):
        for j in range(ow):
            patch = xp[:, i * strides[0]:i * strides[0] + kh, j * strides[1]:j * strides[1] + kw, :]
            out[:, i, j, :] = np.tensordot(patch, kernel, axes=([1, 2, 3], [0, 1, 2]))
    return out + (bias if bias is not None else 0)


def pool2d(x, size, strides, padding, kind):
    n, h, w, c = x.shape
    oh, top, _ = pad_amounts(h, size[0], strides[0], padding)
    ow, left, _ = pad_amounts(w, size[1], strides[1], padding)
    out = np.zeros((n, oh, ow, c))
    for i in range(oh):
        for j in range(ow):
            r0, c0 = i * strides[0] - top, j * strides[1] - left
            window = x[:, max(r0, 0):min(r0 + size[0], h), max(c0, 0):min(c0 + size[1], w), :]
            out[:, i, j, :] = window.max(axis=(1, 2)) if kind == "max" else window.mean(axis=(1, 2))
    return out


def activation(x, name):
    if name == "relu":
        return np.maximum(x, 0)
    if name == "tanh":
        return np.tanh(x)
    if name == "sigmoid":
        return 1 / (1 + np.exp(-x))
    if name == "softmax":
        e = np.exp(x - x.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    return x


def f32(a):
    return np.asarray(a, dtype=np.float32)

