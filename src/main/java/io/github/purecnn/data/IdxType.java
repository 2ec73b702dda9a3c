package io.github.purecnn.data;

/**
 * The element types of the IDX format, named by the third byte of an IDX file's magic number.
 * Multi-byte elements are stored big-endian.
 */
public enum IdxType {
    /** Code 0x08, one byte read as 0 to 255: MNIST's pixels and labels. */
    UNSIGNED_BYTE(0x08, 1, "unsigned byte"),
    /** Code 0x09, one byte read as -128 to 127. */
    SIGNED_BYTE(0x09, 1, "signed byte"),
    /** Code 0x0B, a 16-bit signed integer. */
    SHORT(0x0B, 2, "short"),
    /** Code 0x0C, a 32-bit signed integer. */
    INT(0x0C, 4, "int"),
    /** Code 0x0D, a 32-bit IEEE float. */
    FLOAT(0x0D, 4, "float"),
    /** Code 0x0E, a 64-bit IEEE double. */
    DOUBLE(0x0E, 8, "double");

    private final int code;
    private final int elementBytes;
    private final String description;

    IdxType(int code, int elementBytes, String description) {
        this.code = code;
        this.elementBytes = elementBytes;
        this.description = description;
    }

    /**
     * The type code as it appears in the magic number, e.g. {@code 0x08}.
     *
     * @return the code
     */
    public int code() {
        return code;
    }

    /**
     * Bytes per element in the file.
     *
     * @return the size of one element in bytes
     */
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
