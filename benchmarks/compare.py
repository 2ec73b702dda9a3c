#!/usr/bin/env python3
"""purecnn's speed, measured side by side: against its PyTorch twins, and in short runs.

usage (any directory; paths default to this clone, built as benchmarks/README.md says):
  compare.py seed  [--rounds 5] [--threads 2] [--plain] [--jvm OPTS] [--peak GFLOPS]
  compare.py suite [--models lenet,convnet,strided,cifar] [--images N] [--rounds 3] [--threads 2]
                   [--plain] [--jvm OPTS] [--peak GFLOPS]
  compare.py short [--rounds 5] [--images 2000] [--epochs 2] [--threads 2] [--jvm OPTS]

seed   the seed model, 60,000 MNIST images, 2 epochs: PyTorch (pytorch/twins.py lenet) and the
       command line (`train --epochs 2`), one after the other, for each round.
suite  each suite model, 2 epochs on its images (12,800 MNIST, or 2,560 random for cifar), in
       turn: the PyTorch twin, then purecnn's ModelSuite.
       Both print the epoch-2 seconds of every round (the first epoch includes the JIT's
       warm-up), the ratio purecnn / PyTorch, its median, and the GFLOP/s of both sides with
       their share of the machine's FMA peak (FmaPeak on the same threads, measured at the start
       unless --peak gives it). purecnn runs on the Vector API (--add-modules
       jdk.incubator.vector); --plain measures the plain-Java path. --jvm adds JVM options, for
       example --jvm=-XX:MaxVectorSize=32.
short  whole JVM runs of `train --train-limit 2000 --epochs 2` on the Vector API and in plain
       Java, alternating: wall seconds, epochs 1 and 2, the median ratio Vector API / plain Java.

The twins run under --python (default /usr/bin/python3, where Debian's python3-torch is). PyTorch
must run on an optimised BLAS (OpenBLAS or MKL; Debian: libopenblas0-pthread), else its dense
layers are many times slower and the ratios meaningless: the comparison stops unless --any-blas.
"""
import argparse
import json
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VECTOR = ["--add-modules", "jdk.incubator.vector"]


class Tools:
    """The programs a comparison runs, and how."""

    def __init__(self, a):
        self.data = a.data
        self.threads = a.threads
        self.python = a.python
        self.cli_jar = ROOT / "target" / "purecnn-cli.jar"
        self.bench_jar = ROOT / "benchmarks" / "target" / "benchmarks.jar"
        self.twins = ROOT / "benchmarks" / "pytorch" / "twins.py"
        self.extra = shlex.split(a.jvm)
        self.any_blas = getattr(a, "any_blas", False)
        for jar, build in ((self.cli_jar, "mvn -q -DskipTests install"),
                           (self.bench_jar, "mvn -q -f benchmarks/pom.xml package")):
            if not jar.is_file():
                sys.exit(f"compare.py: no {jar}: build it from {ROOT} with {build}")

    def jvm(self, vector):
        return ["java"] + (VECTOR if vector else []) + self.extra

    def twin(self, model, images=None):
        """The twin's JSON line of its last epoch (epoch 2)."""
        cmd = [self.python, str(self.twins), model, self.data, "--epochs", "2", "--threads", str(self.threads)]
        if images:
            cmd += ["--images", str(images)]
        return json_lines(run(cmd))[-1]

    def check_blas(self):
        """Stops unless PyTorch loads an optimised BLAS (or --any-blas); returns the library."""
        found = json_lines(run([self.python, str(self.twins), "--blas"]))[0]
        if not found["optimised"] and not self.any_blas:
            sys.exit(f"compare.py: PyTorch loads {found['blas']}, not OpenBLAS or MKL: its dense layers are then "
                     "many times slower than at its best. Install OpenBLAS (Debian: apt-get install "
                     "libopenblas0-pthread), or pass --any-blas to compare anyway.")
        return found["blas"]

    def suite(self, model, vector, images=None):
        """ModelSuite's JSON line of the model's last epoch (epoch 2)."""
        cmd = self.jvm(vector) + ["-cp", str(self.bench_jar), "io.github.purecnn.benchmarks.suite.ModelSuite",
                                  "--models", model, "--epochs", "2", "--threads", str(self.threads),
                                  "--data", self.data]
        if images:
            cmd += ["--images", str(images)]
        return json_lines(run(cmd))[-1]

    def flops_per_image(self, model):
        cmd = ["java", "-cp", str(self.bench_jar), "io.github.purecnn.benchmarks.suite.ModelSuite",
               "--flops", "--models", model]
        return json_lines(run(cmd))[0]["flops_per_image"]

    def train(self, vector, images=None, epochs=2):
        """A whole `train` run of the command line: (wall seconds, per-epoch seconds)."""
        with tempfile.TemporaryDirectory() as tmp:
            metrics = Path(tmp) / "metrics.json"
            cmd = self.jvm(vector) + ["-jar", str(self.cli_jar), "train", "--data", self.data,
                                      "--epochs", str(epochs), "--threads", str(self.threads),
                                      "--metrics-json", str(metrics)]
            if images:
                cmd += ["--train-limit", str(images)]
            start = time.perf_counter()
            run(cmd)
            wall = time.perf_counter() - start
            return wall, [e["seconds"] for e in json.loads(metrics.read_text())["epochs"]]

    def peak(self, given):
        """The machine's FMA peak on the comparison's threads: (GFLOP/s, how it was obtained)."""
        if given:
            return given, "given"
        cmd = ["java"] + VECTOR + ["-cp", str(self.bench_jar), "io.github.purecnn.benchmarks.peak.FmaPeak",
                                   "--threads", str(self.threads)]
        line = json_lines(run(cmd))[0]
        return line["gflops"], f"FmaPeak, {line['floats']}-float vectors, measured now"


