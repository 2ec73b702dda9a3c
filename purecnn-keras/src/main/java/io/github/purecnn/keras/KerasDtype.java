package io.github.purecnn.keras;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dtypes purecnn reads: float32, and float64 (whose weights it rounds to float32). A layer's
 * {@code dtype} is a name in Keras 2 ({@code "float32"}) and a policy object in Keras 3
 * ({@code {"class_name": "DTypePolicy", "config": {"name": "float32"}}}).
 */
enum KerasDtype {
    FLOAT32, FLOAT64;

    String kerasName() {
        return this == FLOAT32 ? "float32" : "float64";
    }

    /** The layer config's {@code dtype} value in {@code dialect}'s form. */
    Object serialize(KerasDialect dialect) {
        if (dialect == KerasDialect.KERAS2) {
            return kerasName();
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", kerasName());
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("module", "keras");
        policy.put("class_name", "DTypePolicy");
        policy.put("config", config);
        policy.put("registered_name", null);
        return policy;
    }

    /**
     * Checks a layer's {@code dtype}: absent (Keras's default, float32), a name, or a policy object.
     *
     * @throws UnsupportedKerasModelException for any dtype but float32 and float64, naming the layer
     */
    static KerasDtype check(String file, String layer, String kerasClass, Object value)
            throws UnsupportedKerasModelException {
        Object name = value;
        if (value instanceof Map<?, ?> policy) {
            Object className = policy.get("class_name");
            if (!"DTypePolicy".equals(className) && !"Policy".equals(className)
                    || !(policy.get("config") instanceof Map<?, ?> config)) {
                throw new UnsupportedKerasModelException(file, layer, kerasClass, "dtype", "expected a DTypePolicy"
                        + " of float32 or float64, found " + KerasValues.describe(value));
            }
            name = config.get("name");
        }
        if (name == null || "float32".equals(name)) {
            return FLOAT32;
        }
        if ("float64".equals(name)) {
            return FLOAT64;
        }
        throw new UnsupportedKerasModelException(file, layer, kerasClass, "dtype", "expected float32 or float64,"
                + " found " + KerasValues.describe(name) + ": purecnn computes in float32");
    }
}
