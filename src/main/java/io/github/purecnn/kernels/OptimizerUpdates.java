package io.github.purecnn.kernels;

/**
 * The optimizers' element-wise update rules over a range of one parameter, one implementation for
 * every kernel path: each element by the same scalar operations (Java never contracts a multiply
 * and an add into one), so every path gives the same bits. HotSpot vectorises these loops.
 */
public final class OptimizerUpdates {
    private OptimizerUpdates() {
    }

    /**
     * Adam as Keras does it: {@code m = b1 * m + (1 - b1) * g}, {@code v = b2 * v + (1 - b2) * g * g},
     * then {@code p -= stepSize * m / (sqrt(v) + epsilon)}, with the bias corrections folded into
     * {@code stepSize = lr * sqrt(1 - b2^t) / (1 - b1^t)}. param, m, v [from, to) write; grad reads.
     */
    public static void adam(float[] param, float[] m, float[] v, float[] grad, int from, int to,
                            float stepSize, float beta1, float beta2, float epsilon) {
        float oneMinusBeta1 = 1f - beta1;
        float oneMinusBeta2 = 1f - beta2;
        for (int i = from; i < to; i++) {
            float g = grad[i];
            float mi = beta1 * m[i] + oneMinusBeta1 * g;
            float vi = beta2 * v[i] + oneMinusBeta2 * g * g;
            m[i] = mi;
            v[i] = vi;
            param[i] -= stepSize * mi / ((float) Math.sqrt(vi) + epsilon);
        }
    }

    /** Plain gradient descent: {@code p -= lr * g}. */
    public static void sgd(float[] param, float[] grad, int from, int to, float learningRate) {
        for (int i = from; i < to; i++) {
            param[i] -= learningRate * grad[i];
        }
    }

    /**
     * Gradient descent with momentum, as Keras: {@code vel = momentum * vel - lr * g}, then
     * {@code p += vel}, or with Nesterov {@code p += momentum * vel - lr * g}.
     */
    public static void sgdMomentum(float[] param, float[] velocity, float[] grad, int from, int to,
                                   float learningRate, float momentum, boolean nesterov) {
        for (int i = from; i < to; i++) {
            float vel = momentum * velocity[i] - learningRate * grad[i];
            velocity[i] = vel;
            param[i] += nesterov ? momentum * vel - learningRate * grad[i] : vel;
        }
    }
}