def run(cmd):
    """Runs cmd from the clone's root; its standard output, or exit with its error output."""
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        sys.exit(f"compare.py: failed (exit status {done.returncode}): {shlex.join(cmd)}")
    return done.stdout


def json_lines(text):
    lines = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    if not lines:
        sys.exit("compare.py: no JSON result line in:\n" + text)
    return lines


def check_twins(model, purecnn, pytorch):
    """Both sides must have trained the same work: FLOPs per image, images and batch size."""
    for key in ("flops_per_image", "images", "batch"):
        if key in purecnn and purecnn[key] != pytorch[key]:
            sys.exit(f"compare.py: {model}: {key} is {purecnn[key]} for purecnn, {pytorch[key]} for the PyTorch "
                     "twin: they did not train the same thing")


def path_name(a):
    return ("plain Java" if a.plain else "Vector API") + (f" {a.jvm}" if a.jvm else "")


def share(gflops, peak):
    return f"{gflops:.1f} GFLOP/s ({100 * gflops / peak:.1f}% of peak)"


def seed(a, tools):
    blas = tools.check_blas()
    peak, how = tools.peak(a.peak)
    flops = tools.flops_per_image("lenet")
    images = 60_000
    print(f"seed model, {images:,} images, epoch 2, {a.threads} threads, purecnn on {path_name(a)}; "
          f"FMA peak {peak:.1f} GFLOP/s ({how}); PyTorch's BLAS {blas}")
    torch_s, pure_s, ratios = [], [], []
    for r in range(1, a.rounds + 1):
        twin = tools.twin("lenet", images)
        check_twins("lenet", {"flops_per_image": flops, "images": images}, twin)
        _, epochs = tools.train(not a.plain)
        torch_s.append(twin["train_seconds"])
        pure_s.append(epochs[1])
        ratios.append(epochs[1] / twin["train_seconds"])
        print(f"round {r}: PyTorch {torch_s[-1]:.2f} s, purecnn {pure_s[-1]:.2f} s, ratio {ratios[-1]:.3f}",
              flush=True)
    gflop = flops * images / 1e9
    print(f"median ratio purecnn / PyTorch: {statistics.median(ratios):.3f} ({a.rounds} rounds)")
    print(f"purecnn: median {statistics.median(pure_s):.2f} s, {share(gflop / statistics.median(pure_s), peak)}")
    print(f"PyTorch: median {statistics.median(torch_s):.2f} s, {share(gflop / statistics.median(torch_s), peak)}")


