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

    // ---- Pooling ----

    @Override
    public void avgPoolForward(float[] out, float[] in, int n, Window2D g) {
        // Per output pixel: the first window cell's channels are copied, the others added, then the
        // whole pixel scaled; every loop runs over the C contiguous channels of one cell. The sums
        // are taken in the reference's order (the first cell added to 0 is exact): bit-identical.
        int H = g.inH(), W = g.inW(), C = g.channels(), OH = g.outH(), OW = g.outW();
        for (int b = 0; b < n; b++) {
            for (int oy = 0; oy < OH; oy++) {
                int y0 = Math.max(oy * g.strideH() - g.padTop(), 0);
                int y1 = Math.min(oy * g.strideH() - g.padTop() + g.kH(), H);
                for (int ox = 0; ox < OW; ox++) {
                    int x0 = Math.max(ox * g.strideW() - g.padLeft(), 0);
                    int x1 = Math.min(ox * g.strideW() - g.padLeft() + g.kW(), W);
                    float inv = 1f / ((y1 - y0) * (x1 - x0));
                    int outPixel = ((b * OH + oy) * OW + ox) * C;
                    int first = ((b * H + y0) * W + x0) * C;
                    System.arraycopy(in, first, out, outPixel, C);
                    for (int iy = y0; iy < y1; iy++) {
                        for (int ix = iy == y0 ? x0 + 1 : x0; ix < x1; ix++) {
                            int cell = ((b * H + iy) * W + ix) * C;
                            for (int c = 0; c < C; c++) {
                                out[outPixel + c] += in[cell + c];
                            }
                        }
                    }
                    for (int c = 0; c < C; c++) {
                        out[outPixel + c] *= inv;
                    }
                }
            }
        }
    }

    @Override
    public void avgPoolBackward(float[] dIn, float[] dOut, int n, Window2D g) {
        // Scatter form as the reference, with each pixel's scaled gradient computed once per cell row
        // of C channels; the zero fill covers cells no window reaches (and overlapping windows add).
        int H = g.inH(), W = g.inW(), C = g.channels(), OH = g.outH(), OW = g.outW();
        Arrays.fill(dIn, 0, n * H * W * C, 0f);
        for (int b = 0; b < n; b++) {
            for (int oy = 0; oy < OH; oy++) {
                int y0 = Math.max(oy * g.strideH() - g.padTop(), 0);
                int y1 = Math.min(oy * g.strideH() - g.padTop() + g.kH(), H);
                for (int ox = 0; ox < OW; ox++) {
                    int x0 = Math.max(ox * g.strideW() - g.padLeft(), 0);
                    int x1 = Math.min(ox * g.strideW() - g.padLeft() + g.kW(), W);
                    float inv = 1f / ((y1 - y0) * (x1 - x0));
                    int outPixel = ((b * OH + oy) * OW + ox) * C;
                    for (int iy = y0; iy < y1; iy++) {
                        int cellRow = ((b * H + iy) * W) * C;
                        for (int ix = x0; ix < x1; ix++) {
                            int cell = cellRow + ix * C;
                            for (int c = 0; c < C; c++) {
                                dIn[cell + c] += dOut[outPixel + c] * inv;
                            }
                        }
                    }
                }
            }
        }
    }
}
