"""Reference outputs for the Keras files that need the layers of the issue "The Keras toolbox for
modern CNNs" (BatchNormalization, SeparableConv2D, DepthwiseConv2D, SpatialDropout2D,
ZeroPadding2D, UpSampling2D, Cropping2D, GlobalMax/AveragePooling2D).

Run once with /usr/bin/python3 (numpy, h5py) beside keras_semantics.py, whose convolution, pooling
and activation functions it imports. Float64, Keras's inference semantics: dropout is the identity,
BatchNormalization uses its moving statistics with Keras's epsilon, UpSampling2D repeats nearest.
"""
import json

import h5py
import numpy as np

from keras_semantics import activation, conv2d, f32, pool2d

rng = np.random.default_rng(17)


def weights(f, layer):
    g = f["model_weights"][layer]
    names = [n.decode() if hasattr(n, "decode") else n for n in g.attrs["weight_names"]]
    return [g[n][()].astype(np.float64) for n in names]


def depthwise(x, kernel, bias, strides, padding):
    # kernel (kh, kw, cin, multiplier): output channel c * multiplier + m, as Keras orders them.
    kh, kw, cin, mult = kernel.shape
    outs = []
    for c in range(cin):
        for m in range(mult):
            outs.append(conv2d(x[..., c:c + 1], kernel[:, :, c:c + 1, m:m + 1], None, strides, padding))
    out = np.concatenate(outs, axis=-1)
    return out + (bias if bias is not None else 0)


def run(f, x):
    config = json.loads(f.attrs["model_config"])
    layers = config["config"]["layers"] if isinstance(config["config"], dict) else config["config"]
    h = x.astype(np.float64)
    for layer in layers:
        kind, c = layer["class_name"], layer["config"]
        if kind in ("InputLayer", "SpatialDropout2D", "Dropout"):
            continue
        w = weights(f, c["name"])
        if kind == "Conv2D":
            h = activation(conv2d(h, w[0], w[1] if c["use_bias"] else None, c["strides"], c["padding"]), c["activation"])
        elif kind == "DepthwiseConv2D":
            h = activation(depthwise(h, w[0], w[1] if c["use_bias"] else None, c["strides"], c["padding"]),
                           c["activation"])
        elif kind == "SeparableConv2D":
            h = depthwise(h, w[0], None, c["strides"], c["padding"])
            h = conv2d(h, w[1], w[2] if c["use_bias"] else None, (1, 1), "valid")
            h = activation(h, c["activation"])
        elif kind == "BatchNormalization":
            gamma, beta, mean, var = w
            h = gamma * (h - mean) / np.sqrt(var + c["epsilon"]) + beta
        elif kind == "Activation":
            h = activation(h, c["activation"])
        elif kind == "ZeroPadding2D":
            (t, b), (l, r) = c["padding"]
            h = np.pad(h, ((0, 0), (t, b), (l, r), (0, 0)))
        elif kind == "UpSampling2D":
            h = h.repeat(c["size"][0], axis=1).repeat(c["size"][1], axis=2)
        elif kind == "Cropping2D":
            (t, b), (l, r) = c["cropping"]
            h = h[:, t:h.shape[1] - b, l:h.shape[2] - r, :]
        elif kind in ("MaxPooling2D", "AveragePooling2D"):
            h = pool2d(h, c["pool_size"], c["strides"], c["padding"], "max" if kind == "MaxPooling2D" else "avg")
        elif kind == "GlobalMaxPooling2D":
            h = h.max(axis=(1, 2))
        elif kind == "GlobalAveragePooling2D":
            h = h.mean(axis=(1, 2))
        elif kind == "Flatten":
            h = h.reshape(h.shape[0], -1)
        elif kind == "Dense":
            h = activation(h @ w[0] + (w[1] if c["use_bias"] else 0), c["activation"])
        else:
            raise ValueError(kind)
    return h


# cnn_batch_norm: Keras's own predictions exist; the float32 copy of its input is what the test feeds.
x = f32(np.load("cnn_batch_norm_input.npy"))
np.save("cnn_batch_norm_input_float32.npy", x)
with h5py.File("cnn_batch_norm.h5", "r") as f:
    ours = run(f, x)
keras = np.load("cnn_batch_norm_predictions.npy").astype(np.float64)
assert np.abs(ours - keras).max() < 1e-5, (ours, keras)
np.save("cnn_batch_norm_expected.npy", ours)

for name, shape in [("sepconv2d_tensorflow_2", (3, 3, 4, 5)), ("tfkeras_cnn2d_64", (2, 10, 10, 3)),
                    ("tfkeras_cnn2d_65", (2, 10, 10, 3)), ("tfkeras_cnn2d_76", (2, 10, 10, 3)),
                    ("tfkeras_cnn2d_100", (2, 10, 10, 3))]:
    x = f32(rng.uniform(-1, 1, shape))
    with h5py.File(name + ".h5", "r") as f:
        np.save(name + "_input.npy", x)
        np.save(name + "_expected.npy", run(f, x))
