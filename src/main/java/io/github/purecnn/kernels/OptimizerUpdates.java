package io.github.purecnn.kernels;

/**
 * The optimizers' element-wise update rules over a range {@code [from, to)} of one parameter,
 * one implementation for every kernel path: each element by the same scalar operations, so every
 * path gives the same bits. Java never contracts a multiply and an add into one, so each
 * formula's operations round exactly as written, in float32, in the order Keras 3 writes them
 * ({@code keras/src/optimizers/*.py}); the comments give that order with explicit parentheses.
 * The per-step scalars (bias corrections, the learning rate) are computed by the optimizer once
 * per step. HotSpot vectorises these loops.
 *
 * <p>Arrays: {@code param} and the state arrays are read and written, {@code grad} is read.
 */
public final class OptimizerUpdates {
    private OptimizerUpdates() {
    }

    // ---- gradient clipping and weight decay (Keras's BaseOptimizer) ----

    /** clipnorm, grad in place: {@code (g * c) / divisor}, divisor being {@code max(norm, c)} of the whole parameter. */
    public static void clipByNorm(float[] grad, int from, int to, float c, float divisor) {
        for (int i = from; i < to; i++) {
            grad[i] = grad[i] * c / divisor;
        }
    }

    /** global_clipnorm, grad in place: {@code g * scale}. */
    public static void scale(float[] grad, int from, int to, float scale) {
        for (int i = from; i < to; i++) {
            grad[i] *= scale;
        }
    }

    /** clipvalue, grad in place: {@code clip(g, -c, c)} (NaN stays NaN). */
    public static void clipByValue(float[] grad, int from, int to, float c) {
        for (int i = from; i < to; i++) {
            grad[i] = Math.min(Math.max(grad[i], -c), c);
        }
    }

    /** weight_decay, param in place: {@code p - (p * wd) * lr}. */
    public static void decay(float[] param, int from, int to, float wd, float lr) {
        for (int i = from; i < to; i++) {
            param[i] = param[i] - param[i] * wd * lr;
        }
    }

    // ---- the update rules ----

    /** A running mean moved toward x, as Keras writes the moments: {@code avg + (x - avg) * c}. */
    private static float toward(float avg, float x, float c) {
        return avg + (x - avg) * c;
    }

    /**
     * Adam: {@code m = m + (g - m) * omb1}, {@code v = v + (g * g - v) * omb2}; with AMSGrad
     * {@code vhat = max(vhat, v)} is used for v; then {@code p = p - (m * alpha) / (sqrt(v) + eps)},
     * where {@code alpha = lr * sqrt(1 - beta2^t) / (1 - beta1^t)} for the step and
     * {@code omb1 = 1 - beta1} (rounded once from double, as Keras's Python float).
     *
     * @param vhat the running maximum of v, or null without AMSGrad
     */
    public static void adam(float[] param, float[] m, float[] v, float[] vhat, float[] grad, int from, int to,
                            float alpha, float omb1, float omb2, float eps) {
        for (int i = from; i < to; i++) {
            float g = grad[i];
            float mi = toward(m[i], g, omb1);
            float vi = toward(v[i], g * g, omb2);
            m[i] = mi;
            v[i] = vi;
            if (vhat != null) {
                vi = Math.max(vhat[i], vi);
                vhat[i] = vi;
            }
            param[i] = param[i] - mi * alpha / ((float) Math.sqrt(vi) + eps);
        }
    }

    /** Plain gradient descent: {@code p = p - g * lr}. */
    public static void sgd(float[] param, float[] grad, int from, int to, float lr) {
        for (int i = from; i < to; i++) {
            param[i] = param[i] - grad[i] * lr;
        }
    }

    /**
     * Gradient descent with momentum: {@code vel = vel * momentum - g * lr}, then {@code p = p + vel},
     * or with Nesterov {@code p = p + (vel * momentum - g * lr)}.
     */
    public static void sgdMomentum(float[] param, float[] velocity, float[] grad, int from, int to,
                                   float lr, float momentum, boolean nesterov) {
        for (int i = from; i < to; i++) {
            float vel = velocity[i] * momentum - grad[i] * lr;
            velocity[i] = vel;
            param[i] = param[i] + (nesterov ? vel * momentum - grad[i] * lr : vel);
        }
    }

