package io.github.purecnn.model;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Reads the test fixtures written as lines of {@code name dims... : values...}; '#' starts a comment line. */
final class TextArrays {
    private final Map<String, int[]> shapes = new HashMap<>();
    private final Map<String, double[]> values = new HashMap<>();

    static TextArrays load(String resource) throws IOException {
        TextArrays t = new TextArrays();
        try (InputStream in = TextArrays.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("test resource " + resource + " not found");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] halves = line.split(" : ", 2);
                String[] head = halves[0].trim().split(" ");
                int[] dims = new int[head.length - 1];
                for (int i = 1; i < head.length; i++) {
                    dims[i - 1] = Integer.parseInt(head[i]);
                }
                String[] v = halves[1].trim().split(" ");
                double[] d = new double[v.length];
                for (int i = 0; i < v.length; i++) {
                    d[i] = Double.parseDouble(v[i]);
                }
                t.shapes.put(head[0], dims);
                t.values.put(head[0], d);
            }
        }
        return t;
    }

    int[] shape(String name) {
        return shapes.get(name).clone();
    }

    double[] doubles(String name) {
        double[] v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no array '" + name + "' in fixture");
        }
        return v.clone();
    }

    float[] floats(String name) {
        double[] d = doubles(name);
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    int[] ints(String name) {
        double[] d = doubles(name);
        int[] v = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            v[i] = (int) d[i];
        }
        return v;
    }
}
