package io.github.purecnn.io.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A small, strict JSON writer and reader for purecnn's own files: model manifests and metrics.
 *
 * <p>Values map to Java as follows, both ways: object {@code Map<String, Object>} (insertion
 * ordered), array {@code List<Object>}, string {@code String}, number {@code Long} when written
 * without fraction or exponent and {@code Double} otherwise, {@code Boolean}, and null. The
 * writer also takes {@code Integer}, {@code Short}, {@code Byte} and {@code Float}.
 *
 * <p>Floating-point numbers are written so that they read back bit for bit: a {@code double} as
 * {@link Double#toString}, a {@code float} as {@link Float#toString} unless reading that text
 * as a double and narrowing would give a different float, in which case as its exact double
 * value. JSON has no NaN or infinity, so writing them is an error rather than a silent null.
 *
 * <p>The reader follows RFC 8259 with no extensions: no comments, no trailing commas, no
 * leading zeros, no single quotes, no raw control characters in strings, no duplicate keys, no
 * unpaired surrogates, and nothing but whitespace after the value. Nesting deeper than
 * {@link #MAX_DEPTH} is refused on both sides, so neither can overflow the stack.
 */
public final class Json {
    /** The deepest nesting of objects and arrays read or written. */
    public static final int MAX_DEPTH = 512;

    private Json() {
    }

    /**
     * {@code value} as compact JSON text.
     *
     * @param value a tree of maps with string keys, lists, strings, numbers, booleans and nulls
     * @return the JSON text
     */
    public static String write(Object value) {
        return new Writer(false).write(value);
    }

    /**
     * {@code value} as JSON text indented by 2 spaces per level, one member or element per line.
     *
     * @param value a tree as {@link #write} takes
     * @return the JSON text
     */
    public static String writePretty(Object value) {
        return new Writer(true).write(value);
    }

    /**
     * Writes {@code value} pretty-printed, with a final newline, as UTF-8 to {@code path} through
     * {@link AtomicFiles}.
     *
     * @param path the file to write
     * @param value a tree as {@link #write} takes
     * @throws IOException if the file cannot be written; it is then unchanged
     */
    public static void writeFile(Path path, Object value) throws IOException {
        byte[] bytes = (writePretty(value) + "\n").getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(path, out -> out.write(bytes));
    }

    /**
     * Parses one JSON value: objects become ordered maps, arrays lists, integers {@code Long},
     * other numbers {@code Double}.
     *
     * @param text the JSON text
     * @return the value
     * @throws JsonFormatException if {@code text} is not exactly one valid JSON value
     */
    public static Object parse(String text) throws JsonFormatException {
        return new Parser(Objects.requireNonNull(text, "text"), "JSON").parse();
    }

    /**
     * Reads and parses the UTF-8 JSON file at {@code path}; messages name the file.
     *
     * @param path the file to read
     * @return the value, as {@link #parse} gives it
     * @throws JsonFormatException if the file is not valid UTF-8 or not exactly one JSON value
     * @throws java.nio.file.FileSystemException naming the file if it is not a regular file
     */
    public static Object readFile(Path path) throws IOException {
        byte[] bytes;
        try (InputStream in = RegularFiles.newInputStream(path)) {
            bytes = in.readAllBytes();
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new JsonFormatException(path + ": expected UTF-8 text, found invalid bytes", 1, 1);
        }
        return new Parser(text, path.toString()).parse();
    }

    /** Writes one value tree; keeps the path from the root so misuse can be reported precisely. */
    private static final class Writer {
        private final boolean pretty;
        private final StringBuilder out = new StringBuilder();
        /** Keys and indices from the root to the value being written, for messages. */
        private final List<Object> path = new ArrayList<>();
        private int depth;

        Writer(boolean pretty) {
            this.pretty = pretty;
        }

        String write(Object value) {
            value(value);
            return out.toString();
        }

        private void value(Object v) {
            if (v == null) {
                out.append("null");
            } else if (v instanceof String s) {
                string(s);
            } else if (v instanceof Boolean || v instanceof Long || v instanceof Integer
                    || v instanceof Short || v instanceof Byte) {
                out.append(v);
            } else if (v instanceof Double d) {
                finite(d);
                out.append(Double.toString(d));
            } else if (v instanceof Float f) {
                finite(f);
                out.append(floatText(f));
            } else if (v instanceof Map<?, ?> map) {
                object(map);
            } else if (v instanceof List<?> list) {
                array(list);
            } else {
                throw misuse("expected a Map, List, String, Boolean, integer, Float, Double or null, found a "
                        + v.getClass().getName());
            }
        }

        private void object(Map<?, ?> map) {
            enter();
            out.append('{');
            int i = 0;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw misuse("expected String keys, found " + (e.getKey() == null ? "null"
                            : "a " + e.getKey().getClass().getName() + " " + e.getKey()));
                }
                out.append(i++ > 0 ? "," : "");
                newline();
                string(key);
                out.append(pretty ? ": " : ":");
                path.add(key);
                value(e.getValue());
                path.remove(path.size() - 1);
            }
            leave(i > 0);
            out.append('}');
        }

        private void array(List<?> list) {
            enter();
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                out.append(i > 0 ? "," : "");
                newline();
                path.add(i);
                value(list.get(i));
                path.remove(path.size() - 1);
            }
            leave(!list.isEmpty());
            out.append(']');
        }

        private void enter() {
            if (depth >= MAX_DEPTH) {
                throw misuse("expected at most " + MAX_DEPTH + " levels of nesting (is a container inside itself?)");
            }
            depth++;
        }

        /** Closes a container: a pretty non-empty one gets its closing bracket on its own line. */
        private void leave(boolean hadItems) {
            depth--;
            if (hadItems) {
                newline();
            }
        }

        /** In pretty mode, a line break and the indentation of the current depth. */
        private void newline() {
            if (pretty) {
                out.append('\n').append("  ".repeat(depth));
            }
        }

        private void string(String s) {
            out.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    case '\b' -> out.append("\\b");
                    case '\f' -> out.append("\\f");
                    default -> {
                        if (c < 0x20) {
                            out.append(String.format("\\u%04x", (int) c));
                        } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                                && Character.isLowSurrogate(s.charAt(i + 1))) {
                            out.append(c).append(s.charAt(++i));
                        } else if (Character.isSurrogate(c)) {
                            // UTF-8 cannot encode half a character; the file would be unreadable.
                            throw misuse(String.format("expected well-formed UTF-16 text, found an unpaired"
                                    + " surrogate U+%04X at index %d of \"%s\"", (int) c, i, s));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            out.append('"');
        }

        private void finite(double d) {
            if (!Double.isFinite(d)) {
                throw misuse("expected a finite number (JSON has no NaN or infinity), found " + d);
            }
        }

        private IllegalArgumentException misuse(String problem) {
            StringBuilder where = new StringBuilder("$");
            for (Object p : path) {
                if (p instanceof String key) {
                    where.append('.').append(key);
                } else {
                    where.append('[').append(p).append(']');
                }
            }
            return new IllegalArgumentException("cannot write JSON at " + where + ": " + problem);
        }
    }

    /**
     * The shortest text {@link Float#toString} gives, unless the reader's route (parse as a
     * double, then narrow) would round it to a different float; then the float's exact double
     * value, which that route always maps back.
     */
    static String floatText(float f) {
        String s = Float.toString(f);
        return (float) Double.parseDouble(s) == f ? s : Double.toString(f);
    }

    /** Recursive descent over one JSON text; every error carries line and column. */
    private static final class Parser {
        private final String text;
        private final String source;
        private int pos;
        private int depth;

        Parser(String text, String source) {
            this.text = text;
            this.source = source;
        }

        Object parse() throws JsonFormatException {
            Object value = value();
            skipSpace();
            if (pos < text.length()) {
                throw error(pos, "expected the end of the text after the JSON value, found " + found());
            }
            return value;
        }

        private Object value() throws JsonFormatException {
            skipSpace();
            char c = pos < text.length() ? text.charAt(pos) : '\0';
            if (c == '{' || c == '[') {
                if (++depth > MAX_DEPTH) {
                    throw error(pos, "expected at most " + MAX_DEPTH + " levels of nesting, found more");
                }
                Object v = c == '{' ? object() : array();
                depth--;
                return v;
            }
            if (c == '"') {
                return string();
            }
            if (c == '-' || (c >= '0' && c <= '9')) {
                return number();
            }
            if (text.startsWith("true", pos)) {
                pos += 4;
                return Boolean.TRUE;
            }
            if (text.startsWith("false", pos)) {
                pos += 5;
                return Boolean.FALSE;
            }
            if (text.startsWith("null", pos)) {
                pos += 4;
                return null;
            }
            throw error(pos, "expected a JSON value, found " + found());
        }

        private Map<String, Object> object() throws JsonFormatException {
            pos++; // '{'
            Map<String, Object> map = new LinkedHashMap<>();
            skipSpace();
            if (peek() == '}') {
                pos++;
                return map;
            }
            while (true) {
                skipSpace();
                int keyAt = pos;
                if (peek() != '"') {
                    throw error(pos, "expected a string key in double quotes, found " + found());
                }
                String key = string();
                skipSpace();
                if (peek() != ':') {
                    throw error(pos, "expected ':' after the key \"" + key + "\", found " + found());
                }
                pos++;
                Object v = value();
                if (map.containsKey(key)) {
                    throw error(keyAt, "expected each key once in an object, found \"" + key + "\" again");
                }
                map.put(key, v);
                skipSpace();
                char c = peek();
                pos++;
                if (c == '}') {
                    return map;
                }
                if (c != ',') {
                    pos--;
                    throw error(pos, "expected ',' or '}' after an object member, found " + found());
                }
            }
        }

        private List<Object> array() throws JsonFormatException {
            pos++; // '['
            List<Object> list = new ArrayList<>();
            skipSpace();
            if (peek() == ']') {
                pos++;
                return list;
            }
            while (true) {
                list.add(value());
                skipSpace();
                char c = peek();
                pos++;
                if (c == ']') {
                    return list;
                }
                if (c != ',') {
                    pos--;
                    throw error(pos, "expected ',' or ']' after an array element, found " + found());
                }
            }
        }

        private String string() throws JsonFormatException {
            int start = pos++; // '"'
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (pos >= text.length()) {
                    throw error(start, "expected a closing '\"' for the string that starts here, found the end of the text");
                }
                int charAt = pos;
                char c = text.charAt(pos);
                if (c == '"') {
                    pos++;
                    return sb.toString();
                }
                if (c == '\\') {
                    c = escape();
                } else if (c < 0x20) {
                    throw error(pos, String.format("expected control characters in strings to be escaped, found"
                            + " U+%04X", (int) c));
                } else {
                    pos++;
                }
                if (Character.isHighSurrogate(c)) {
                    sb.append(c);
                    c = lowSurrogate();
                } else if (Character.isLowSurrogate(c)) {
                    throw error(charAt, String.format("expected a high surrogate before the low surrogate"
                            + " U+%04X, found none", (int) c));
                }
                sb.append(c);
            }
        }

        /** The low half that must follow a high surrogate, in the same form (escaped or raw). */
        private char lowSurrogate() throws JsonFormatException {
            int at = pos;
            boolean escaped = text.startsWith("\\u", pos);
            char c = escaped ? escape() : pos < text.length() ? text.charAt(pos++) : '\0';
            if (!Character.isLowSurrogate(c)) {
                throw error(at, "expected a low surrogate to complete the character after a high surrogate,"
                        + " found " + (c == '\0' && at >= text.length() ? "the end of the text"
                        : String.format("U+%04X", (int) c)));
            }
            return c;
        }

        /** Decodes the escape at {@code pos} (a backslash) and moves past it. */
        private char escape() throws JsonFormatException {
            int at = pos++;
            char e = peek();
            pos++;
            switch (e) {
                case '"', '\\', '/' -> {
                    return e;
                }
                case 'b' -> {
                    return '\b';
                }
                case 'f' -> {
                    return '\f';
                }
                case 'n' -> {
                    return '\n';
                }
                case 'r' -> {
                    return '\r';
                }
                case 't' -> {
                    return '\t';
                }
                case 'u' -> {
                    int value = 0;
                    for (int i = 0; i < 4; i++) {
                        int digit = pos < text.length() ? Character.digit(text.charAt(pos), 16) : -1;
                        if (digit < 0) {
                            throw error(pos, "expected 4 hex digits after \\u, found " + found());
                        }
                        value = value * 16 + digit;
                        pos++;
                    }
                    return (char) value;
                }
                default -> {
                    pos = at;
                    throw error(at, "expected an escape \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX, found "
                            + (at + 1 < text.length() ? "\\" + text.charAt(at + 1) : "a '\\' at the end of the text"));
                }
            }
        }

        private Object number() throws JsonFormatException {
            int start = pos;
            if (peek() == '-') {
                pos++;
            }
            if (peek() == '0') {
                pos++;
                if (isDigit(peek())) {
                    throw error(start, "expected no leading zeros in a number, found " + found());
                }
            } else if (!digits()) {
                throw error(pos, "expected a digit, found " + found());
            }
            boolean integral = true;
            if (peek() == '.') {
                pos++;
                integral = false;
                if (!digits()) {
                    throw error(pos, "expected a digit after the decimal point, found " + found());
                }
            }
            if (peek() == 'e' || peek() == 'E') {
                pos++;
                integral = false;
                if (peek() == '+' || peek() == '-') {
                    pos++;
                }
                if (!digits()) {
                    throw error(pos, "expected a digit in the exponent, found " + found());
                }
            }
            String literal = text.substring(start, pos);
            if (integral) {
                try {
                    return Long.parseLong(literal);
                } catch (NumberFormatException e) {
                    throw error(start, "expected an integer within the 64-bit range, found " + literal);
                }
            }
            double d = Double.parseDouble(literal);
            if (Double.isInfinite(d)) {
                throw error(start, "expected a number within the double range, found " + literal);
            }
            return d;
        }

        /** Skips a run of digits; false if there was none. */
        private boolean digits() {
            int from = pos;
            while (isDigit(peek())) {
                pos++;
            }
            return pos > from;
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        private char peek() {
            return pos < text.length() ? text.charAt(pos) : '\0';
        }

        private void skipSpace() {
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                    return;
                }
                pos++;
            }
        }

        /** The character at {@code pos}, quoted, for messages. */
        private String found() {
            if (pos >= text.length()) {
                return "the end of the text";
            }
            char c = text.charAt(pos);
            return c < 0x20 || c == 0x7F ? String.format("U+%04X", (int) c) : "'" + c + "'";
        }

        private JsonFormatException error(int at, String problem) {
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < at && i < text.length(); i++) {
                if (text.charAt(i) == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            int column = at - lineStart + 1;
            return new JsonFormatException(source + ": line " + line + ", column " + column + ": " + problem,
                    line, column);
        }
    }
}
