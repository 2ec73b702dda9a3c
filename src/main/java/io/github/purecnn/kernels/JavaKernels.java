package io.github.purecnn.kernels;

import java.util.Arrays;

/**
 * The portable default: plain Java loops arranged so that HotSpot's auto-vectoriser and the CPU's
 * caches do well. Convolution is an implicit GEMM over NHWC data: for one output pixel and one
 * window row r, the input cells (s, c) and the kernel rows (r, s, c) are both contiguous, so
 * every inner loop runs at unit stride with its bounds worked out before it starts (padding
 * clips the run instead of testing each cell). Operations whose reference form is already
 * efficient are inherited.
 */
public class JavaKernels extends ReferenceKernels {

    @Override
    public String name() {
        return "java";
    }

    // ---- Conv2D ----

    @Override
    public void conv2dForward(float[] out, float[] in, float[] kernel, float[] bias, int n, Window2D g, int filters) {
        int H = g.inH(), W = g.inW(), C = g.channels(), S = g.kW(), K = filters;
        for (int b = 0; b < n; b++) {
            for (int oy = 0; oy < g.outH(); oy++) {
                int iyTop = oy * g.strideH() - g.padTop();
                int r0 = Math.max(0, -iyTop), r1 = Math.min(g.kH(), H - iyTop);
                for (int ox = 0; ox < g.outW(); ox++) {
                    int ixLeft = ox * g.strideW() - g.padLeft();
                    int s0 = Math.max(0, -ixLeft), s1 = Math.min(S, W - ixLeft);
                    int runLength = (s1 - s0) * C;            // contiguous (s, c) cells of one window row
                    int outPixel = ((b * g.outH() + oy) * g.outW() + ox) * K;
                    if (bias == null) {
                        Arrays.fill(out, outPixel, outPixel + K, 0f);
                    } else {
                        System.arraycopy(bias, 0, out, outPixel, K);
                    }
                    for (int r = r0; r < r1; r++) {
                        int inRun = ((b * H + iyTop + r) * W + ixLeft + s0) * C;
                        int kernelRun = (r * S + s0) * C * K;
                        for (int j = 0; j < runLength; j++) {
                            float a = in[inRun + j];
                            int kernelRow = kernelRun + j * K;
                            for (int k = 0; k < K; k++) {
                                out[outPixel + k] += a * kernel[kernelRow + k];
                            }
                        }
                    }
                }
            }
        }
    }

    @Override
    public void conv2dBackwardInput(float[] dIn, float[] dOut, float[] kernel, int n, Window2D g, int filters) {
        int H = g.inH(), W = g.inW(), C = g.channels(), S = g.kW(), K = filters;
        Arrays.fill(dIn, 0, n * g.inSize(), 0f);
        for (int b = 0; b < n; b++) {
            for (int oy = 0; oy < g.outH(); oy++) {
                int iyTop = oy * g.strideH() - g.padTop();
                int r0 = Math.max(0, -iyTop), r1 = Math.min(g.kH(), H - iyTop);
                for (int ox = 0; ox < g.outW(); ox++) {
                    int ixLeft = ox * g.strideW() - g.padLeft();
                    int s0 = Math.max(0, -ixLeft), s1 = Math.min(S, W - ixLeft);
                    int runLength = (s1 - s0) * C;
                    int outPixel = ((b * g.outH() + oy) * g.outW() + ox) * K;
                    for (int r = r0; r < r1; r++) {
                        int inRun = ((b * H + iyTop + r) * W + ixLeft + s0) * C;
                        int kernelRun = (r * S + s0) * C * K;
                        for (int j = 0; j < runLength; j++) {
                            int kernelRow = kernelRun + j * K;
                            float sum = 0f;
                            for (int k = 0; k < K; k++) {
                                sum += dOut[outPixel + k] * kernel[kernelRow + k];
                            }
                            dIn[inRun + j] += sum;
                        }
                    }
                }
            }
        }
    }

    @Override
    public void conv2dBackwardParams(float[] dKernel, float[] dBias, float[] dOut, float[] in, int n, Window2D g, int filters) {
        int H = g.inH(), W = g.inW(), C = g.channels(), S = g.kW(), K = filters;
        for (int b = 0; b < n; b++) {
            for (int oy = 0; oy < g.outH(); oy++) {
                int iyTop = oy * g.strideH() - g.padTop();
                int r0 = Math.max(0, -iyTop), r1 = Math.min(g.kH(), H - iyTop);
                for (int ox = 0; ox < g.outW(); ox++) {
                    int ixLeft = ox * g.strideW() - g.padLeft();
                    int s0 = Math.max(0, -ixLeft), s1 = Math.min(S, W - ixLeft);
                    int runLength = (s1 - s0) * C;
                    int outPixel = ((b * g.outH() + oy) * g.outW() + ox) * K;
                    if (dBias != null) {
                        for (int k = 0; k < K; k++) {
                            dBias[k] += dOut[outPixel + k];
                        }
                    }
                    for (int r = r0; r < r1; r++) {
                        int inRun = ((b * H + iyTop + r) * W + ixLeft + s0) * C;
                        int kernelRun = (r * S + s0) * C * K;
                        for (int j = 0; j < runLength; j++) {
                            float a = in[inRun + j];
                            int kernelRow = kernelRun + j * K;
                            for (int k = 0; k < K; k++) {
                                dKernel[kernelRow + k] += a * dOut[outPixel + k];
                            }
                        }
                    }
                }
            }
        }
    }

    // ---- Dense ----

    @Override
    public void denseForward(float[] out, float[] in, float[] kernel, float[] bias, int n, int inSize, int outSize) {
        for (int b = 0; b < n; b++) {
            int outRow = b * outSize;
            int inRow = b * inSize;
            if (bias == null) {
                Arrays.fill(out, outRow, outRow + outSize, 0f);
            } else {
                System.arraycopy(bias, 0, out, outRow, outSize);
            }
            // Row b of out is a sum of kernel rows weighted by in[b, i]: unit-stride axpy, which HotSpot vectorises.
            for (int i = 0; i < inSize; i++) {
                float a = in[inRow + i];
                int kernelRow = i * outSize;
                for (int o = 0; o < outSize; o++) {
                    out[outRow + o] += a * kernel[kernelRow + o];
                }
            }
        }
    }

    @Override
    public void denseBackwardInput(float[] dIn, float[] dOut, float[] kernel, int n, int inSize, int outSize) {
        for (int b = 0; b < n; b++) {
            int outRow = b * outSize;
            int inRow = b * inSize;
            for (int i = 0; i < inSize; i++) {
                int kernelRow = i * outSize;
                float sum = 0f;
                for (int o = 0; o < outSize; o++) {
                    sum += dOut[outRow + o] * kernel[kernelRow + o];
                }
                dIn[inRow + i] = sum;
            }
        }
    }

    @Override
    public void denseBackwardParams(float[] dKernel, float[] dBias, float[] dOut, float[] in, int n, int inSize, int outSize) {
        for (int b = 0; b < n; b++) {
            int outRow = b * outSize;
            int inRow = b * inSize;
            if (dBias != null) {
                for (int o = 0; o < outSize; o++) {
                    dBias[o] += dOut[outRow + o];
                }
            }
            for (int i = 0; i < inSize; i++) {
                float a = in[inRow + i];
                int kernelRow = i * outSize;
                for (int o = 0; o < outSize; o++) {
                    dKernel[kernelRow + o] += a * dOut[outRow + o];
                }
            }
        }
    }
}
