package io.github.purecnn.spark;

import io.github.purecnn.layers.Parameter;
import io.github.purecnn.model.Sequential;
import io.github.purecnn.optimizers.Optimizer;

import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What parameter averaging exchanges: a model's trainable weights (model order) and its
 * optimizer's state: the state arrays (in the order of their names), the scalars (Nadam's running
 * product), the step count and, unless a schedule gives it, the learning rate (a callback may have
 * changed it on the driver). Copies, so that a state can travel and be averaged while the model
 * moves on.
 *
 * @param weights      values of each trainable weight
 * @param stateNames   the optimizer state's names ({@code "conv2d/kernel/m"}), in the order of {@code state}
 * @param state        the optimizer's state arrays
 * @param scalarNames  the optimizer's scalars' names, in the order of {@code scalars}
 * @param scalars      the optimizer's scalars
 * @param iterations   the optimizer's step count
 * @param learningRate the optimizer's learning rate, or NaN when a schedule gives it
 */
record ModelState(float[][] weights, String[] stateNames, float[][] state, String[] scalarNames, float[] scalars,
                  long iterations, float learningRate) implements Serializable {

    /** A copy of the model's trainable weights and optimizer state. */
    static ModelState of(Sequential model) {
        List<Parameter> trainable = model.trainableWeights();
        float[][] values = new float[trainable.size()][];
        for (int p = 0; p < values.length; p++) {
            values[p] = trainable.get(p).value().clone();
        }
        Optimizer optimizer = model.optimizer();
        Map<String, float[]> arrays = optimizer.state();
        String[] names = arrays.keySet().toArray(new String[0]);
        float[][] state = new float[names.length][];
        for (int i = 0; i < names.length; i++) {
            state[i] = arrays.get(names[i]).clone();
        }
        Map<String, Float> scalarMap = optimizer.scalars();
        String[] scalarNames = scalarMap.keySet().toArray(new String[0]);
        float[] scalars = new float[scalarNames.length];
        for (int i = 0; i < scalars.length; i++) {
            scalars[i] = scalarMap.get(scalarNames[i]);
        }
        return new ModelState(values, names, state, scalarNames, scalars, optimizer.iterations(),
                optimizer.schedule() == null ? optimizer.learningRate() : Float.NaN);
    }

    /**
     * Gives the model these weights and this optimizer state.
     *
     * @throws IllegalArgumentException naming the weight or state array that does not fit; the
     *     model is then unchanged
     */
    void applyTo(Sequential model) {
        List<Parameter> trainable = model.trainableWeights();
        Optimizer optimizer = model.optimizer();
        Map<String, float[]> arrays = optimizer.state();
        if (trainable.size() != weights.length || !arrays.keySet().equals(Set.of(stateNames))) {
            throw new IllegalArgumentException("model '" + model.name() + "' has " + trainable.size() + " trainable weights"
                    + " and optimizer state " + arrays.keySet() + ", given " + weights.length + " and "
                    + Arrays.toString(stateNames));
        }
        for (int p = 0; p < weights.length; p++) {
            if (weights[p].length != trainable.get(p).size()) {
                throw new IllegalArgumentException(trainable.get(p).path() + " has " + trainable.get(p).size()
                        + " values, given " + weights[p].length);
            }
        }
        for (int i = 0; i < stateNames.length; i++) {
            if (state[i].length != arrays.get(stateNames[i]).length) {
                throw new IllegalArgumentException("optimizer state " + stateNames[i] + " has "
                        + arrays.get(stateNames[i]).length + " values, given " + state[i].length);
            }
        }
        Map<String, Float> scalarMap = new LinkedHashMap<>();
        for (int i = 0; i < scalarNames.length; i++) {
            scalarMap.put(scalarNames[i], scalars[i]);
        }
        optimizer.setScalars(scalarMap);                  // checks the names before anything changes
        for (int p = 0; p < weights.length; p++) {
            trainable.get(p).set(weights[p]);
        }
        for (int i = 0; i < stateNames.length; i++) {
            System.arraycopy(state[i], 0, arrays.get(stateNames[i]), 0, state[i].length);
        }
        optimizer.setIterations(iterations);
        if (!Float.isNaN(learningRate)) {
            optimizer.setLearningRate(learningRate);
        }
    }

    /**
     * The average of {@code states}, each weighted by its count of images, added in the order
     * given and in double precision, then rounded to float: the same bits in every run. The step
     * count and the scalars are those of the first state with the largest step count (the scalars
     * follow the steps); the learning rate is the first state's.
     *
     * @param imageCounts images behind each state, all positive
     */
    static ModelState average(List<ModelState> states, long[] imageCounts) {
        ModelState first = states.get(0);
        ModelState latest = first;
        double total = 0;
        for (int s = 0; s < states.size(); s++) {
            ModelState state = states.get(s);
            if (!Arrays.equals(state.stateNames, first.stateNames) || state.weights.length != first.weights.length) {
                throw new IllegalStateException("states of different models: optimizer state "
                        + Arrays.toString(state.stateNames) + " and " + Arrays.toString(first.stateNames));
            }
            if (state.iterations > latest.iterations) {
                latest = state;
            }
            total += imageCounts[s];
        }
        float[][] weights = new float[first.weights.length][];
        for (int p = 0; p < weights.length; p++) {
            int index = p;
            weights[p] = average(states, imageCounts, total, s -> s.weights[index]);
        }
        float[][] state = new float[first.state.length][];
        for (int i = 0; i < state.length; i++) {
            int index = i;
            state[i] = average(states, imageCounts, total, s -> s.state[index]);
        }
        return new ModelState(weights, first.stateNames, state, latest.scalarNames, latest.scalars, latest.iterations,
                first.learningRate);
    }

    private static float[] average(List<ModelState> states, long[] imageCounts, double total,
                                   Function<ModelState, float[]> array) {
        double[] sum = new double[array.apply(states.get(0)).length];
        for (int s = 0; s < states.size(); s++) {
            float[] values = array.apply(states.get(s));
            double w = imageCounts[s];
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
