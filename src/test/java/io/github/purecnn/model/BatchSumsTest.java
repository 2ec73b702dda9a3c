package io.github.purecnn.model;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.kernels.ReferenceKernels;
import io.github.purecnn.layers.Activation;
import io.github.purecnn.layers.BatchCentering;
import io.github.purecnn.layers.Dense;
import io.github.purecnn.layers.Flatten;
import io.github.purecnn.losses.Loss;
import io.github.purecnn.optimizers.SGD;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The engine's batch sums (what batch normalisation stands on), with a layer that subtracts the
 * batch mean of each feature in training: its forward needs the sum of the whole batch's inputs,
 * its backward the sum of the whole batch's output gradients. Over several shards the result must
 * be that of the whole batch at once, and the same bits with any number of threads.
 */
class BatchSumsTest {

    private static Sequential model(int seed) {
        // images of 2x3x1 (a data set holds images), flattened to 6 features
        return new Sequential(seed, Shape.of(2, 3, 1), new Flatten(),
                new Dense(5).activation(Activation.TANH), new BatchCentering(), new Dense(4), new BatchCentering(),
                new Dense(3).activation(Activation.SOFTMAX));
    }

    private static Dataset data(int n) {
        SplittableRandom r = new SplittableRandom(9);
        float[] x = new float[n * 6];
        int[] y = new int[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble() * 2 - 1;
        }
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(3);
        }
        return Dataset.of(new Tensor(Shape.of(n, 2, 3, 1), x), y, 3);
    }

    private static History trainOneStep(Sequential m, Dataset d, int threads) {
        m.kernels(new ReferenceKernels()).threads(threads);
        m.compile(new SGD(0.1), Loss.sparseCategoricalCrossentropy());
        return m.fit(d, new FitOptions().epochs(1).batchSize(d.size()).shuffle(false).verbose(0));
    }

    @Test
    void anyThreadCountGivesTheSameBits() {
        Dataset d = data(40);                       // shards of 16, 16 and 8
        Sequential one = model(2);
        Sequential three = model(2);
        trainOneStep(one, d, 1);
        trainOneStep(three, d, 3);
        for (int i = 0; i < one.getWeights().size(); i++) {
            assertArrayEquals(one.getWeights().get(i).data(), three.getWeights().get(i).data(), "weights " + i);
        }
    }

    /**
     * The loss of the step, computed here in double over the whole batch of 40 at once: equal to
     * the engine's, which ran three shards; per-shard means would give another loss.
     */
    @Test
    void theShardsSeeTheWholeBatchsMeans() {
        Dataset d = data(40);
        Sequential m = model(2);
        List<Tensor> w = m.getWeights();
        double expected = wholeBatchLoss(d, w);
        double actual = trainOneStep(m, d, 2).get("loss")[0];
        assertEquals(expected, actual, 1e-6);
    }

    private static double wholeBatchLoss(Dataset d, List<Tensor> w) {
        int n = d.size();
        float[] x = new float[n * 6];
        d.copyImages(null, 0, n, x);
        double[][] h = dense(x, n, 6, w.get(0), w.get(1));
        for (double[] row : h) {
            for (int j = 0; j < row.length; j++) {
                row[j] = Math.tanh(row[j]);
            }
        }
        h = dense(flatCentred(h), n, 5, w.get(2), w.get(3));
        h = dense(flatCentred(h), n, 4, w.get(4), w.get(5));
        double loss = 0;
        int[] labels = d.labels();
        for (int b = 0; b < n; b++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (double v : h[b]) {
                max = Math.max(max, v);
            }
            for (double v : h[b]) {
                sum += Math.exp(v - max);
            }
            loss -= h[b][labels[b]] - max - Math.log(sum);
        }
        return loss / n;
    }

    /** The rows minus their column means over all rows, flattened. */
    private static float[] flatCentred(double[][] h) {
        int n = h.length, f = h[0].length;
        float[] out = new float[n * f];
        for (int j = 0; j < f; j++) {
            double mean = 0;
            for (double[] row : h) {
                mean += row[j];
            }
            mean /= n;
            for (int b = 0; b < n; b++) {
                out[b * f + j] = (float) (h[b][j] - mean);
            }
        }
        return out;
    }

    private static double[][] dense(float[] x, int n, int in, Tensor kernel, Tensor bias) {
        int out = bias.shape().dim(0);
        double[][] y = new double[n][out];
        for (int b = 0; b < n; b++) {
            for (int o = 0; o < out; o++) {
                double acc = bias.data()[o];
                for (int i = 0; i < in; i++) {
                    acc += (double) x[b * in + i] * kernel.data()[i * out + o];
                }
                y[b][o] = acc;
            }
        }
        return y;
    }
}
