package io.github.purecnn.optimizers;

import io.github.purecnn.kernels.OptimizerUpdates;
import io.github.purecnn.layers.Parameter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent as Keras does it: plain {@code p -= lr g}; with momentum,
 * {@code velocity = momentum * velocity - lr g} then {@code p += velocity}, or with Nesterov
 * {@code p += momentum * velocity - lr g}. Keras's defaults: learning rate 0.01, no momentum.
 */
public final class SGD extends Optimizer {
    private final float learningRate;
    private final float momentum;
    private final boolean nesterov;

    private float[][] velocity;

    public SGD() {
        this(0.01);
    }

    public SGD(double learningRate) {
        this(learningRate, 0, false);
    }

    public SGD(double learningRate, double momentum, boolean nesterov) {
        this.learningRate = requirePositive("learning rate", learningRate);
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), found " + momentum);
        }
        this.momentum = (float) momentum;
        this.nesterov = nesterov;
    }

    @Override
    public String typeName() {
        return "SGD";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("learning_rate", (double) learningRate);
        c.put("momentum", (double) momentum);
        c.put("nesterov", nesterov);
        return c;
    }

    @Override
    public int stateArraysPerParameter() {
        return 1;
    }

    @Override
    protected void createState(List<Parameter> parameters) {
        velocity = new float[parameters.size()][];
        for (int i = 0; i < velocity.length; i++) {
            velocity[i] = new float[parameters.get(i).size()];
        }
    }

    @Override
    public void update(int index, int from, int to) {
        Parameter p = parameters().get(index);
        if (momentum == 0f) {
            OptimizerUpdates.sgd(p.value(), p.grad(), from, to, learningRate);
        } else {
            OptimizerUpdates.sgdMomentum(p.value(), velocity[index], p.grad(), from, to, learningRate, momentum, nesterov);
        }
    }

    @Override
    public Map<String, float[]> state() {
        Map<String, float[]> s = new LinkedHashMap<>();
        List<Parameter> ps = parameters();
        for (int i = 0; i < ps.size(); i++) {
            s.put(ps.get(i).path() + "/momentum", velocity[i]);
        }
        return s;
    }
}
