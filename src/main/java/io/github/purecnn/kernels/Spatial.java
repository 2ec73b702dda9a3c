package io.github.purecnn.kernels;

import java.util.Arrays;

/**
 * Data movement over NHWC images, one implementation for every kernel path (copies and, for the
 * upsampling gradient, sums in a stated order): zero padding and cropping move a rectangle of
 * each image into or out of a larger frame; nearest-neighbour upsampling repeats each pixel.
 *
 * <p>Legend: n images; H, W, C the smaller image; FH, FW the frame (the larger one); top, left
 * where the smaller image lies in the frame.
 */
public final class Spatial {
    private Spatial() {
    }

    /**
     * frame (n, FH, FW, C) writes: zeros, with each image of in (n, H, W, C) at rows
     * {@code top ..} and columns {@code left ..} (zero padding forward, cropping backward).
     */
    public static void embed(float[] frame, float[] in, int n, int H, int W, int C, int FH, int FW, int top, int left) {
        Arrays.fill(frame, 0, n * FH * FW * C, 0f);
        for (int b = 0; b < n; b++) {
            for (int y = 0; y < H; y++) {
                System.arraycopy(in, (b * H + y) * W * C, frame, ((b * FH + y + top) * FW + left) * C, W * C);
            }
        }
    }

    /**
     * out (n, H, W, C) writes: the rectangle at rows {@code top ..}, columns {@code left ..} of
     * each image of frame (n, FH, FW, C) (cropping forward, zero padding backward).
     */
    public static void extract(float[] out, float[] frame, int n, int H, int W, int C, int FH, int FW, int top, int left) {
        for (int b = 0; b < n; b++) {
            for (int y = 0; y < H; y++) {
                System.arraycopy(frame, ((b * FH + y + top) * FW + left) * C, out, (b * H + y) * W * C, W * C);
            }
        }
    }

    /** out (n, H * sh, W * sw, C) writes: each pixel of in (n, H, W, C) repeated sh times down and sw across. */
    public static void upsampleNearest(float[] out, float[] in, int n, int H, int W, int C, int sh, int sw) {
        int OW = W * sw;
        for (int b = 0; b < n; b++) {
            for (int y = 0; y < H; y++) {
                int outRow = (b * H + y) * sh;
                for (int x = 0; x < W; x++) {
                    int i = ((b * H + y) * W + x) * C;
                    for (int j = 0; j < sw; j++) {
                        System.arraycopy(in, i, out, (outRow * OW + x * sw + j) * C, C);
                    }
                }
                for (int i = 1; i < sh; i++) {
                    System.arraycopy(out, outRow * OW * C, out, (outRow + i) * OW * C, OW * C);
                }
            }
        }
    }

    /**
     * dIn (n, H, W, C) writes: for each pixel, the sum of dOut (n, H * sh, W * sw, C) over the
     * cells that repeat it, from +0, rows first then columns, in float.
     */
    public static void upsampleNearestBackward(float[] dIn, float[] dOut, int n, int H, int W, int C, int sh, int sw) {
        int OW = W * sw;
        Arrays.fill(dIn, 0, n * H * W * C, 0f);
        for (int b = 0; b < n; b++) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    int i = ((b * H + y) * W + x) * C;
                    for (int u = 0; u < sh; u++) {
                        for (int v = 0; v < sw; v++) {
                            int o = (((b * H + y) * sh + u) * OW + x * sw + v) * C;
                            for (int c = 0; c < C; c++) {
                                dIn[i + c] += dOut[o + c];
                            }
                        }
                    }
                }
            }
        }
    }
}
