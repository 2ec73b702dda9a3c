package io.github.purecnn.io;

import io.github.purecnn.io.NpyArray.DType;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The header of a {@code .npy} file: the dtype, byte order and shape of the array that follows.
 * It is written as a Python dict literal, {@code {'descr': '<f4', 'fortran_order': False,
 * 'shape': (3, 4), }}, which NumPy reads with a restricted literal evaluator; this class parses
 * the same small subset of Python (strings, True/False, integers, tuples, lists, one dict) and
 * formats it byte for byte as NumPy 1.24 does.
 */
final class NpyHeader {
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** NumPy aligns the start of the data to this many bytes so that files can be memory-mapped. */
    private static final int ALIGN = 64;
    /**
     * NumPy pads the header with room for the first dimension to grow to this many digits, so that
     * an appending writer can rewrite the header in place; copied so our files match NumPy's.
     */
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;

    final DType dtype;
    final ByteOrder order;
    final long[] shape;

    private NpyHeader(DType dtype, ByteOrder order, long[] shape) {
        this.dtype = dtype;
        this.order = order;
        this.shape = shape;
    }

    /** The shape in Python tuple notation, for messages. */
    String shapeTuple() {
        return Arrays.stream(shape).mapToObj(Long::toString)
                .collect(Collectors.joining(", ", "(", shape.length == 1 ? ",)" : ")"));
    }

