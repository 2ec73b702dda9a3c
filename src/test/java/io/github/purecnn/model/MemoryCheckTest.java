package io.github.purecnn.model;

import io.github.purecnn.layers.Dense;
import io.github.purecnn.losses.Loss;
import io.github.purecnn.optimizers.Adam;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.tensor.Tensor;
import io.github.purecnn.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Sequential} refuses what would not fit in the heap before allocating it: Adam's state in
 * {@code compile}, a batch's buffers in {@code predict}. Run in a child JVM with a 64 MB heap, in
 * which a Dense layer of 4 million weights (32 MB with its gradients) is built, but its Adam state
 * (another 32 MB) and a batch of 256 images (16 shards with their own 16 MB gradients) are not.
 */
class MemoryCheckTest {
    @TempDir
    Path dir;

    @Test
    void compileAndPredictRefuseWhatDoesNotFitBeforeAllocatingIt() throws IOException, InterruptedException {
        ChildJvm.Result r = new ChildJvm().options("-Xmx64m", "-XX:TieredStopAtLevel=1")
                .run(dir, MemoryCheckTest.class.getName(), List.of());
        assertEquals(0, r.code(), r.describe());
        List<String> lines = r.out().lines().toList();
        assertEquals(2, lines.size(), r.describe());
        assertTrue(lines.get(0).startsWith("compile: model 'big' needs about "), lines.get(0));
        assertTrue(lines.get(0).contains("layer 'wide' (Dense, output (4000,), 4,004,000 parameters)"), lines.get(0));
        assertTrue(lines.get(1).startsWith("predict: model 'big' needs about "), lines.get(1));
        assertTrue(lines.get(1).contains("for batches of 256 images"), lines.get(1));
    }

    /** The child: builds the model, then tries each step and prints how it was refused. */
    public static void main(String[] args) {
        Sequential model = new Sequential(1, Shape.of(1000), new Dense(4000).named("wide")).named("big");
        try {
            model.compile(new Adam(), Loss.meanSquaredError());
            System.out.println("compile: accepted");
        } catch (IllegalStateException e) {
            System.out.println("compile: " + e.getMessage());
        }
        try {
            model.predict(new Tensor(Shape.of(256, 1000), new float[256 * 1000]));
            System.out.println("predict: accepted");
        } catch (IllegalStateException e) {
            System.out.println("predict: " + e.getMessage());
        }
    }
}
