package io.github.purecnn.spark;

import io.github.purecnn.layers.Parameter;
import io.github.purecnn.model.Sequential;
import io.github.purecnn.optimizers.Optimizer;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What parameter averaging exchanges: a model's trainable parameters (model order), its
 * optimizer's state arrays (in the order of their names) and the optimizer's step count. Copies,
 * so that a state can travel and be averaged while the model moves on.
 *
 * @param parameters     values of each trainable parameter
 * @param stateNames     the optimizer state's names ({@code "conv2d/kernel/m"}), in the order of {@code state}
 * @param state          the optimizer's state arrays
 * @param iterations     the optimizer's step count
 */
record ModelState(float[][] parameters, String[] stateNames, float[][] state, long iterations) implements Serializable {

    /** A copy of the model's parameters and optimizer state. */
    static ModelState of(Sequential model) {
        List<Parameter> params = model.parameters();
        float[][] values = new float[params.size()][];
        for (int p = 0; p < values.length; p++) {
            values[p] = params.get(p).value().clone();
        }
        Map<String, float[]> arrays = model.optimizer().state();
        String[] names = arrays.keySet().toArray(new String[0]);
        float[][] state = new float[names.length][];
        for (int i = 0; i < names.length; i++) {
            state[i] = arrays.get(names[i]).clone();
        }
        return new ModelState(values, names, state, model.optimizer().iterations());
    }

    /**
     * Gives the model these parameters and this optimizer state.
     *
     * @throws IllegalArgumentException naming the parameter or state array that does not fit;
     *     the model is then unchanged
     */
    void applyTo(Sequential model) {
        List<Parameter> params = model.parameters();
        Optimizer optimizer = model.optimizer();
        Map<String, float[]> arrays = optimizer.state();
        if (params.size() != parameters.length || !arrays.keySet().equals(Set.of(stateNames))) {
            throw new IllegalArgumentException("model '" + model.name() + "' has " + params.size() + " parameters and"
                    + " optimizer state " + arrays.keySet() + ", given " + parameters.length + " and "
                    + Arrays.toString(stateNames));
        }
        for (int p = 0; p < parameters.length; p++) {
            if (parameters[p].length != params.get(p).size()) {
                throw new IllegalArgumentException(params.get(p).path() + " has " + params.get(p).size() + " values, given "
                        + parameters[p].length);
            }
        }
        for (int i = 0; i < stateNames.length; i++) {
            if (state[i].length != arrays.get(stateNames[i]).length) {
                throw new IllegalArgumentException("optimizer state " + stateNames[i] + " has "
                        + arrays.get(stateNames[i]).length + " values, given " + state[i].length);
            }
        }
        for (int p = 0; p < parameters.length; p++) {
            params.get(p).set(parameters[p]);
        }
        for (int i = 0; i < stateNames.length; i++) {
            System.arraycopy(state[i], 0, arrays.get(stateNames[i]), 0, state[i].length);
        }
        optimizer.setIterations(iterations);
    }

    /**
     * The average of {@code states}, each weighted by its count of images, added in the order
     * given and in double precision, then rounded to float: the same bits in every run. The step
     * count is the largest of the states'.
     *
     * @param weights images behind each state, all positive
     */
    static ModelState average(List<ModelState> states, long[] weights) {
        ModelState first = states.get(0);
        double total = 0;
        for (long w : weights) {
            total += w;
        }
        long iterations = 0;
        for (ModelState s : states) {
            if (!Arrays.equals(s.stateNames, first.stateNames) || s.parameters.length != first.parameters.length) {
                throw new IllegalStateException("states of different models: optimizer state " + Arrays.toString(s.stateNames)
                        + " and " + Arrays.toString(first.stateNames));
            }
            iterations = Math.max(iterations, s.iterations);
        }
        float[][] parameters = new float[first.parameters.length][];
        for (int p = 0; p < parameters.length; p++) {
            int index = p;
            parameters[p] = average(states, weights, total, s -> s.parameters[index]);
        }
        float[][] state = new float[first.state.length][];
        for (int i = 0; i < state.length; i++) {
            int index = i;
            state[i] = average(states, weights, total, s -> s.state[index]);
        }
        return new ModelState(parameters, first.stateNames, state, iterations);
    }

    private static float[] average(List<ModelState> states, long[] weights, double total,
                                   Function<ModelState, float[]> array) {
        double[] sum = new double[array.apply(states.get(0)).length];
        for (int s = 0; s < states.size(); s++) {
            float[] values = array.apply(states.get(s));
            double w = weights[s];
            for (int i = 0; i < sum.length; i++) {
                sum[i] += w * values[i];
            }
        }
        float[] mean = new float[sum.length];
        for (int i = 0; i < mean.length; i++) {
            mean[i] = (float) (sum[i] / total);
        }
        return mean;
    }
}
