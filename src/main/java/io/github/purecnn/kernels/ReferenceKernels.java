package io.github.purecnn.kernels;

/**
 * The simplest correct implementation of every kernel: one output element at a time, with the
 * index arithmetic written out in full. It is the yardstick the optimised implementations are
 * tested against, and the implementation of the operations whose simple form is already as fast
 * as they need to be (pooling, activations, Adam).
 */
public class ReferenceKernels implements Kernels {

    @Override
    public String name() {
        return "reference";
    }

    // ---- Conv2D ----

    @Override
    public void conv2dForward(float[] out, float[] in, float[] kernel, float[] bias, int n, Window2D g, int filters) {
        int H = g.inH(), W = g.inW(), C = g.channels(), R = g.kH(), S = g.kW(), K = filters;
        for (int b = 0; b < n; b++) {
            for (int oy = 0; oy < g.outH(); oy++) {
                for (int ox = 0; ox < g.outW(); ox++) {
                    for (int k = 0; k < K; k++) {
                        float sum = bias == null ? 0f : bias[k];
                        for (int r = 0; r < R; r++) {
                            int iy = oy * g.strideH() - g.padTop() + r;
                            if (iy < 0 || iy >= H) {
                                continue;
                            }
                            for (int s = 0; s < S; s++) {
                                int ix = ox * g.strideW() - g.padLeft() + s;
                                if (ix < 0 || ix >= W) {
                                    continue;
                                }
                                for (int c = 0; c < C; c++) {
                                    sum += in[((b * H + iy) * W + ix) * C + c] * kernel[((r * S + s) * C + c) * K + k];
                                }
                            }
                        }
                        out[((b * g.outH() + oy) * g.outW() + ox) * K + k] = sum;
                    }
                }
            }
        }
    }

