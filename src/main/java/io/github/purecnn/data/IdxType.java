package io.github.purecnn.data;

/**
 * The element types of the IDX format, named by the third byte of an IDX file's magic number.
 * Multi-byte elements are stored big-endian.
 */
public enum IdxType {
    UNSIGNED_BYTE(0x08, 1, "unsigned byte"),
    SIGNED_BYTE(0x09, 1, "signed byte"),
    SHORT(0x0B, 2, "short"),
    INT(0x0C, 4, "int"),
    FLOAT(0x0D, 4, "float"),
    DOUBLE(0x0E, 8, "double");

    private final int code;
    private final int elementBytes;
    private final String description;

    IdxType(int code, int elementBytes, String description) {
        this.code = code;
        this.elementBytes = elementBytes;
        this.description = description;
    }

    /** The type code as it appears in the magic number, e.g. {@code 0x08}. */
    public int code() {
        return code;
    }

    /** Bytes per element in the file. */
    public int elementBytes() {
        return elementBytes;
    }

    /** The type for a magic-number code, or {@code null} if the code names no IDX type. */
    static IdxType forCode(int code) {
        for (IdxType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }

    /** All valid codes with their names, for error messages: {@code 0x08 (unsigned byte), ...}. */
    static String validCodes() {
        StringBuilder sb = new StringBuilder();
        for (IdxType t : values()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(t);
        }
        return sb.toString();
    }

    /** The name and code, as error messages show it: {@code unsigned byte (0x08)}. */
    @Override
    public String toString() {
        return String.format("%s (0x%02X)", description, code);
    }
}
