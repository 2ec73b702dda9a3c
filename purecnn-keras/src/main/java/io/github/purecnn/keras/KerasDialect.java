package io.github.purecnn.keras;

/**
 * The two forms of Keras configs: Keras 2 (and tf.keras), as in {@code .h5} files, and Keras 3,
 * as in {@code .keras} archives, whose objects carry {@code module} and {@code registered_name}
 * and whose dtypes are policy objects.
 */
enum KerasDialect {
    KERAS2, KERAS3;

    /** The dialect of a file that says it was written by {@code kerasVersion} ("2.15.0", "3.6.0"); Keras 2 when it does not say. */
    static KerasDialect of(String kerasVersion) {
        return atLeast(kerasVersion, 3, 0) ? KERAS3 : KERAS2;
    }

    /** Whether a Keras version string ("3.10.0", "2.2.4-tf") is at least {@code major.minor}; false when it is not a version. */
    static boolean atLeast(String kerasVersion, int major, int minor) {
        if (kerasVersion == null) {
            return false;
        }
        String[] parts = kerasVersion.split("[.-]");
        try {
            int ma = Integer.parseInt(parts[0]);
            int mi = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return ma > major || ma == major && mi >= minor;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
