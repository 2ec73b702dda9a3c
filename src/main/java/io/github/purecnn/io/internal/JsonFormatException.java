package io.github.purecnn.io.internal;

import java.io.IOException;

/**
 * Text that is not valid JSON. The message and {@link #line()} and {@link #column()} (both
 * counted from 1) point at the first character that breaks the grammar.
 */
public class JsonFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The line of the first character that breaks the grammar, from 1. */
    private final int line;
    /** Its column, from 1. */
    private final int column;

    /**
     * An error whose {@code message} already names the place.
     *
     * @param message what was expected and what was found, and where
     * @param line    the line, from 1
     * @param column  the column, from 1
     */
    public JsonFormatException(String message, int line, int column) {
        super(message);
        this.line = line;
        this.column = column;
    }

    /**
     * The line of the error.
     *
     * @return the line, from 1
     */
    public int line() {
        return line;
    }

    /**
     * The column of the error on its line.
     *
     * @return the column, from 1, in UTF-16 chars
     */
    public int column() {
        return column;
    }
}
