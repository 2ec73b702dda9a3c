"""Makes the small Keras-format files and the reference outputs the purecnn-keras tests use.

Run once with /usr/bin/python3 (numpy, h5py); Keras itself is not needed and not used. The files
follow the layouts Keras writes (see README.md here); the expected outputs are computed in float64
with Keras's semantics (NHWC, 'same' padding split as TensorFlow splits it, average pooling over
the valid cells only), from the float32 weights and inputs stored.
"""
import io
import json
import zipfile

import h5py
import numpy as np

rng = np.random.default_rng(19)

from keras_semantics import activation, conv2d, f32, pool2d


def save(name, array):
    np.save(name, array)


# ---- 1. the real Keras 2.1.3 file: one Conv2D(6, 3x3) on (5, 5, 5) ----

with h5py.File("conv2d_tensorflow_2.h5", "r") as f:
    k = f["model_weights/conv2d_1/conv2d_1/kernel:0"][()]
    b = f["model_weights/conv2d_1/conv2d_1/bias:0"][()]
# Pixel-like inputs in [0, 1): with the file's weights (the integers 0 to 269) every product is
# non-negative, so float32 sums carry no cancellation and match float64 within 1e-5 relative.
x = f32(rng.uniform(0, 1, (3, 5, 5, 5)))
save("conv2d_tensorflow_2_input.npy", x)
save("conv2d_tensorflow_2_expected.npy",
     conv2d(x.astype(np.float64), k.astype(np.float64), b.astype(np.float64), (1, 1), "valid"))


# ---- Keras 2 layouts written with h5py ----

def glorot():
    return {"class_name": "GlorotUniform", "config": {"seed": None}}


def zeros():
    return {"class_name": "Zeros", "config": {}}


def conv_config(name, filters, kernel, strides, padding, act, use_bias, extra=None):
    c = {"name": name, "trainable": True, "dtype": "float32", "filters": filters, "kernel_size": kernel,
         "strides": strides, "padding": padding, "data_format": "channels_last", "dilation_rate": [1, 1],
         "groups": 1, "activation": act, "use_bias": use_bias, "kernel_initializer": glorot(),
         "bias_initializer": zeros(), "kernel_regularizer": None, "bias_regularizer": None,
         "activity_regularizer": None, "kernel_constraint": None, "bias_constraint": None}
    c.update(extra or {})
    return c


def dense_config(name, units, act):
    return {"name": name, "trainable": True, "dtype": "float32", "units": units, "activation": act,
            "use_bias": True, "kernel_initializer": glorot(), "bias_initializer": zeros(),
            "kernel_regularizer": None, "bias_regularizer": None, "activity_regularizer": None,
            "kernel_constraint": None, "bias_constraint": None}


def pool_config(name, size, strides, padding):
    return {"name": name, "trainable": True, "dtype": "float32", "pool_size": size, "padding": padding,
            "strides": strides, "data_format": "channels_last"}


def write_keras2_weights(group, layers):
    """layers: [(name, [(weight name, array)])] in model order, as Keras 2's save_weights lays them out."""
    group.attrs["backend"] = "tensorflow"
    group.attrs["keras_version"] = "2.4.0"
    group.attrs["layer_names"] = [n.encode("utf8") for n, _ in layers]
    for name, weights in layers:
        g = group.create_group(name)
        g.attrs["weight_names"] = [f"{name}/{w}:0".encode("utf8") for w, _ in weights]
        for w, array in weights:
            g.create_dataset(f"{name}/{w}:0", data=array, **COMPRESSION.get("now", {}))


COMPRESSION = {}

# 2. a Sequential model as tf.keras 2.x saves it: InputLayer first, then the layers purecnn has.
seq_k1, seq_b1 = f32(rng.normal(0, 0.5, (3, 3, 1, 4))), f32(rng.normal(0, 0.1, (4,)))
seq_k2, seq_b2 = f32(rng.normal(0, 0.3, (64, 5))), f32(rng.normal(0, 0.1, (5,)))
sequential = {"class_name": "Sequential", "config": {"name": "small_cnn", "layers": [
    {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 8, 8, 1], "dtype": "float32",
                                            "sparse": False, "ragged": False, "name": "conv2d_input"}},
    {"class_name": "Conv2D", "config": conv_config("conv2d", 4, [3, 3], [1, 1], "same", "relu", True)},
    {"class_name": "AveragePooling2D", "config": pool_config("average_pooling2d", [2, 2], [2, 2], "valid")},
    {"class_name": "Flatten", "config": {"name": "flatten", "trainable": True, "dtype": "float32",
                                         "data_format": "channels_last"}},
    {"class_name": "Dropout", "config": {"name": "dropout", "trainable": True, "dtype": "float32", "rate": 0.25,
                                         "noise_shape": None, "seed": None}},
    {"class_name": "Dense", "config": dense_config("dense", 5, "softmax")}]},
    "keras_version": "2.4.0", "backend": "tensorflow"}
