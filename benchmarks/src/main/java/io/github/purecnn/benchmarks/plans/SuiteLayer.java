package io.github.purecnn.benchmarks.plans;

import io.github.purecnn.kernels.Window2D;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The layers of the speed suite's models (see {@code ../shared/bench/torch_models.py}), as the
 * kernel plans see them: the exact geometry of each convolution, dense layer and pooling, and of
 * each first convolution with its ReLU and pooling (the planner's one-pass step). Names read
 * {@code model.layer}, for example {@code convnet.conv2} or {@code seed.conv1+pool1}.
 *
 * @param name     {@code model.layer}
 * @param kind     what runs
 * @param g        the convolution's (or dense layer's, or pooling's) geometry
 * @param filters  K, for convolutions and dense layers
 * @param pool     the pooling after the convolution, for {@link Kind#CONV_POOL}
 * @param max      max pooling (else average)
 * @param first    the model's first computing layer: nobody needs its input gradient
 */
public record SuiteLayer(String name, Kind kind, Window2D g, int filters, Window2D pool, boolean max, boolean first) {

    /** What a layer runs, and so which passes it has. */
    public enum Kind {
        /** A {@code ConvPlan}: forward, input gradient (unless first), kernel gradient. */
        CONV,
        /** A {@code ConvPoolPlan} (or, where the path has none, the conv and pooling plans apart): forward, kernel gradient. */
        CONV_POOL,
        /** A {@code PoolPlan}: forward, backward. */
        POOL
    }

    /** The passes a benchmark can time for this layer. */
    public List<String> passes() {
        return switch (kind) {
            case CONV -> first ? List.of("forward", "params") : List.of("forward", "input", "params");
            case CONV_POOL -> List.of("forward", "params");
            case POOL -> List.of("forward", "backward");
        };
    }

    /**
     * Multiply-adds of one image in one pass: every pass of a convolution does its forward's
     * {@code OH * OW * K * R * S * C}; pooling counts none.
     */
    public long multiplyAddsPerImage() {
        return kind == Kind.POOL ? 0 : (long) g.outPixels() * filters * g.taps();
    }

    /** Every layer of the suite. */
    public static List<SuiteLayer> all() {
        List<SuiteLayer> l = new ArrayList<>();
        // the seed LeNet, batch 64
        Window2D seedConv1 = Window2D.of(28, 28, 1, 3, 3, 1, 1, false);
        Window2D seedPool1 = Window2D.of(26, 26, 6, 2, 2, 2, 2, true);
        l.add(convPool("seed.conv1+pool1", seedConv1, 6, seedPool1, false));
        l.add(conv("seed.conv1", seedConv1, 6, true));
        l.add(pool("seed.pool1", seedPool1, false));
        l.add(conv("seed.conv2", Window2D.of(13, 13, 6, 3, 3, 1, 1, false), 16, false));
        l.add(pool("seed.pool2", Window2D.of(11, 11, 16, 2, 2, 2, 2, true), false));
        l.add(conv("seed.dense1", Window2D.dense(576), 120, false));
        l.add(conv("seed.dense2", Window2D.dense(120), 84, false));
        l.add(conv("seed.dense3", Window2D.dense(84), 10, false));
        // keras.io mnist_convnet, batch 128
        Window2D convnetConv1 = Window2D.of(28, 28, 1, 3, 3, 1, 1, false);
        Window2D convnetPool1 = Window2D.of(26, 26, 32, 2, 2, 2, 2, false);
        l.add(convPool("convnet.conv1+pool1", convnetConv1, 32, convnetPool1, true));
        l.add(conv("convnet.conv1", convnetConv1, 32, true));
        l.add(pool("convnet.pool1", convnetPool1, true));
        l.add(conv("convnet.conv2", Window2D.of(13, 13, 32, 3, 3, 1, 1, false), 64, false));
        l.add(pool("convnet.pool2", Window2D.of(11, 11, 64, 2, 2, 2, 2, false), true));
        l.add(conv("convnet.dense", Window2D.dense(1600), 10, false));
        // all-convolutional, strides 2, batch 64
        l.add(conv("strided.conv1", Window2D.of(28, 28, 1, 3, 3, 2, 2, true), 16, true));
        l.add(conv("strided.conv2", Window2D.of(14, 14, 16, 3, 3, 2, 2, true), 32, false));
        l.add(conv("strided.dense", Window2D.dense(1568), 10, false));
        // Keras cifar10_cnn, batch 32
        l.add(conv("cifar.conv1", Window2D.of(32, 32, 3, 3, 3, 1, 1, true), 32, true));
        l.add(conv("cifar.conv2", Window2D.of(32, 32, 32, 3, 3, 1, 1, false), 32, false));
        l.add(pool("cifar.pool1", Window2D.of(30, 30, 32, 2, 2, 2, 2, false), true));
        l.add(conv("cifar.conv3", Window2D.of(15, 15, 32, 3, 3, 1, 1, true), 64, false));
        l.add(conv("cifar.conv4", Window2D.of(15, 15, 64, 3, 3, 1, 1, false), 64, false));
        l.add(pool("cifar.pool2", Window2D.of(13, 13, 64, 2, 2, 2, 2, false), true));
        l.add(conv("cifar.dense1", Window2D.dense(2304), 512, false));
        l.add(conv("cifar.dense2", Window2D.dense(512), 10, false));
        return l;
    }

    /** The layer of this name. */
    public static SuiteLayer named(String name) {
        for (SuiteLayer s : all()) {
            if (s.name.equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no suite layer '" + name + "'; the layers: " + names());
    }

    private static String names() {
        StringBuilder s = new StringBuilder();
        for (SuiteLayer l : all()) {
            s.append(s.length() == 0 ? "" : ", ").append(l.name);
        }
        return s.toString();
    }

    private static SuiteLayer conv(String name, Window2D g, int filters, boolean first) {
        return new SuiteLayer(name, Kind.CONV, g, filters, null, false, first);
    }

    private static SuiteLayer convPool(String name, Window2D g, int filters, Window2D pool, boolean max) {
        return new SuiteLayer(name, Kind.CONV_POOL, g, filters, pool, max, true);
    }

    private static SuiteLayer pool(String name, Window2D g, boolean max) {
        return new SuiteLayer(name, Kind.POOL, g, 0, null, max, false);
    }

    @Override
    public String toString() {
        String what = switch (kind) {
            case CONV -> g.describe() + " x" + filters;
            case CONV_POOL -> g.describe() + " x" + filters + ", " + (max ? "max " : "average ") + pool.describe();
            case POOL -> (max ? "max " : "average ") + g.describe();
        };
        return String.format(Locale.ROOT, "%s (%s)", name, what);
    }
}
