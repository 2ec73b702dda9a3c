package io.github.purecnn.testing;

import io.github.purecnn.tensor.Shape;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A reference fixture from {@code src/test/resources/fixtures} (format in that directory's
 * README): named arrays, each an {@code @name d0 d1 ...} line followed by its values.
 */
public final class Fixture {
    private final String resource;
    private final Map<String, Shape> shapes = new LinkedHashMap<>();
    private final Map<String, double[]> values = new LinkedHashMap<>();

    private Fixture(String resource) {
        this.resource = resource;
    }

    /** The fixture {@code src/test/resources/fixtures/NAME}. */
    public static Fixture load(String name) {
        String resource = "/fixtures/" + name;
        Fixture f = new Fixture(resource);
        try (InputStream stream = Fixture.class.getResourceAsStream(resource)) {
            if (stream == null) {
                throw new IllegalStateException("fixture " + resource + " is not on the test classpath");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
            String current = null;
            List<Double> numbers = new ArrayList<>();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                if (line.startsWith("@")) {
                    f.finish(current, numbers);
                    String[] head = line.substring(1).trim().split("\\s+");
                    current = head[0];
                    int[] dims = new int[head.length - 1];
                    for (int i = 0; i < dims.length; i++) {
                        dims[i] = Integer.parseInt(head[i + 1]);
                    }
                    f.shapes.put(current, Shape.of(dims));
                    numbers = new ArrayList<>();
                    continue;
                }
                for (String token : line.trim().split("\\s+")) {
                    numbers.add(Double.parseDouble(token));
                }
            }
            f.finish(current, numbers);
        } catch (IOException e) {
            throw new UncheckedIOException(resource, e);
        }
        return f;
    }

    private void finish(String name, List<Double> numbers) {
        if (name == null) {
            return;
        }
        if (numbers.size() != shapes.get(name).size()) {
            throw new IllegalStateException(resource + ": array '" + name + "' of shape " + shapes.get(name)
                    + " has " + numbers.size() + " values");
        }
        values.put(name, numbers.stream().mapToDouble(Double::doubleValue).toArray());
    }

    public Shape shape(String name) {
        Shape s = shapes.get(name);
        if (s == null) {
            throw new IllegalStateException(resource + " has no array '" + name + "', only " + shapes.keySet());
        }
        return s;
    }

    /** The values in float64, as the reference computed them. */
    public double[] doubles(String name) {
        shape(name);
        return values.get(name);
    }

    /** The values as float32: exact for inputs and parameters, which were float32 numbers to begin with. */
    public float[] floats(String name) {
        double[] d = doubles(name);
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    /**
     * Asserts that {@code actual} has the length of array {@code name} and every value within
     * {@code tolerance} of it, measured as {@code |actual - expected| / max(1, |expected|)}; returns
     * the worst error.
     */
    public double assertClose(String name, float[] actual, double tolerance) {
        double[] expected = doubles(name);
        org.junit.jupiter.api.Assertions.assertEquals(expected.length, actual.length, name + " length");
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            double error = Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i]));
            if (!(error <= tolerance)) {
                throw new AssertionError(resource + " " + name + "[" + i + "]: purecnn " + actual[i] + ", reference "
                        + expected[i] + " (error " + error + ", tolerance " + tolerance + ")");
            }
            worst = Math.max(worst, error);
        }
        return worst;
    }

    /** The values as ints, for labels. */
    public int[] ints(String name) {
        double[] d = doubles(name);
        int[] v = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            v[i] = (int) d[i];
        }
        return v;
    }
}
