package io.github.purecnn.model;

/** Metrics reported next to the loss during training and evaluation. */
public enum Metric {
    /**
     * The fraction of images whose highest-scoring class is the label: Keras's {@code "accuracy"},
     * which for integer labels is sparse categorical accuracy and for one-hot targets categorical
     * accuracy (the same number, since the targets are the labels' one-hot encodings).
     */
    ACCURACY;

    public String kerasName() {
        return "accuracy";
    }

    public static Metric fromKerasName(String name) {
        if (name.equals("accuracy") || name.equals("acc") || name.equals("sparse_categorical_accuracy")
                || name.equals("categorical_accuracy")) {
            return ACCURACY;
        }
        throw new IllegalArgumentException("unknown metric '" + name + "', expected 'accuracy'");
    }
}
