package io.github.purecnn.layers;

/** How a sliding window treats the border, with Keras's names and semantics. */
public enum Padding {
    /** No padding: the window stays inside the input; output size {@code floor((in - k) / s) + 1}. */
    VALID,
    /**
     * Zero padding so that the output size is {@code ceil(in / s)}; the padding is split with the
     * extra cell at the bottom and right, as TensorFlow does.
     */
    SAME;

    /**
     * The Keras spelling, {@code "valid"} or {@code "same"}.
     *
     * @return the lower-case name Keras's configs use
     */
    public String kerasName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The padding of a Keras name ({@code "valid"}, {@code "same"}); IllegalArgumentException for another.
     *
     * @param name {@code "valid"} or {@code "same"}
     * @return the padding of that name
     * @throws IllegalArgumentException for any other name, which the message shows
     */
    public static Padding fromKerasName(String name) {
        for (Padding p : values()) {
            if (p.kerasName().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("padding must be 'valid' or 'same', found '" + name + "'");
    }
}