    @Override
    public void conv2dBackwardInput(float[] dIn, float[] dOut, float[] kernel, int n, Window2D g, int filters) {
        int H = g.inH(), W = g.inW(), C = g.channels(), R = g.kH(), S = g.kW(), K = filters;
        java.util.Arrays.fill(dIn, 0, n * H * W * C, 0f);
        for (int b = 0; b < n; b++) {
            for (int oy = 0; oy < g.outH(); oy++) {
                for (int ox = 0; ox < g.outW(); ox++) {
                    for (int k = 0; k < K; k++) {
                        float grad = dOut[((b * g.outH() + oy) * g.outW() + ox) * K + k];
                        for (int r = 0; r < R; r++) {
                            int iy = oy * g.strideH() - g.padTop() + r;
                            if (iy < 0 || iy >= H) {
                                continue;
                            }
                            for (int s = 0; s < S; s++) {
                                int ix = ox * g.strideW() - g.padLeft() + s;
                                if (ix < 0 || ix >= W) {
                                    continue;
                                }
                                for (int c = 0; c < C; c++) {
                                    dIn[((b * H + iy) * W + ix) * C + c] += grad * kernel[((r * S + s) * C + c) * K + k];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Override
    public void conv2dBackwardParams(float[] dKernel, float[] dBias, float[] dOut, float[] in, int n, Window2D g, int filters) {
        int H = g.inH(), W = g.inW(), C = g.channels(), R = g.kH(), S = g.kW(), K = filters;
        ParamGradients.clear(dKernel, R * S * C * K, dBias, K);
        for (int b = 0; b < n; b++) {
            for (int oy = 0; oy < g.outH(); oy++) {
                for (int ox = 0; ox < g.outW(); ox++) {
                    for (int k = 0; k < K; k++) {
                        float grad = dOut[((b * g.outH() + oy) * g.outW() + ox) * K + k];
                        if (dBias != null) {
                            dBias[k] += grad;
                        }
                        for (int r = 0; r < R; r++) {
                            int iy = oy * g.strideH() - g.padTop() + r;
                            if (iy < 0 || iy >= H) {
                                continue;
                            }
                            for (int s = 0; s < S; s++) {
                                int ix = ox * g.strideW() - g.padLeft() + s;
                                if (ix < 0 || ix >= W) {
                                    continue;
                                }
                                for (int c = 0; c < C; c++) {
                                    dKernel[((r * S + s) * C + c) * K + k] += grad * in[((b * H + iy) * W + ix) * C + c];
                                }
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
            for (int o = 0; o < outSize; o++) {
                float sum = bias == null ? 0f : bias[o];
                for (int i = 0; i < inSize; i++) {
                    sum += in[b * inSize + i] * kernel[i * outSize + o];
                }
                out[b * outSize + o] = sum;
            }
        }
    }

    @Override
    public void denseBackwardInput(float[] dIn, float[] dOut, float[] kernel, int n, int inSize, int outSize) {
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < inSize; i++) {
                float sum = 0f;
                for (int o = 0; o < outSize; o++) {
                    sum += dOut[b * outSize + o] * kernel[i * outSize + o];
                }
                dIn[b * inSize + i] = sum;
            }
        }
    }

    @Override
    public void denseBackwardParams(float[] dKernel, float[] dBias, float[] dOut, float[] in, int n, int inSize, int outSize) {
        ParamGradients.clear(dKernel, inSize * outSize, dBias, outSize);
        for (int b = 0; b < n; b++) {
            for (int o = 0; o < outSize; o++) {
                float grad = dOut[b * outSize + o];
                if (dBias != null) {
                    dBias[o] += grad;
                }
                for (int i = 0; i < inSize; i++) {
                    dKernel[i * outSize + o] += in[b * inSize + i] * grad;
                }
            }
        }
    }

    // ---- Pooling ----

    @Override
    public void avgPoolForward(float[] out, float[] in, int n, Window2D g) {
        int H = g.inH(), W = g.inW(), C = g.channels();
        for (int b = 0; b < n; b++) {
            for (int oy = 0; oy < g.outH(); oy++) {
                int y0 = Math.max(oy * g.strideH() - g.padTop(), 0);
                int y1 = Math.min(oy * g.strideH() - g.padTop() + g.kH(), H);
                for (int ox = 0; ox < g.outW(); ox++) {
                    int x0 = Math.max(ox * g.strideW() - g.padLeft(), 0);
                    int x1 = Math.min(ox * g.strideW() - g.padLeft() + g.kW(), W);
                    // Keras 'same' averages over the cells inside the input only, never the padding.
                    float inv = 1f / ((y1 - y0) * (x1 - x0));
                    int outBase = ((b * g.outH() + oy) * g.outW() + ox) * C;
                    for (int c = 0; c < C; c++) {
                        float sum = 0f;
                        for (int iy = y0; iy < y1; iy++) {
                            for (int ix = x0; ix < x1; ix++) {
                                sum += in[((b * H + iy) * W + ix) * C + c];
                            }
                        }
                        out[outBase + c] = sum * inv;
                    }
                }
            }
        }
    }

    @Override
    public void avgPoolBackward(float[] dIn, float[] dOut, int n, Window2D g) {
        int H = g.inH(), W = g.inW(), C = g.channels();
        java.util.Arrays.fill(dIn, 0, n * H * W * C, 0f);
        for (int b = 0; b < n; b++) {
            for (int oy = 0; oy < g.outH(); oy++) {
                int y0 = Math.max(oy * g.strideH() - g.padTop(), 0);
                int y1 = Math.min(oy * g.strideH() - g.padTop() + g.kH(), H);
                for (int ox = 0; ox < g.outW(); ox++) {
                    int x0 = Math.max(ox * g.strideW() - g.padLeft(), 0);
                    int x1 = Math.min(ox * g.strideW() - g.padLeft() + g.kW(), W);
                    float inv = 1f / ((y1 - y0) * (x1 - x0));
                    int outBase = ((b * g.outH() + oy) * g.outW() + ox) * C;
                    for (int iy = y0; iy < y1; iy++) {
                        for (int ix = x0; ix < x1; ix++) {
                            int inBase = ((b * H + iy) * W + ix) * C;
                            for (int c = 0; c < C; c++) {
                                dIn[inBase + c] += dOut[outBase + c] * inv;
                            }
                        }
                    }
                }
            }
        }
    }

    @Override
    public void maxPoolForward(float[] out, int[] argmax, float[] in, int n, Window2D g) {
        int H = g.inH(), W = g.inW(), C = g.channels();
        for (int b = 0; b < n; b++) {
            for (int oy = 0; oy < g.outH(); oy++) {
                int y0 = Math.max(oy * g.strideH() - g.padTop(), 0);
                int y1 = Math.min(oy * g.strideH() - g.padTop() + g.kH(), H);
                for (int ox = 0; ox < g.outW(); ox++) {
                    int x0 = Math.max(ox * g.strideW() - g.padLeft(), 0);
                    int x1 = Math.min(ox * g.strideW() - g.padLeft() + g.kW(), W);
                    int outBase = ((b * g.outH() + oy) * g.outW() + ox) * C;
                    for (int c = 0; c < C; c++) {
                        // Padding cells never win, as in Keras: the first cell inside the input starts the search.
                        int best = ((b * H + y0) * W + x0) * C + c;
                        for (int iy = y0; iy < y1; iy++) {
                            for (int ix = x0; ix < x1; ix++) {
                                int at = ((b * H + iy) * W + ix) * C + c;
                                if (in[at] > in[best]) {
                                    best = at;
                                }
                            }
                        }
                        out[outBase + c] = in[best];
                        argmax[outBase + c] = best;
                    }
                }
            }
        }
    }

    @Override
    public void maxPoolBackward(float[] dIn, int[] argmax, float[] dOut, int n, Window2D g) {
        java.util.Arrays.fill(dIn, 0, n * g.inSize(), 0f);
        int outLen = n * g.outPixels() * g.channels();
        for (int o = 0; o < outLen; o++) {
            dIn[argmax[o]] += dOut[o];
        }
    }

    // ---- Activations ----

    @Override
    public void reluForward(float[] x, int len) {
        for (int i = 0; i < len; i++) {
            x[i] = Math.max(x[i], 0f);
        }
    }

    @Override
    public void reluBackward(float[] dy, float[] y, int len) {
        for (int i = 0; i < len; i++) {
            dy[i] = y[i] > 0f ? dy[i] : 0f;
        }
    }

    @Override
    public void sigmoidForward(float[] x, int len) {
        for (int i = 0; i < len; i++) {
            x[i] = (float) (1.0 / (1.0 + Math.exp(-x[i])));
        }
    }

    @Override
    public void sigmoidBackward(float[] dy, float[] y, int len) {
        for (int i = 0; i < len; i++) {
            dy[i] *= y[i] * (1f - y[i]);
        }
    }

    @Override
    public void tanhForward(float[] x, int len) {
        for (int i = 0; i < len; i++) {
            x[i] = (float) Math.tanh(x[i]);
        }
    }

    @Override
    public void tanhBackward(float[] dy, float[] y, int len) {
        for (int i = 0; i < len; i++) {
            dy[i] *= 1f - y[i] * y[i];
        }
    }

    @Override
    public void softmaxForward(float[] x, int rows, int cols) {
        for (int row = 0; row < rows; row++) {
            int base = row * cols;
            float max = x[base];
            for (int j = 1; j < cols; j++) {
                max = Math.max(max, x[base + j]);
            }
            // Sum in double: the normalisation is the one place where float rounding would show in the loss.
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                float e = (float) Math.exp(x[base + j] - max);
                x[base + j] = e;
                sum += e;
            }
            float inv = (float) (1.0 / sum);
            for (int j = 0; j < cols; j++) {
                x[base + j] *= inv;
            }
        }
    }

    @Override
    public void softmaxBackward(float[] dy, float[] y, int rows, int cols) {
        for (int row = 0; row < rows; row++) {
            int base = row * cols;
            double dot = 0;
            for (int j = 0; j < cols; j++) {
                dot += dy[base + j] * y[base + j];
            }
            for (int j = 0; j < cols; j++) {
                dy[base + j] = y[base + j] * (float) (dy[base + j] - dot);
            }
        }
    }

    // ---- Optimizers ----

    @Override
    public void adamUpdate(float[] param, float[] m, float[] v, float[] grad, int from, int to,
                           float stepSize, float beta1, float beta2, float epsilon) {
        for (int i = from; i < to; i++) {
            float g = grad[i];
            m[i] = beta1 * m[i] + (1f - beta1) * g;
            v[i] = beta2 * v[i] + (1f - beta2) * g * g;
            param[i] -= stepSize * m[i] / ((float) Math.sqrt(v[i]) + epsilon);
        }
    }
}