    /**
     * The magic, version, length and padded dict of a file holding an array of this dtype and
     * shape, in version 1.0 unless the header is too long for its 2-byte length field.
     */
    static byte[] encode(DType dtype, ByteOrder order, int[] shape) {
        char orderChar = dtype.itemSize() == 1 ? '|' : order == ByteOrder.BIG_ENDIAN ? '>' : '<';
        StringBuilder dict = new StringBuilder()
                .append("{'descr': '").append(orderChar).append(dtype.code())
                .append("', 'fortran_order': False, 'shape': ").append(NpyArray.tuple(shape)).append(", }");
        if (shape.length > 0) {
            dict.append(" ".repeat(GROWTH_AXIS_MAX_DIGITS - Integer.toString(shape[0]).length()));
        }
        // The header is ASCII, so its length in chars is its length in bytes.
        int unpadded = dict.length() + 1; // the final newline
        // Version 1.0 stores the header length in 2 bytes, 2.0 in 4; NumPy picks 1.0 when it fits.
        int padding = ALIGN - (MAGIC.length + 4 + unpadded) % ALIGN;
        boolean v1 = unpadded + padding <= 0xFFFF;
        int prefix = MAGIC.length + 2 + (v1 ? 2 : 4);
        if (!v1) {
            padding = ALIGN - (prefix + unpadded) % ALIGN;
        }
        int headerLength = unpadded + padding;
        dict.append(" ".repeat(padding)).append('\n');

        byte[] out = new byte[prefix + headerLength];
        System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
        out[6] = (byte) (v1 ? 1 : 2);
        out[7] = 0;
        out[8] = (byte) headerLength;
        out[9] = (byte) (headerLength >>> 8);
        if (!v1) {
            out[10] = (byte) (headerLength >>> 16);
            out[11] = (byte) (headerLength >>> 24);
        }
        byte[] text = dict.toString().getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, out, prefix, text.length);
        return out;
    }

    /**
     * Parses the dict of a header. {@code source} names the file for messages. Dimensions come
     * back as longs, unchecked against any limit: the caller decides what size is acceptable.
     */
    static NpyHeader parse(String text, String source) throws NpyFormatException {
        Object parsed = new LiteralParser(text, source).parseHeader();
        if (!(parsed instanceof Map<?, ?> dict)) {
            throw new NpyFormatException(source + ": bad header: expected a dict {...}, found " + excerpt(text));
        }
        for (String key : List.of("descr", "fortran_order", "shape")) {
            if (!dict.containsKey(key)) {
                throw new NpyFormatException(source + ": bad header: expected the keys 'descr', 'fortran_order'"
                        + " and 'shape', the key '" + key + "' is missing in " + excerpt(text));
            }
        }
        if (dict.size() != 3) {
            List<Object> extra = new ArrayList<>(dict.keySet());
            extra.removeAll(List.of("descr", "fortran_order", "shape"));
            throw new NpyFormatException(source + ": bad header: expected only the keys 'descr', 'fortran_order'"
                    + " and 'shape', found also " + extra);
        }

        Object fortran = dict.get("fortran_order");
        if (!(fortran instanceof Boolean fortranOrder)) {
            throw new NpyFormatException(source + ": bad header: expected fortran_order True or False, found "
                    + fortran);
        }
        if (fortranOrder) {
            throw new NpyFormatException(source + ": Fortran-order (column-major) arrays are not supported:"
                    + " expected 'fortran_order': False, found True; save a C-order copy, e.g. np.ascontiguousarray(a)");
        }

        Object descr = dict.get("descr");
        if (!(descr instanceof String d)) {
            throw new NpyFormatException(source + ": unsupported dtype: expected a simple dtype string such as '<f4',"
                    + " found " + (descr instanceof List ? "a structured dtype " : "") + descr);
        }
        DType dtype = null;
        ByteOrder order = ByteOrder.LITTLE_ENDIAN;
        if (d.length() == 3) {
            for (DType t : DType.values()) {
                if (d.substring(1).equals(t.code())) {
                    dtype = t;
                }
            }
            char o = d.charAt(0);
            if (o == '>') {
                order = ByteOrder.BIG_ENDIAN;
            } else if (o != '<' && !(o == '|' && dtype != null && dtype.itemSize() == 1)) {
                dtype = null;
            }
        }
        if (dtype == null) {
            String why = d.endsWith("O") ? " (object arrays hold pickled Python objects, which are never loaded)" : "";
            throw new NpyFormatException(source + ": unsupported dtype '" + d + "'" + why + ": expected one of"
                    + " float32 '<f4'/'>f4', float64 '<f8'/'>f8', int32 '<i4'/'>i4', int64 '<i8'/'>i8', uint8 '|u1'");
        }

        Object shapeValue = dict.get("shape");
        if (!(shapeValue instanceof Tuple tuple)) {
            throw new NpyFormatException(source + ": bad header: expected the shape as a tuple of integers, found "
                    + shapeValue);
        }
        long[] shape = new long[tuple.items.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!(tuple.items.get(i) instanceof Long dim) || dim < 0) {
                throw new NpyFormatException(source + ": bad header: expected the shape as a tuple of integers >= 0,"
                        + " found " + tuple + " (dimension " + i + ")");
            }
            shape[i] = dim;
        }
        return new NpyHeader(dtype, order, shape);
    }

    /** The header for a message: stripped, and cut short if long. */
    private static String excerpt(String text) {
        String t = text.strip();
        return t.length() <= 200 ? t : t.substring(0, 200) + "...";
    }

    /** A Python tuple, kept apart from a list because NumPy requires the shape to be a tuple. */
    private record Tuple(List<Object> items) {
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("(");
            for (int i = 0; i < items.size(); i++) {
                sb.append(i > 0 ? ", " : "").append(items.get(i));
            }
            return sb.append(items.size() == 1 ? ",)" : ")").toString();
        }
    }

    /**
     * Recursive descent over the Python literal subset NumPy writes. Depth is bounded by the
     * header length limit the reader applies before parsing, and each level is one small frame.
     */
    private static final class LiteralParser {
        private static final int MAX_DEPTH = 32;
        private final String text;
        private final String source;
        private int pos;
        private int depth;

        LiteralParser(String text, String source) {
            this.text = text;
            this.source = source;
        }

        Object parseHeader() throws NpyFormatException {
            Object value = value();
            skipSpace();
            if (pos < text.length()) {
                throw error("expected only spaces and a newline after the dict");
            }
            return value;
        }

        private Object value() throws NpyFormatException {
            skipSpace();
            if (pos >= text.length()) {
                throw error("expected a value");
            }
            char c = text.charAt(pos);
            if (c == '{' || c == '(' || c == '[') {
                if (++depth > MAX_DEPTH) {
                    throw error("expected at most " + MAX_DEPTH + " levels of nesting");
                }
                Object v = c == '{' ? dict() : sequence(c == '(' ? ')' : ']');
                depth--;
                return v;
            }
            if (c == '\'' || c == '"') {
                return string(c);
            }
            if (c == '-' || c == '+' || (c >= '0' && c <= '9')) {
                return integer();
            }
            if (text.startsWith("True", pos)) {
                pos += 4;
                return Boolean.TRUE;
            }
            if (text.startsWith("False", pos)) {
                pos += 5;
                return Boolean.FALSE;
            }
            throw error("expected a string, integer, True, False, tuple, list or dict");
        }

        private Map<Object, Object> dict() throws NpyFormatException {
            pos++; // '{'
            Map<Object, Object> map = new LinkedHashMap<>();
            while (true) {
                skipSpace();
                if (peek() == '}') {
                    pos++;
                    return map;
                }
                int keyStart = pos;
                Object key = value();
                if (!(key instanceof String)) {
                    pos = keyStart;
                    throw error("expected a string key");
                }
                skipSpace();
                expect(':');
                Object v = value();
                if (map.put(key, v) != null) {
                    pos = keyStart;
                    throw error("expected each key once, found '" + key + "' again");
                }
                skipSpace();
                if (peek() == ',') {
                    pos++;
                } else if (peek() != '}') {
                    throw error("expected ',' or '}'");
                }
            }
        }

        /** A tuple or list; {@code (x)} without a comma is just x, as in Python. */
        private Object sequence(char close) throws NpyFormatException {
            pos++; // '(' or '['
            List<Object> items = new ArrayList<>();
            boolean comma = false;
            while (true) {
                skipSpace();
                if (peek() == close) {
                    pos++;
                    break;
                }
                items.add(value());
                skipSpace();
                if (peek() == ',') {
                    pos++;
                    comma = true;
                } else if (peek() != close) {
                    throw error("expected ',' or '" + close + "'");
                }
            }
            if (close == ']') {
                return items;
            }
            if (items.size() == 1 && !comma) {
                return items.get(0);
            }
            return new Tuple(items);
        }

        private String string(char quote) throws NpyFormatException {
            int start = ++pos;
            while (pos < text.length() && text.charAt(pos) != quote) {
                if (text.charAt(pos) == '\\' || text.charAt(pos) == '\n') {
                    throw error("expected a plain string without escapes or line breaks");
                }
                pos++;
            }
            if (pos >= text.length()) {
                pos = start - 1;
                throw error("expected the string to end with " + quote);
            }
            return text.substring(start, pos++);
        }

        private Long integer() throws NpyFormatException {
            int start = pos;
            if (text.charAt(pos) == '-' || text.charAt(pos) == '+') {
                pos++;
            }
            int digits = pos;
            while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
                pos++;
            }
            if (pos == digits) {
                pos = start;
                throw error("expected digits");
            }
            try {
                return Long.parseLong(text, start, pos, 10);
            } catch (NumberFormatException e) {
                pos = start;
                throw error("expected an integer that fits in 64 bits");
            }
        }

        private void expect(char c) throws NpyFormatException {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        private char peek() {
            return pos < text.length() ? text.charAt(pos) : '\0';
        }

        private void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        private NpyFormatException error(String expected) {
            String found = pos >= text.length() ? "the end of the header"
                    : "'" + text.substring(pos, Math.min(text.length(), pos + 20)).strip() + "'";
            return new NpyFormatException(source + ": bad header: " + expected + " at character " + pos
                    + ", found " + found + " in " + excerpt(text));
        }
    }
}
