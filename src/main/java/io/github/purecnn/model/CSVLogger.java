package io.github.purecnn.model;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Writes each epoch's log to a CSV file as it ends, as Keras's {@code CSVLogger}: a header
 * {@code epoch} and the logged names in sorted order ({@code accuracy,learning_rate,loss,val_accuracy,val_loss}),
 * then one row per epoch, flushed at once. As Keras, {@code epoch} counts from 0 (over the
 * model's whole training, so a resumed model goes on counting), values are written as Python
 * writes floats ({@code 0.5}, {@code 1e-05}, {@code nan}), and with {@code append} the rows go
 * after those already in the file, the header only into an empty or new file.
 * <pre>{@code new CSVLogger(Path.of("training.csv"))}</pre>
 */
public final class CSVLogger implements Callback {
    private final Path file;
    private String separator = ",";
    private boolean append;

    private Sequential model;
    private Writer out;
    private boolean headerNeeded;
    private List<String> keys;

    /**
     * A logger to {@code file}, which each fit replaces (see {@link #append}).
     *
     * @param file Keras's {@code filename}: the CSV file, created or truncated when the fit begins
     */
    public CSVLogger(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    /**
     * The field separator, {@code ","} by default.
     *
     * @param s Keras's {@code separator}, such as {@code ";"} or {@code "\t"}
     * @return this callback
     * @throws IllegalArgumentException if {@code s} is null or empty, or holds a quote or a line break
     */
    public CSVLogger separator(String s) {
        if (s == null || s.isEmpty() || s.contains("\n") || s.contains("\"")) {
            throw new IllegalArgumentException("a CSV separator must be non-empty without quotes or line breaks, found '"
                    + s + "'");
        }
        separator = s;
        return this;
    }

    /**
     * Whether to add to an existing file (for resumed training) instead of replacing it.
     *
     * @param on Keras's {@code append}: true to write after the rows already in the file (off by default)
     * @return this callback
     */
    public CSVLogger append(boolean on) {
        append = on;
        return this;
    }

    /** @throws UncheckedIOException naming the file when it cannot be opened */
    @Override
    public void onTrainBegin(Sequential m) {
        model = m;
        close();
        try {
            headerNeeded = !append || !Files.exists(file) || Files.size(file) == 0;
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("CSVLogger cannot write " + file + ": " + e.getMessage(), e);
        }
        keys = null;
    }

    /** @throws UncheckedIOException naming the file when a row cannot be written */
    @Override
    public void onEpochEnd(int epoch, EpochLog log) {
        if (keys == null) {
            keys = new ArrayList<>(log.names());
            keys.sort(null);
        }
        StringBuilder line = new StringBuilder();
        if (headerNeeded) {
            line.append("epoch");
            for (String k : keys) {
                line.append(separator).append(k);
            }
            line.append("\r\n");
            headerNeeded = false;
        }
        line.append(model.epochsTrained() - 1);
        for (String k : keys) {
            line.append(separator).append(log.has(k) ? python(log.get(k)) : "NA");
        }
        line.append("\r\n");
        try {
            out.write(line.toString());
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("CSVLogger cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void onTrainEnd(Sequential m, History history) {
        close();
    }

    private void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException("CSVLogger cannot close " + file + ": " + e.getMessage(), e);
            } finally {
                out = null;
            }
        }
    }

    /**
     * A double as Python's {@code repr} writes it, which is how Keras's CSV rows hold values:
     * the shortest digits that read back the same, positional for exponents from -4 to 15
     * ({@code 0.0001}, {@code 12.5}, {@code 3.0}), else scientific ({@code 1e-05}, {@code 2.5e+16}).
     */
    static String python(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return 1 / v < 0 ? "-0.0" : "0.0";
        }
        BigDecimal d = new BigDecimal(Double.toString(v)).stripTrailingZeros();
        String digits = d.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - d.scale();          // v = d.ddd x 10^exponent
        String sign = v < 0 ? "-" : "";
        if (exponent >= -4 && exponent < 16) {
            String plain = d.abs().toPlainString();
            return sign + (plain.contains(".") ? plain : plain + ".0");
        }
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format(Locale.ROOT, "%02d", Math.abs(exponent));
    }
}