    /**
     * RMSprop: {@code rms = rho * rms + omr * (g * g)}; centered: {@code mg = rho * mg + omr * g} and
     * {@code denom = (rms - mg * mg) + eps}, else {@code denom = rms + eps}; {@code inc = (lr * g) / sqrt(denom)};
     * with momentum {@code mom = momentum * mom + inc} and {@code p = p - mom}, else {@code p = p - inc}.
     *
     * @param mom the momentum slot, or null without momentum
     * @param mg  the mean-gradient slot, or null when not centered
     */
    public static void rmsprop(float[] param, float[] rms, float[] mom, float[] mg, float[] grad, int from, int to,
                               float lr, float rho, float omr, float momentum, float eps) {
        for (int i = from; i < to; i++) {
            float g = grad[i];
            float r = rho * rms[i] + omr * (g * g);
            rms[i] = r;
            float denom;
            if (mg != null) {
                float a = rho * mg[i] + omr * g;
                mg[i] = a;
                denom = r - a * a + eps;
            } else {
                denom = r + eps;
            }
            float inc = lr * g / (float) Math.sqrt(denom);
            if (mom != null) {
                float mo = momentum * mom[i] + inc;
                mom[i] = mo;
                param[i] = param[i] - mo;
            } else {
                param[i] = param[i] - inc;
            }
        }
    }

    /**
     * Nadam: {@code m = m + (g - m) * omb1}, {@code v = v + (g * g - v) * omb2},
     * {@code mHat = (uNext * m) / oneMinusUProductNext + (oneMinusU * g) / oneMinusUProduct},
     * {@code vHat = v / oneMinusBeta2Power}, {@code p = p - (mHat * lr) / (sqrt(vHat) + eps)};
     * the step's scalars as Keras's {@code Nadam.update_step} computes them.
     */
    public static void nadam(float[] param, float[] m, float[] v, float[] grad, int from, int to, float lr,
                             float omb1, float omb2, float uNext, float oneMinusUProductNext, float oneMinusU,
                             float oneMinusUProduct, float oneMinusBeta2Power, float eps) {
        for (int i = from; i < to; i++) {
            float g = grad[i];
            float mi = toward(m[i], g, omb1);
            float vi = toward(v[i], g * g, omb2);
            m[i] = mi;
            v[i] = vi;
            float mHat = uNext * mi / oneMinusUProductNext + oneMinusU * g / oneMinusUProduct;
            float vHat = vi / oneMinusBeta2Power;
            param[i] = param[i] - mHat * lr / ((float) Math.sqrt(vHat) + eps);
        }
    }

    /** Adagrad: {@code acc = acc + g * g}, {@code p = p - (lr * g) / sqrt(acc + eps)}. */
    public static void adagrad(float[] param, float[] acc, float[] grad, int from, int to, float lr, float eps) {
        for (int i = from; i < to; i++) {
            float g = grad[i];
            float a = acc[i] + g * g;
            acc[i] = a;
            param[i] = param[i] - lr * g / (float) Math.sqrt(a + eps);
        }
    }

    /**
     * Adamax: {@code m = m + (g - m) * omb1}, {@code u = max(beta2 * u, |g|)},
     * {@code p = p - (lr * m) / (oneMinusBeta1Power * (u + eps))}.
     */
    public static void adamax(float[] param, float[] m, float[] u, float[] grad, int from, int to, float lr,
                              float omb1, float beta2, float oneMinusBeta1Power, float eps) {
        for (int i = from; i < to; i++) {
            float g = grad[i];
            float mi = toward(m[i], g, omb1);
            float ui = Math.max(beta2 * u[i], Math.abs(g));
            m[i] = mi;
            u[i] = ui;
            param[i] = param[i] - lr * mi / (oneMinusBeta1Power * (ui + eps));
        }
    }
}
