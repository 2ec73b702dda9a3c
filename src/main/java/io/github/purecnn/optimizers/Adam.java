package io.github.purecnn.optimizers;

import io.github.purecnn.kernels.OptimizerUpdates;
import io.github.purecnn.layers.Parameter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam with Keras's defaults (learning rate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7) and
 * Keras's update: {@code m = b1 m + (1 - b1) g}, {@code v = b2 v + (1 - b2) g^2},
 * {@code p -= lr * sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + epsilon)}.
 */
public final class Adam extends Optimizer {
    private final float learningRate;
    private final float beta1;
    private final float beta2;
    private final float epsilon;

    private float[][] m;
    private float[][] v;
    private float stepSize;

    public Adam() {
        this(0.001);
    }

    public Adam(double learningRate) {
        this(learningRate, 0.9, 0.999, 1e-7);
    }

    public Adam(double learningRate, double beta1, double beta2, double epsilon) {
        this.learningRate = requirePositive("learning rate", learningRate);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("beta1 and beta2 must be in [0, 1), found " + beta1 + " and " + beta2);
        }
        this.beta1 = (float) beta1;
        this.beta2 = (float) beta2;
        this.epsilon = requirePositive("epsilon", epsilon);
    }

    @Override
    public String typeName() {
        return "Adam";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("learning_rate", (double) learningRate);
        c.put("beta_1", (double) beta1);
        c.put("beta_2", (double) beta2);
        c.put("epsilon", (double) epsilon);
        return c;
    }

    public float learningRate() {
        return learningRate;
    }

    @Override
    protected void createState(List<Parameter> parameters) {
        m = new float[parameters.size()][];
        v = new float[parameters.size()][];
        for (int i = 0; i < m.length; i++) {
            m[i] = new float[parameters.get(i).size()];
            v[i] = new float[parameters.get(i).size()];
        }
    }

    @Override
    public int stateArraysPerParameter() {
        return 2;
    }

    @Override
    protected void prepareStep(long t) {
        // Bias corrections in double: beta2^t is close to 1 for many steps and float would lose them.
        stepSize = (float) (learningRate * StrictMath.sqrt(1 - StrictMath.pow(beta2, t)) / (1 - StrictMath.pow(beta1, t)));
    }

    @Override
    public void update(int index, int from, int to) {
        Parameter p = parameters().get(index);
        OptimizerUpdates.adam(p.value(), m[index], v[index], p.grad(), from, to, stepSize, beta1, beta2, epsilon);
    }

    @Override
    public Map<String, float[]> state() {
        Map<String, float[]> s = new LinkedHashMap<>();
        List<Parameter> ps = parameters();
        for (int i = 0; i < ps.size(); i++) {
            s.put(ps.get(i).path() + "/m", m[i]);
            s.put(ps.get(i).path() + "/v", v[i]);
        }
        return s;
    }

}