def suite(a, tools):
    blas = tools.check_blas()
    peak, how = tools.peak(a.peak)
    models = a.models.split(",")
    print(f"model suite, epoch 2, {a.threads} threads, purecnn on {path_name(a)}; "
          f"FMA peak {peak:.1f} GFLOP/s ({how}); PyTorch's BLAS {blas}")
    rows = []
    for model in models:
        torch_s, pure_s, ratios = [], [], []
        for r in range(1, a.rounds + 1):
            twin = tools.twin(model, a.images)
            pure = tools.suite(model, not a.plain, a.images)
            check_twins(model, pure, twin)
            torch_s.append(twin["train_seconds"])
            pure_s.append(pure["train_seconds"])
            ratios.append(pure_s[-1] / torch_s[-1])
            print(f"{model} round {r}: PyTorch {torch_s[-1]:.3f} s, purecnn {pure_s[-1]:.3f} s, "
                  f"ratio {ratios[-1]:.3f}", flush=True)
        gflop = pure["gflop"]
        t, p = statistics.median(torch_s), statistics.median(pure_s)
        rows.append(f"| {model} | {pure['images']} | {pure['batch']} | {t:.3f} | {p:.3f} | "
                    f"{', '.join(f'{x:.3f}' for x in ratios)} | {statistics.median(ratios):.3f} | "
                    f"{gflop / p:.1f} | {100 * gflop / p / peak:.1f}% | {gflop / t:.1f} | {100 * gflop / t / peak:.1f}% |")
    print(f"\n| model | images | batch | PyTorch s | purecnn s | ratio per round | median ratio "
          f"| purecnn GFLOP/s | of peak | PyTorch GFLOP/s | of peak |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    print("\n".join(rows))
    print(f"(seconds and GFLOP/s: medians of {a.rounds} rounds; peak {peak:.1f} GFLOP/s on {a.threads} threads)")


def short(a, tools):
    print(f"short runs: `train --train-limit {a.images} --epochs {a.epochs}`, whole JVM, {a.threads} threads"
          + (f", JVM options {a.jvm}" if a.jvm else ""))
    walls = {True: [], False: []}
    for r in range(1, a.rounds + 1):
        parts = []
        for vector in (True, False):
            wall, epochs = tools.train(vector, a.images, a.epochs)
            walls[vector].append(wall)
            parts.append(f"{'Vector API' if vector else 'plain Java'} {wall:.2f} s "
                         f"(epochs {', '.join(f'{e:.2f}' for e in epochs)} s)")
        print(f"round {r}: {'; '.join(parts)}; ratio {walls[True][-1] / walls[False][-1]:.3f}", flush=True)
    ratios = [v / p for v, p in zip(walls[True], walls[False])]
    print(f"median wall: Vector API {statistics.median(walls[True]):.2f} s, "
          f"plain Java {statistics.median(walls[False]):.2f} s; "
          f"median ratio Vector API / plain Java {statistics.median(ratios):.3f} ({a.rounds} rounds)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    sub = ap.add_subparsers(dest="what", required=True)
    for name, rounds in (("seed", 5), ("suite", 3), ("short", 5)):
        p = sub.add_parser(name)
        p.add_argument("--rounds", type=int, default=rounds)
        p.add_argument("--threads", type=int, default=2)
        p.add_argument("--data", default="mnist-data", help="the MNIST folder, relative to the clone's root")
        p.add_argument("--jvm", default="", help="more JVM options for purecnn, for example -XX:MaxVectorSize=32")
        p.add_argument("--python", default="/usr/bin/python3", help="the Python that has PyTorch")
        if name != "short":
            p.add_argument("--plain", action="store_true", help="measure purecnn's plain-Java path")
            p.add_argument("--peak", type=float, help="the machine's FMA peak in GFLOP/s, instead of measuring it")
            p.add_argument("--any-blas", action="store_true", help="compare even if PyTorch has no optimised BLAS")
    sub.choices["suite"].add_argument("--models", default="lenet,convnet,strided,cifar")
    sub.choices["suite"].add_argument("--images", type=int, help="images per epoch (default 12800, cifar 2560)")
    sub.choices["short"].add_argument("--images", type=int, default=2000)
    sub.choices["short"].add_argument("--epochs", type=int, default=2)
    a = ap.parse_args()
    if a.rounds < 1 or a.threads < 1:
        ap.error("--rounds and --threads must be at least 1")
    {"seed": seed, "suite": suite, "short": short}[a.what](a, Tools(a))


if __name__ == "__main__":
    main()
