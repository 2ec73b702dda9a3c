package io.github.purecnn.io.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonTest {
    @TempDir
    Path dir;

    private static Map<String, Object> metrics() {
        Map<String, Object> epoch = new LinkedHashMap<>();
        epoch.put("epoch", 1);
        epoch.put("seconds", 1.23);
        epoch.put("loss", 0.25f);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epochs", List.of(epoch));
        m.put("test_accuracy", 0.98);
        m.put("notes", Arrays.asList("a\"b", null, true, List.of(), Map.of()));
        return m;
    }

    @Test
    void writesCompactAndPrettyText() {
        assertEquals("{\"epochs\":[{\"epoch\":1,\"seconds\":1.23,\"loss\":0.25}],\"test_accuracy\":0.98,"
                + "\"notes\":[\"a\\\"b\",null,true,[],{}]}", Json.write(metrics()));
        assertEquals("""
                {
                  "epochs": [
                    {
                      "epoch": 1,
                      "seconds": 1.23,
                      "loss": 0.25
                    }
                  ],
                  "test_accuracy": 0.98,
                  "notes": [
                    "a\\"b",
                    null,
                    true,
                    [],
                    {}
                  ]
                }""", Json.writePretty(metrics()));
        assertEquals("-7", Json.write((short) -7));
        assertEquals("1.0E-5", Json.write(1e-5));
    }

    @Test
    void readsBackWhatItWritesWithLongsAndDoubles() throws IOException {
        Object back = Json.parse(Json.writePretty(metrics()));
        Map<String, Object> epoch = new LinkedHashMap<>();
        epoch.put("epoch", 1L);
        epoch.put("seconds", 1.23);
        epoch.put("loss", 0.25);
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("epochs", List.of(epoch));
        expected.put("test_accuracy", 0.98);
        expected.put("notes", Arrays.asList("a\"b", null, true, List.of(), Map.of()));
        assertEquals(expected, back);
        assertEquals(List.of("epochs", "test_accuracy", "notes"), List.copyOf(((Map<?, ?>) back).keySet()));
        assertEquals(List.of(Long.MIN_VALUE, Long.MAX_VALUE, 0L, -0.0, 12.5, 1e-7, 3.0),
                Json.parse("[-9223372036854775808, 9223372036854775807, -0, -0.0, 1.25e1, 1E-7, 3.0]"));
    }

    @Test
    void floatsAndDoublesReadBackBitForBit() throws IOException {
        Random r = new Random(3);
        List<Object> floats = new ArrayList<>();
        List<Object> doubles = new ArrayList<>();
        for (float f : new float[] {Float.MIN_VALUE, Float.MAX_VALUE, -0f, 0.1f, 1f / 3, 16777217f, 1e-40f}) {
            floats.add(f);
        }
        for (double d : new double[] {Double.MIN_VALUE, Double.MAX_VALUE, -0.0, 0.1, 1.0 / 3, 4.35, 1e-310}) {
            doubles.add(d);
        }
        while (floats.size() < 50_000) {
            float f = Float.intBitsToFloat(r.nextInt());
            if (Float.isFinite(f)) {
                floats.add(f);
            }
            double d = Double.longBitsToDouble(r.nextLong());
            if (Double.isFinite(d)) {
                doubles.add(d);
            }
        }
        List<?> floatsBack = (List<?>) Json.parse(Json.write(floats));
        for (int i = 0; i < floats.size(); i++) {
            assertEquals(Float.floatToRawIntBits((Float) floats.get(i)),
                    Float.floatToRawIntBits(((Double) floatsBack.get(i)).floatValue()));
        }
        List<?> doublesBack = (List<?>) Json.parse(Json.write(doubles));
        for (int i = 0; i < doubles.size(); i++) {
            assertEquals(Double.doubleToRawLongBits((Double) doubles.get(i)),
                    Double.doubleToRawLongBits((Double) doublesBack.get(i)));
        }
    }

    @Test
    void aFloatWhoseShortestTextWouldRoundTwiceIsWrittenExactly() throws IOException {
        // The one positive float (found by checking all 2^32) for which Float.toString's text,
        // read as a double and narrowed, rounds to a neighbour: 7.038531E-26 becomes 7.0385313E-26.
        float f = Float.intBitsToFloat(0x15ae43fd);
        assertEquals("7.038531E-26", Float.toString(f));
        assertEquals("7.038530691851209E-26", Json.write(f));
        assertEquals("[-7.038530691851209E-26]", Json.write(List.of(-f)));
        assertEquals(f, ((Double) Json.parse(Json.write(f))).floatValue());
    }

    @Test
    void stringsAreEscapedAndUnescaped() throws IOException {
        String s = "quote\" backslash\\ slash/ \b\f\n\r\t \u0001\u001f é 日本 \uD83D\uDE00";
        String json = Json.write(s);
        assertEquals("\"quote\\\" backslash\\\\ slash/ \\b\\f\\n\\r\\t \\u0001\\u001f é 日本 \uD83D\uDE00\"", json);
        assertEquals(s, Json.parse(json));
        assertEquals("é/\uD83D\uDE00\u0000", Json.parse("\"\\u00e9\\/\\uD83D\\ude00\\u0000\""));
    }

    @Test
    void writingRefusesWhatJsonCannotHold() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", Arrays.asList(1.0, Double.NaN));
        assertMisuse(m, "at $.a[1]: expected a finite number (JSON has no NaN or infinity), found NaN");
        assertMisuse(Map.of("x", Float.POSITIVE_INFINITY), "at $.x:", "found Infinity");
        assertMisuse(List.of(new Object()), "at $[0]: expected a Map, List, String", "java.lang.Object");
        assertMisuse(Map.of(1, 2), "expected String keys, found a java.lang.Integer 1");
        assertMisuse(List.of("ok", "bad \uD800 half"), "at $[1]:", "unpaired surrogate U+D800");
        List<Object> cycle = new ArrayList<>();
        cycle.add(cycle);
        assertMisuse(cycle, "expected at most 512 levels of nesting");
    }

    private static void assertMisuse(Object value, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.write(value));
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
        }
    }

    @Test
    void malformedTextIsRefusedWithLineAndColumn() {
        assertMalformed("{\"a\": 1}\n  x", 2, 3, "expected the end of the text after the JSON value, found 'x'");
        assertMalformed("[1, 2", 1, 6, "expected ',' or ']' after an array element, found the end of the text");
        assertMalformed("[1,]", 1, 4, "expected a JSON value, found ']'");
        assertMalformed("[1 2]", 1, 4, "expected ',' or ']'");
        assertMalformed("{\"a\" 1}", 1, 6, "expected ':' after the key \"a\"");
        assertMalformed("{'a': 1}", 1, 2, "expected a string key in double quotes, found '''");
        assertMalformed("{\"a\": 1,}", 1, 9, "expected a string key");
        assertMalformed("{\"a\": 1 \"b\": 2}", 1, 9, "expected ',' or '}' after an object member");
        assertMalformed("{\"a\": 1, \"a\": 2}", 1, 10, "expected each key once in an object, found \"a\" again");
        assertMalformed("[\n\"abc", 2, 1, "expected a closing '\"' for the string that starts here");
        assertMalformed("\"a\nb\"", 1, 3, "expected control characters in strings to be escaped, found U+000A");
        assertMalformed("\"\\q\"", 1, 2, "expected an escape", "found \\q");
        assertMalformed("\"\\u12G4\"", 1, 6, "expected 4 hex digits after \\u, found 'G'");
        assertMalformed("\"\\uD800\"", 1, 8, "expected a low surrogate", "found U+0022");
        assertMalformed("\"\\uDC00\"", 1, 2, "expected a high surrogate before the low surrogate U+DC00");
        assertMalformed("01", 1, 1, "expected no leading zeros");
        assertMalformed("1.", 1, 3, "expected a digit after the decimal point");
        assertMalformed("1e", 1, 3, "expected a digit in the exponent");
        assertMalformed("-", 1, 2, "expected a digit, found the end of the text");
        assertMalformed("18446744073709551616", 1, 1, "expected an integer within the 64-bit range");
        assertMalformed("1e400", 1, 1, "expected a number within the double range");
        assertMalformed("", 1, 1, "expected a JSON value, found the end of the text");
        assertMalformed("tru", 1, 1, "expected a JSON value, found 't'");
        assertMalformed("NaN", 1, 1, "expected a JSON value, found 'N'");
        assertMalformed("[1] // comment", 1, 5, "expected the end of the text");
        assertMalformed("\uFEFF{}", 1, 1, "expected a JSON value");
        assertMalformed("[".repeat(100_000), 1, 513, "expected at most 512 levels of nesting");
    }

    private static void assertMalformed(String text, int line, int column, String... fragments) {
        JsonFormatException e = assertThrows(JsonFormatException.class, () -> Json.parse(text));
        assertTrue(e.getMessage().startsWith("JSON: line " + line + ", column " + column + ": "), e.getMessage());
        assertEquals(line, e.line());
        assertEquals(column, e.column());
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
        }
    }

    @Test
    void deepButAllowedNestingParses() throws IOException {
        String text = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        Object v = Json.parse(text);
        for (int i = 1; i < Json.MAX_DEPTH; i++) {
            v = ((List<?>) v).get(0);
        }
        assertEquals(List.of(), v);
        assertEquals(text, Json.write(Json.parse(text)));
        assertNull(Json.parse(" \t\r\n null \n"));
    }

    @Test
    void filesAreUtf8PrettyAndNamedInErrors() throws IOException {
        Path file = dir.resolve("metrics.json");
        Json.writeFile(file, Map.of("name", "café"));
        assertEquals("{\n  \"name\": \"café\"\n}\n", Files.readString(file, StandardCharsets.UTF_8));
        assertEquals(new HashMap<>(Map.of("name", "café")), Json.readFile(file));

        Files.write(file, "{\"a\": }".getBytes(StandardCharsets.UTF_8));
        JsonFormatException e = assertThrows(JsonFormatException.class, () -> Json.readFile(file));
        assertTrue(e.getMessage().startsWith(file + ": line 1, column 7: expected a JSON value"), e.getMessage());

        Files.write(file, new byte[] {'"', (byte) 0xC3, '"'});
        e = assertThrows(JsonFormatException.class, () -> Json.readFile(file));
        assertTrue(e.getMessage().contains(file + ": expected UTF-8 text, found invalid bytes"), e.getMessage());
    }
}
