package io.github.purecnn.cli;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.data.Mnist;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small MNIST-format folder for the tests, cut from the bundled MNIST: the first images of each
 * set, written uncompressed, so that a command runs on it in a fraction of the time the full test
 * set takes to evaluate.
 */
final class SmallMnist {
    private SmallMnist() {
    }

    static void write(Path dir, int trainImages, int testImages) throws IOException {
        Mnist.TrainTest all = Mnist.load(Path.of("mnist-data"));
        write(dir, "train", all.train().subset(0, trainImages));
        write(dir, "t10k", all.test().subset(0, testImages));
    }

    private static void write(Path dir, String prefix, Dataset d) throws IOException {
        int h = d.sampleShape().dim(0);
        int w = d.sampleShape().dim(1);
        ByteArrayOutputStream pixels = new ByteArrayOutputStream();
        ByteArrayOutputStream labels = new ByteArrayOutputStream();
        for (int i = 0; i < d.size(); i++) {
            for (float v : d.image(i)) {
                // The data set hands out byte / 255f; rounding gives the byte back exactly.
                pixels.write(Math.round(v * 255));
            }
            labels.write(d.label(i));
        }
        try (OutputStream out = Files.newOutputStream(dir.resolve(prefix + "-images-idx3-ubyte"))) {
            header(out, d.size(), h, w);
            pixels.writeTo(out);
        }
        try (OutputStream out = Files.newOutputStream(dir.resolve(prefix + "-labels-idx1-ubyte"))) {
            header(out, d.size());
            labels.writeTo(out);
        }
    }

    /** IDX: two zero bytes, type 0x08 (unsigned byte), the rank, then each size as a big-endian int. */
    private static void header(OutputStream out, int... dims) throws IOException {
        out.write(new byte[] {0, 0, 0x08, (byte) dims.length});
        for (int d : dims) {
            out.write(new byte[] {(byte) (d >>> 24), (byte) (d >>> 16), (byte) (d >>> 8), (byte) d});
        }
    }
}