training = {"loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"], "weighted_metrics": None,
            "loss_weights": None, "sample_weight_mode": None,
            "optimizer_config": {"class_name": "Adam", "config": {"name": "Adam", "learning_rate": 0.0020000000949949026,
                                                                  "decay": 0.0, "beta_1": 0.8999999761581421,
                                                                  "beta_2": 0.9990000128746033, "epsilon": 1e-07,
                                                                  "amsgrad": False}}}
seq_weights = [("conv2d", [("kernel", seq_k1), ("bias", seq_b1)]), ("average_pooling2d", []), ("flatten", []),
               ("dropout", []), ("dense", [("kernel", seq_k2), ("bias", seq_b2)])]
with h5py.File("keras2_sequential.h5", "w") as f:
    f.attrs["keras_version"] = "2.4.0"
    f.attrs["backend"] = "tensorflow"
    f.attrs["model_config"] = json.dumps(sequential)
    f.attrs["training_config"] = json.dumps(training)
    write_keras2_weights(f.create_group("model_weights"), seq_weights)
with open("keras2_sequential.json", "w") as f:
    f.write(json.dumps(sequential))
with h5py.File("keras2_sequential_weights.h5", "w") as f:
    write_keras2_weights(f, seq_weights)

x = f32(rng.uniform(0, 1, (4, 8, 8, 1)))
h = activation(conv2d(x.astype(np.float64), seq_k1.astype(np.float64), seq_b1, (1, 1), "same"), "relu")
h = pool2d(h, (2, 2), (2, 2), "valid", "avg").reshape(4, -1)
save("keras2_sequential_input.npy", x)
save("keras2_sequential_expected.npy", activation(h @ seq_k2.astype(np.float64) + seq_b2, "softmax"))

# 3. a functional chain as tf.keras 2.2.4-tf saves it, its weights gzip-compressed (h5py can; Keras does not),
#    which checks that jHDF's filter pipeline works without the LZ4 codec excluded from the build.
fn_k1 = f32(rng.normal(0, 0.5, (3, 3, 2, 3)))
fn_k2, fn_b2 = f32(rng.normal(0, 0.3, (12, 4))), f32(rng.normal(0, 0.1, (4,)))
functional = {"class_name": "Model", "config": {"name": "chain", "layers": [
    {"name": "input_1", "class_name": "InputLayer", "config": {"batch_input_shape": [None, 6, 6, 2],
                                                               "dtype": "float32", "sparse": False,
                                                               "ragged": False, "name": "input_1"},
     "inbound_nodes": []},
    {"name": "conv", "class_name": "Conv2D", "config": conv_config("conv", 3, [3, 3], [1, 1], "valid", "sigmoid", False),
     "inbound_nodes": [[["input_1", 0, 0, {}]]]},
    {"name": "pool", "class_name": "MaxPooling2D", "config": pool_config("pool", [2, 2], [2, 2], "same"),
     "inbound_nodes": [[["conv", 0, 0, {}]]]},
    {"name": "flat", "class_name": "Flatten", "config": {"name": "flat", "trainable": True, "dtype": "float32",
                                                         "data_format": "channels_last"},
     "inbound_nodes": [[["pool", 0, 0, {}]]]},
    {"name": "out", "class_name": "Dense", "config": dense_config("out", 4, "linear"),
     "inbound_nodes": [[["flat", 0, 0, {}]]]}],
    "input_layers": [["input_1", 0, 0]], "output_layers": [["out", 0, 0]]}}
COMPRESSION["now"] = {"compression": "gzip"}
with h5py.File("keras2_functional_gzip.h5", "w") as f:
    f.attrs["keras_version"] = "2.2.4-tf"
    f.attrs["backend"] = "tensorflow"
    f.attrs["model_config"] = json.dumps(functional)
    write_keras2_weights(f.create_group("model_weights"),
                         [("input_1", []), ("conv", [("kernel", fn_k1)]), ("pool", []), ("flat", []),
                          ("out", [("kernel", fn_k2), ("bias", fn_b2)])])
COMPRESSION.clear()

x = f32(rng.uniform(-1, 1, (3, 6, 6, 2)))
h = activation(conv2d(x.astype(np.float64), fn_k1.astype(np.float64), None, (1, 1), "valid"), "sigmoid")
h = pool2d(h, (2, 2), (2, 2), "same", "max").reshape(3, -1)
save("keras2_functional_input.npy", x)
save("keras2_functional_expected.npy", h @ fn_k2.astype(np.float64) + fn_b2)


# ---- 4. a Keras 3 functional archive, float64 weights ----

def k3(module, class_name, config, **extra):
    d = {"module": module, "class_name": class_name, "config": config, "registered_name": None}
    d.update(extra)
    return d


def policy(name):
    return k3("keras", "DTypePolicy", {"name": name})


def tensor(shape, source):
    return {"class_name": "__keras_tensor__", "config": {"shape": shape, "dtype": "float32",
                                                         "keras_history": [source, 0, 0]}}


