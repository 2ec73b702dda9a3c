package io.github.purecnn.cli;

import io.github.purecnn.model.EpochLog;
import io.github.purecnn.model.Evaluation;
import io.github.purecnn.model.History;

/**
 * The training metrics as JSON, for scripts and CI:
 * <pre>{@code {"epochs":[{"epoch":1,"seconds":..,"loss":..,"accuracy":..,"val_loss":..,"val_accuracy":..}],
 *  "train_seconds":..,"test_loss":..,"test_accuracy":..}}</pre>
 * The validation keys are present only when training had validation data. A minimal writer of
 * this one document, kept in one class so that a general JSON writer can replace it.
 */
final class MetricsJson {
    private MetricsJson() {
    }

    static String format(History history, double trainSeconds, Evaluation test) {
        StringBuilder json = new StringBuilder("{\"epochs\":[");
        for (EpochLog e : history.epochs()) {
            if (e.epoch() > 1) {
                json.append(',');
            }
            json.append("{\"epoch\":").append(e.epoch());
            field(json, "seconds", e.seconds());
            field(json, "loss", e.loss());
            field(json, "accuracy", e.accuracy());
            if (e.hasValidation()) {
                field(json, "val_loss", e.validationLoss());
                field(json, "val_accuracy", e.validationAccuracy());
            }
            json.append('}');
        }
        json.append(']');
        field(json, "train_seconds", trainSeconds);
        field(json, "test_loss", test.loss());
        field(json, "test_accuracy", test.accuracy());
        return json.append("}\n").toString();
    }

    private static void field(StringBuilder json, String key, double value) {
        // JSON has no NaN or infinity; training stops on a non-finite loss, so null never shows in practice.
        json.append(",\"").append(key).append("\":").append(Double.isFinite(value) ? Double.toString(value) : "null");
    }
}
