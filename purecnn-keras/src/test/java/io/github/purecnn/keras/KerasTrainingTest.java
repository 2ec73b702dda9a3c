package io.github.purecnn.keras;

import io.github.purecnn.io.internal.Json;
import io.github.purecnn.layers.Dense;
import io.github.purecnn.layers.Flatten;
import io.github.purecnn.model.Sequential;
import io.github.purecnn.optimizers.Adam;
import io.github.purecnn.optimizers.SGD;
import io.github.purecnn.tensor.Shape;
import io.jhdf.HdfFile;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Compile settings in Keras 2's and Keras 3's spellings, and those purecnn cannot reproduce. */
class KerasTrainingTest {
    private static Sequential model() {
        return new Sequential(1, Shape.of(4, 4, 1), new Flatten(), new Dense(3));
    }

    @Test
    void keras21sTrainingConfigWithLrAndDecayCompiles() throws IOException {
        String text;
        try (HdfFile real = new HdfFile(Resources.file("conv2d_tensorflow_2.h5"))) {
            text = (String) real.getAttribute("training_config").getData();
        }
        assertTrue(text.contains("\"lr\": 0.0010000000474974513"), text);
        Sequential m = model();
        KerasTraining.compile(m, Json.parse(text), KerasDialect.KERAS2, "conv2d_tensorflow_2.h5");
        assertTrue(m.isCompiled());
        Adam adam = (Adam) m.optimizer();
        assertEquals(0.001f, adam.learningRate());
        assertEquals(1e-7, (double) adam.config().get("epsilon"), 1e-12);
        assertEquals("mean_squared_error", m.loss().kerasName());
        assertTrue(m.metrics().isEmpty(), "metrics: null");
    }

    @Test
    void keras3sStringsAndObjectsCompile() throws IOException {
        Sequential m = model();
        KerasTraining.compile(m, Json.parse("{\"optimizer\": \"sgd\", \"loss\": {\"module\": \"keras.losses\","
                + " \"class_name\": \"SparseCategoricalCrossentropy\", \"config\": {\"from_logits\": true}},"
                + " \"metrics\": [{\"class_name\": \"SparseCategoricalAccuracy\", \"config\": {\"name\": \"acc\"}}]}"),
                KerasDialect.KERAS3, "f.keras");
        assertEquals(0.01f, ((Number) ((SGD) m.optimizer()).config().get("learning_rate")).floatValue());
        assertTrue(m.loss().fromLogits());
        assertEquals(1, m.metrics().size());
    }

    @Test
    void settingsPurecnnCannotReproduceLeaveTheModelUncompiled() throws IOException {
        for (String optimizer : new String[] {
                // tf.keras's older optimizers that compute otherwise than Keras 3's
                "{\"class_name\": \"RMSprop\", \"config\": {\"learning_rate\": 0.001, \"rho\": 0.9}}",
                "{\"class_name\": \"Nadam\", \"config\": {\"learning_rate\": 0.002, \"decay\": 0.004}}",
                "{\"class_name\": \"Adagrad\", \"config\": {\"learning_rate\": 0.01}}",
                // what purecnn has not
                "{\"class_name\": \"Ftrl\", \"config\": {\"learning_rate\": 0.001}}",
                "{\"class_name\": \"Adam\", \"config\": {\"learning_rate\": 0.001, \"use_ema\": true}}",
                "{\"class_name\": \"Adam\", \"config\": {\"learning_rate\": {\"class_name\": \"ExponentialDecay\"}}}",
                "{\"class_name\": \"Adam\", \"config\": {\"learning_rate\": {\"class_name\": \"ExponentialDecay\","
                        + " \"config\": {\"initial_learning_rate\": 0.1, \"decay_steps\": 10, \"decay_rate\": 0.9}},"
                        + " \"decay\": 0.01}}",
                "{\"class_name\": \"Adam\", \"config\": {\"learning_rate\": 0.001, \"clipnorm\": 1.0,"
                        + " \"clipvalue\": 0.5}}"}) {
            Sequential m = model();
            KerasTraining.compile(m, Json.parse("{\"optimizer_config\": " + optimizer + ", \"loss\": \"mse\"}"),
                    KerasDialect.KERAS2, "f.h5");
            assertFalse(m.isCompiled(), optimizer);
        }
        for (String loss : new String[] {
                "{\"class_name\": \"CategoricalCrossentropy\", \"config\": {\"label_smoothing\": 0.1}}",
                "{\"class_name\": \"SparseCategoricalCrossentropy\", \"config\": {\"ignore_class\": 0}}",
                "{\"class_name\": \"MeanSquaredError\", \"config\": {\"reduction\": \"sum\"}}",
                "{\"class_name\": \"KLDivergence\", \"config\": {}}", "\"poisson\""}) {
            Sequential m = model();
            KerasTraining.compile(m, Json.parse("{\"optimizer\": \"adam\", \"loss\": " + loss + "}"),
                    KerasDialect.KERAS3, "f.keras");
            assertFalse(m.isCompiled(), loss);
        }
    }

    /** What the core's optimizers hold beyond Adam's and SGD's basics is written as it is, not as Keras's defaults. */
    @Test
    void writtenSettingsKeepWeightDecayClippingAndAmsgrad() {
        Sequential m = model();
        m.compile(new io.github.purecnn.optimizers.AdamW(0.002, 0.05).clipnorm(1.5), io.github.purecnn.losses.Loss.meanSquaredError());
        for (KerasDialect dialect : KerasDialect.values()) {
            java.util.Map<?, ?> optimizer = (java.util.Map<?, ?>) KerasTraining.settings(m, dialect)
                    .get(dialect == KerasDialect.KERAS3 ? "optimizer" : "optimizer_config");
            java.util.Map<?, ?> config = (java.util.Map<?, ?>) optimizer.get("config");
            assertEquals("AdamW", optimizer.get("class_name"));
            assertEquals(0.05, config.get("weight_decay"));
            assertEquals(1.5, config.get("clipnorm"));
            assertEquals(false, config.get("amsgrad"));
        }
    }
}