def k3_init(name, config):
    return k3("keras.initializers", name, config)


k3_k1, k3_b1 = rng.normal(0, 0.5, (2, 2, 3, 2)), rng.normal(0, 0.1, (2,))
k3_k2, k3_b2 = rng.normal(0, 0.3, (8, 3)), rng.normal(0, 0.1, (3,))
conv3 = {"name": "c", "trainable": True, "dtype": policy("float64"), "filters": 2, "kernel_size": [2, 2],
         "strides": [2, 2], "padding": "valid", "data_format": "channels_last", "dilation_rate": [1, 1],
         "groups": 1, "activation": "linear", "use_bias": True,
         "kernel_initializer": k3_init("GlorotUniform", {"seed": None}), "bias_initializer": k3_init("Zeros", {}),
         "kernel_regularizer": None, "bias_regularizer": None, "activity_regularizer": None,
         "kernel_constraint": None, "bias_constraint": None}
dense3 = {"name": "d", "trainable": True, "dtype": policy("float64"), "units": 3, "activation": "softmax",
          "use_bias": True, "kernel_initializer": k3_init("GlorotUniform", {"seed": None}),
          "bias_initializer": k3_init("Zeros", {}), "kernel_regularizer": None, "bias_regularizer": None,
          "kernel_constraint": None, "bias_constraint": None}
keras3 = k3("keras", "Functional", {
    "name": "k3_chain", "trainable": True, "layers": [
        k3("keras.layers", "InputLayer", {"batch_shape": [None, 4, 4, 3], "dtype": "float64", "sparse": False,
                                          "name": "input_layer"}, name="input_layer", inbound_nodes=[]),
        k3("keras.layers", "Conv2D", conv3, build_config={"input_shape": [None, 4, 4, 3]}, name="c",
           inbound_nodes=[{"args": [tensor([None, 4, 4, 3], "input_layer")], "kwargs": {}}]),
        k3("keras.layers", "Activation", {"name": "act", "trainable": True, "dtype": policy("float64"),
                                          "activation": "tanh"},
           build_config={"input_shape": [None, 2, 2, 2]}, name="act",
           inbound_nodes=[{"args": [tensor([None, 2, 2, 2], "c")], "kwargs": {}}]),
        k3("keras.layers", "Flatten", {"name": "f", "trainable": True, "dtype": policy("float64"),
                                       "data_format": "channels_last"},
           build_config={"input_shape": [None, 2, 2, 2]}, name="f",
           inbound_nodes=[{"args": [tensor([None, 2, 2, 2], "act")], "kwargs": {}}]),
        k3("keras.layers", "Dense", dense3, build_config={"input_shape": [None, 8]}, name="d",
           inbound_nodes=[{"args": [tensor([None, 8], "f")], "kwargs": {}}])],
    "input_layers": [["input_layer", 0, 0]], "output_layers": [["d", 0, 0]]},
    build_config={"input_shape": None},
    compile_config={"optimizer": k3("keras.optimizers", "SGD", {
        "name": "SGD", "learning_rate": 0.05, "weight_decay": None, "clipnorm": None, "global_clipnorm": None,
        "clipvalue": None, "use_ema": False, "ema_momentum": 0.99, "ema_overwrite_frequency": None,
        "loss_scale_factor": None, "gradient_accumulation_steps": None, "momentum": 0.9, "nesterov": True}),
        "loss": "sparse_categorical_crossentropy", "loss_weights": None, "metrics": ["accuracy"],
        "weighted_metrics": None, "run_eagerly": False, "steps_per_execution": 1, "jit_compile": False})
weights = io.BytesIO()
with h5py.File(weights, "w") as f:
    for key, arrays in [("input_layer", []), ("conv2d", [k3_k1, k3_b1]), ("activation", []), ("flatten", []),
                        ("dense", [k3_k2, k3_b2])]:
        v = f.create_group("layers").require_group(key).create_group("vars") if "layers" not in f else \
            f["layers"].create_group(key).create_group("vars")
        for i, a in enumerate(arrays):
            v.create_dataset(str(i), data=a)
    f.create_group("vars")
with zipfile.ZipFile("keras3_functional.keras", "w") as z:
    z.writestr("metadata.json", json.dumps({"keras_version": "3.6.0", "date_saved": "2026-12-07@00:00:00"}))
    z.writestr("config.json", json.dumps(keras3))
    z.writestr("model.weights.h5", weights.getvalue())

x = f32(rng.uniform(-1, 1, (2, 4, 4, 3)))
h = activation(conv2d(x.astype(np.float64), k3_k1.astype(np.float32).astype(np.float64),
                      k3_b1.astype(np.float32).astype(np.float64), (2, 2), "valid"), "tanh").reshape(2, -1)
save("keras3_functional_input.npy", x)
save("keras3_functional_expected.npy",
     activation(h @ k3_k2.astype(np.float32).astype(np.float64) + k3_b2.astype(np.float32).astype(np.float64),
                "softmax"))
