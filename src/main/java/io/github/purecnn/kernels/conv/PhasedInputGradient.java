package io.github.purecnn.kernels.conv;

import io.github.purecnn.kernels.Window2D;

import java.util.Arrays;

import static io.github.purecnn.kernels.conv.VectorGemm.VL;
import static io.github.purecnn.kernels.conv.VectorGemm.ZEROS;

/**
 * {@link VectorConv}'s input gradient: a transposed convolution over the output gradient. With
 * strides, the input cells fall into stride-height x stride-width {@link Phase phases}; the cells
 * of one phase take the same window cells (in canonical order), so each phase is one matrix
 * product, over all its cells of the shard, with its own packed slice of the kernel. Vectors run
 * across input channels (Cp: C rounded up to whole vectors).
 */
final class PhasedInputGradient {
    private final Window2D g;
    private final int K;
    private final int Cp;
    private final Phase[] phases;

    PhasedInputGradient(Window2D g, int K, int Cp, Phase[] phases) {
        this.g = g;
        this.K = K;
        this.Cp = Cp;
        this.phases = phases;
    }

    /** Where the last phase's packed weights end in the packed kernel. */
    int packedEnd() {
        Phase last = phases[phases.length - 1];
        return last.packedOffset() + last.packedSize(K, Cp);
    }

    /**
     * packed writes, for kernel rows (r, s, c) [row0, row1): their columns of every phase's
     * transposed cells (per window cell and filter k, the C weights of (cell, ., k), padded to Cp
     * with zeros where the rows hold a cell's last channel).
     */
    void pack(float[] packed, float[] kernel, int row0, int row1) {
        int C = g.channels();
        for (Phase p : phases) {
            for (int i = 0; i < p.cells().length; i++) {
                int cellRow = p.cells()[i] * C;
                int c0 = Math.max(row0 - cellRow, 0), c1 = Math.min(row1 - cellRow, C);
                if (c0 >= c1) {
                    continue;
                }
                int at = p.packedOffset() + i * K * Cp;
                Transpose.block(kernel, (cellRow + c0) * K, c1 - c0, K, packed, at + c0, Cp);
                if (c1 == C && Cp != C) {
                    for (int k = 0; k < K; k++) {
                        Arrays.fill(packed, at + k * Cp + C, at + (k + 1) * Cp, 0f);
                    }
                }
            }
        }
    }

    /**
     * dIn (n, H, W, C) writes. Per phase, blocks of the phase's cells of the whole shard (in order:
     * images, rows, columns) times vectors of channels; f holds the tile at {@code tile}, ix the
     * scratch ints with {@link VectorConv#tileRows} done.
     */
    void run(float[] dIn, float[] dOut, float[] packed, int n, float[] f, int tile, int[] ix) {
        int C = g.channels();
        int vectors = Cp / VL;
        for (Phase p : phases) {
            for (Phase.Cells cells : p.classes()) {
                int count = n * cells.perImage();
                if (count == 0) {
                    continue;
                }
                if (cells.aTerms().length == 0) {
                    // no window cell reaches these input cells: their gradient is zero
                    for (int j = 0; j < count; j++) {
                        int at = dInOffset(p, cells, j);
                        Arrays.fill(dIn, at, at + C, 0f);
                    }
                    continue;
                }
                for (int v = 0, group; v < vectors; v += group) {
                    group = VectorConv.group(v, vectors);
                    int width = Math.min(group * VL, C - v * VL);
                    for (int j0 = 0, height; j0 < count; j0 += height) {
                        height = VectorConv.height(group, count - j0);
                        int real = Math.min(height, count - j0);
                        for (int i = 0; i < height; i++) {
                            int j = j0 + Math.min(i, real - 1);
                            ix[VectorConv.ROWS + i] = gradientBase(p, cells, j);
                            ix[VectorConv.C_ROWS + i] = dInOffset(p, cells, j);
                        }
                        VectorConv.block(group, height, width == group * VL, width, real, dIn, v * VL, f, tile, ix, dOut,
                                cells.aTerms(), 0, cells.aTerms().length, packed, p.packedOffset() + v * VL, cells.bTerms(),
                                ZEROS, 0, Float.NEGATIVE_INFINITY);
                    }
                }
            }
        }
    }

    /** Where the class's cell j of the shard (images, rows, columns in order) has its base in the output gradient. */
    private int gradientBase(Phase p, Phase.Cells cells, int j) {
        int perImage = cells.perImage(), width = cells.colTo() - cells.colFrom();
        int b = j / perImage, rem = j % perImage;
        int yi = cells.rowFrom() + rem / width, xi = cells.colFrom() + rem % width;
        return ((b * g.outH() + p.baseRow() + yi) * g.outW() + p.baseCol() + xi) * K;
    }

    /** Where the class's cell j of the shard starts in dIn. */
    private int dInOffset(Phase p, Phase.Cells cells, int j) {
        int perImage = cells.perImage(), width = cells.colTo() - cells.colFrom();
        int b = j / perImage, rem = j % perImage;
        int iy = p.firstRow() + (cells.rowFrom() + rem / width) * g.strideH();
        int x = p.firstCol() + (cells.colFrom() + rem % width) * g.strideW();
        return ((b * g.inH() + iy) * g.inW() + x) * g.channels();
    }
}
