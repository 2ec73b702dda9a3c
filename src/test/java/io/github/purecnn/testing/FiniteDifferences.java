package io.github.purecnn.testing;

import java.util.function.DoubleSupplier;

/** The arithmetic of the finite-difference gradient checks, shared by the layer and loss tests. */
public final class FiniteDifferences {
    private FiniteDifferences() {
    }

    /**
     * The central difference of {@code objective} with respect to {@code x[i]}, which is restored
     * afterwards. It divides by the step actually taken, {@code (float)(x + h) - (float)(x - h)},
     * which differs from 2h by the float rounding of x +- h.
     */
    public static double centralDifference(float[] x, int i, double step, DoubleSupplier objective) {
        float saved = x[i];
        float plus = (float) (saved + step);
        float minus = (float) (saved - step);
        x[i] = plus;
        double lPlus = objective.getAsDouble();
        x[i] = minus;
        double lMinus = objective.getAsDouble();
        x[i] = saved;
        return (lPlus - lMinus) / ((double) plus - minus);
    }

    /** Relative error above magnitude 1, absolute below; NaN counts as infinitely wrong. */
    public static double error(double analytic, double numeric) {
        double e = Math.abs(analytic - numeric) / Math.max(1.0, Math.max(Math.abs(analytic), Math.abs(numeric)));
        return Double.isNaN(e) ? Double.POSITIVE_INFINITY : e;
    }
}
