package com.example.digits;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.data.Mnist;
import io.github.purecnn.model.Sequential;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The installed library, used as a dependency: trains, saves, loads and serves from several threads. */
class DigitServiceTest {
    private static final Path MNIST = Path.of(System.getProperty("purecnn.repository"), "mnist-data");

    @Test
    void aTrainedServiceClassifiesTestDigitsFromSeveralThreads(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("digits.purecnn");
        Sequential model = DigitService.train(MNIST, 3000, file);
        DigitService service = DigitService.load(file);
        Dataset test = Mnist.load(MNIST).test().subset(0, 200);
        float[] predicted = model.predict(test).data();
        ExecutorService requests = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < test.size(); i++) {
                float[] image = test.image(i);
                answers.add(requests.submit(() -> service.classify(image)));
            }
            int right = 0;
            for (int i = 0; i < test.size(); i++) {
                int answer = answers.get(i).get();
                assertEquals(argmax(predicted, i), answer, "test image " + i);
                right += answer == test.label(i) ? 1 : 0;
            }
            assertTrue(right >= 150, "right: " + right + " of 200");
        } finally {
            requests.shutdown();
        }
    }

    private static int argmax(float[] rows, int row) {
        int best = 0;
        for (int k = 1; k < 10; k++) {
            if (rows[row * 10 + k] > rows[row * 10 + best]) {
                best = k;
            }
        }
        return best;
    }
}
