package io.github.purecnn.kernels.conv;

import io.github.purecnn.kernels.Window2D;

import java.util.Arrays;

/**
 * The shard's input with the zero border its windows reach into (padding, and with 'same' strides
 * the extra bottom and right cells), NHWC: every window cell of every output then lies inside the
 * array, at a fixed offset from the output's first cell. Without padding the input is used as it is.
 */
final class BorderedInput {
    private final Window2D g;
    /** Height and width with the border. */
    final int Hp;
    final int Wp;
    private final boolean bordered;

    BorderedInput(Window2D g, int Hp, int Wp) {
        this.g = g;
        this.Hp = Hp;
        this.Wp = Wp;
        this.bordered = size(g, Hp, Wp) > 0;
    }

    /** Floats of scratch the bordered copy of n images takes. */
    int size(int n) {
        return (int) (n * size(g, Hp, Wp));
    }

    /** Floats of scratch the bordered copy of one image of g, Hp x Wp with the border, takes: 0 without a border. */
    static long size(Window2D g, int Hp, int Wp) {
        return Hp != g.inH() || Wp != g.inW() ? (long) Hp * Wp * g.channels() : 0;
    }

    /** in (n, H, W, C), or its copy into scratch (n, Hp, Wp, C) with zeros around, whichever has the border. */
    float[] of(float[] in, int n, float[] scratch) {
        if (!bordered) {
            return in;
        }
        int H = g.inH(), W = g.inW(), C = g.channels();
        Arrays.fill(scratch, 0, size(n), 0f);
        for (int b = 0; b < n; b++) {
            for (int iy = 0; iy < H; iy++) {
                System.arraycopy(in, (b * H + iy) * W * C, scratch, ((b * Hp + iy + g.padTop()) * Wp + g.padLeft()) * C, W * C);
            }
        }
        return scratch;
    }

    /** Where tap t = (r, s, c) of an output lies from the output's first cell in the bordered input. */
    int tapOffset(int r, int s, int c) {
        return (r * g.dilationH() * Wp + s * g.dilationW()) * g.channels() + c;
    }

    /** Where output (b, oy, ox)'s first cell lies in the bordered input. */
    int pixelBase(int b, int oy, int ox) {
        return ((b * Hp + oy * g.strideH()) * Wp + ox * g.strideW()) * g.channels();
    }
}
