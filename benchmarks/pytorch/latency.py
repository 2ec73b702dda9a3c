#!/usr/bin/env python3
"""PyTorch's single-image latency on the seed LeNet: the yardstick of PredictorBenchmark.

usage: latency.py [--threads T] [--seconds S]

Scores one 28x28x1 image per call (random, seed 7) with twins.py's lenet() in eval mode under
torch.inference_mode(), softmax included as purecnn's model has it, on torch.set_num_threads(T)
threads (default 1), for S seconds (default 10) after 2 seconds of warm-up; prints one JSON line:
threads, calls, mean_us, p50_us, p99_us, calls_per_second. PyTorch runs set up as twins.py sets
it up (the same environment, re-executed once).
"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import twins  # noqa: E402  (loads torch; the re-execution below restarts with twins.py's environment first)

if twins._tuned(os.environ) != dict(os.environ):
    os.execve(sys.executable, [sys.executable] + sys.argv, twins._tuned(os.environ))

import argparse  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(twins.RANDOM_SEED)
    model = torch.nn.Sequential(twins.lenet(), torch.nn.Softmax(dim=1)).eval()
    image = torch.rand(1, 1, 28, 28, generator=torch.Generator().manual_seed(twins.RANDOM_SEED))
    times = []
    with torch.inference_mode():
        end_warmup = time.perf_counter() + 2
        while time.perf_counter() < end_warmup:
            model(image)
        end = time.perf_counter() + args.seconds
        while True:
            start = time.perf_counter()
            model(image)
            stop = time.perf_counter()
            times.append(stop - start)
            if stop > end:
                break
    t = np.array(times) * 1e6
    print(json.dumps({"threads": args.threads, "calls": len(t), "mean_us": round(float(t.mean()), 1),
                      "p50_us": round(float(np.percentile(t, 50)), 1), "p99_us": round(float(np.percentile(t, 99)), 1),
                      "calls_per_second": round(len(t) / (t.sum() / 1e6))}))


if __name__ == "__main__":
    main()
