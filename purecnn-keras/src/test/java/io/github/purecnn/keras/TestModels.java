package io.github.purecnn.keras;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.io.internal.Json;
import io.github.purecnn.layers.Conv2D;
import io.github.purecnn.layers.Dense;
import io.github.purecnn.layers.Flatten;
import io.github.purecnn.losses.Loss;
import io.github.purecnn.model.FitOptions;
import io.github.purecnn.model.LeNet;
import io.github.purecnn.model.Metric;
import io.github.purecnn.model.Sequential;
import io.github.purecnn.optimizers.Adam;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Small models and data for the tests. */
final class TestModels {
    private TestModels() {
    }

    /** Random images in [0, 1) with random labels; enough for training to change the weights. */
    static Dataset randomImages(Shape sample, int count, int classes, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[count * sample.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextDouble();
        }
        int[] y = new int[count];
        for (int i = 0; i < count; i++) {
            y[i] = rng.nextInt(classes);
        }
        return Dataset.of(new Tensor(sample.withBatch(count), x), y, classes);
    }

    /**
     * A Keras 2 model file (architecture only) of Conv2D 'conv', a LayerNormalization 'norm',
     * which purecnn lacks, and Dense 'out': what purecnn cannot represent.
     */
    static Path unsupportedModelFile(Path dir) throws IOException {
        Sequential model = new Sequential(5, Shape.of(6, 6, 1), new Conv2D(2, 3).named("conv"),
                new Flatten().named("norm"), new Dense(3).named("out"));
        Map<String, Object> config = KerasModelConfig.of(model, KerasDialect.KERAS2);
        @SuppressWarnings("unchecked")
        Map<String, Object> norm = (Map<String, Object>) ((List<Object>) ((Map<String, Object>) config.get("config"))
                .get("layers")).get(2);
        norm.put("class_name", "LayerNormalization");
        Path file = dir.resolve("layer-normalization.h5");
        String json = Json.write(config);
        H5Writer.writeAtomically(file, root -> root.putAttribute("model_config", json));
        return file;
    }

    /** The seed LeNet, compiled as the tutorial compiles it and trained one short epoch. */
    static Sequential trainedLeNet() {
        Sequential model = LeNet.create(7).compile(new Adam(0.001), Loss.sparseCategoricalCrossentropy(),
                Metric.ACCURACY).threads(2);
        model.fit(randomImages(Shape.of(28, 28, 1), 96, 10, 3), new FitOptions().epochs(1).batchSize(32).verbose(0));
        return model;
    }
}
