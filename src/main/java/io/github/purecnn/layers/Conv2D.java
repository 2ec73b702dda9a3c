package io.github.purecnn.layers;

import io.github.purecnn.kernels.ConvReluPool;
import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.kernels.Padding;
import io.github.purecnn.kernels.Window2D;
import io.github.purecnn.tensor.Shape;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A 2-D convolution over NHWC images, as Keras's {@code Conv2D}: kernel {@code (kh, kw, cin,
 * filters)} initialised Glorot-uniform, bias zero, then an optional activation.
 * <pre>{@code new Conv2D(6, 3).activation(Activation.RELU)}</pre>
 */
public final class Conv2D extends Layer {
    private final int filters;
    private final int kernelH;
    private final int kernelW;
    private int strideH = 1;
    private int strideW = 1;
    private Padding padding = Padding.VALID;
    private Activation activation = Activation.LINEAR;
    private boolean useBias = true;

    private Window2D geometry;
    private Parameter kernel;
    private Parameter bias;

    /** {@code filters} output channels, square {@code kernelSize x kernelSize} windows. */
    public Conv2D(int filters, int kernelSize) {
        this(filters, kernelSize, kernelSize);
    }

    public Conv2D(int filters, int kernelH, int kernelW) {
        this.filters = positive("Conv2D filters", filters);
        this.kernelH = positive("Conv2D kernel height", kernelH);
        this.kernelW = positive("Conv2D kernel width", kernelW);
    }

    public Conv2D strides(int stride) {
        return strides(stride, stride);
    }

    public Conv2D strides(int h, int w) {
        requireUnbuilt("change the strides of");
        strideH = positive("Conv2D stride height", h);
        strideW = positive("Conv2D stride width", w);
        return this;
    }

    public Conv2D padding(Padding p) {
        requireUnbuilt("change the padding of");
        padding = java.util.Objects.requireNonNull(p, "padding");
        return this;
    }

    public Conv2D activation(Activation a) {
        requireUnbuilt("change the activation of");
        activation = java.util.Objects.requireNonNull(a, "activation");
        return this;
    }

    public Conv2D useBias(boolean use) {
        requireUnbuilt("change the bias of");
        useBias = use;
        return this;
    }

    @Override
    public Conv2D named(String newName) {
        super.named(newName);
        return this;
    }

    static int positive(String what, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, found " + value);
        }
        return value;
    }

    @Override
    public String typeName() {
        return "Conv2D";
    }

    @Override
    protected Map<String, Object> arguments() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("filters", filters);
        a.put("kernel_size", List.of(kernelH, kernelW));
        a.put("strides", List.of(strideH, strideW));
        a.put("padding", padding.kerasName());
        a.put("activation", activation.kerasName());
        a.put("use_bias", useBias);
        return a;
    }

    @Override
    public Shape computeOutputShape(Shape input) {
        Window2D g = geometry(input);
        return Shape.of(g.outH(), g.outW(), filters);
    }

    private Window2D geometry(Shape input) {
        if (input.rank() != 3) {
            throw new IllegalArgumentException("Conv2D expects images (height, width, channels), found rank " + input.rank());
        }
        return Window2D.of(input.dim(0), input.dim(1), input.dim(2), kernelH, kernelW, strideH, strideW, padding);
    }

    @Override
    protected void createParameters(Shape input, List<Parameter> into, SplittableRandom rng) {
        geometry = geometry(input);
        int cin = input.dim(2);
        kernel = new Parameter("kernel", Shape.of(kernelH, kernelW, cin, filters));
        int receptiveField = kernelH * kernelW;
        glorotUniform(kernel.value(), receptiveField * cin, receptiveField * filters, rng);
        into.add(kernel);
        if (useBias) {
            bias = new Parameter("bias", Shape.of(filters));
            into.add(bias);
        }
    }

    /** The window geometry; available once built. */
    public Window2D geometry() {
        outputShape();
        return geometry;
    }

    public int filters() {
        return filters;
    }

    @Override
    public Activation outputActivation() {
        return activation;
    }

    /** The kernel parameter {@code (kh, kw, cin, filters)}; available once built. */
    public Parameter kernel() {
        outputShape();
        return kernel;
    }

    /**
     * Whether {@link #newPooledShard} can run this layer together with {@code next}: this layer
     * has a ReLU, {@code next} is a 2x2 average pooling with stride 2 that tiles this layer's
     * output exactly, and the kernels have a one-pass {@link ConvReluPool} for the geometry.
     */
    public boolean fusesWith(Layer next, Kernels k) {
        return pooledPass(next, k) != null;
    }

    private ConvReluPool pooledPass(Layer next, Kernels k) {
        if (activation != Activation.RELU || !(next instanceof AveragePooling2D pool)) {
            return null;
        }
        Window2D p = pool.geometry();
        boolean pairs = p.kH() == 2 && p.kW() == 2 && p.strideH() == 2 && p.strideW() == 2
                && p.inH() == 2 * p.outH() && p.inW() == 2 * p.outW();
        return pairs ? k.convReluPool(geometry, filters) : null;
    }

    /**
     * A shard that runs this layer and the pooling {@code next} in one pass (see
     * {@link #fusesWith}): its forward writes the pooled output, its backward takes the pooled
     * output's gradient. It computes no input gradient, so it serves a model's first computing
     * layer; the convolution's own output is kept in the pass's layout, never as NHWC.
     */
    public Shard newPooledShard(Layer next, int capacity, Kernels k) {
        return newPooledShard(next, capacity, k, false);
    }

    /**
     * As {@link #newPooledShard(Layer, int, Kernels)}; with {@code gradientInPlanes} its backward
     * takes the pooled output's gradient channel by channel, (n, K, PH, PW), as a following Conv2D's
     * shard from {@link #newShard(int, Kernels, boolean)} hands it over.
     */
    public Shard newPooledShard(Layer next, int capacity, Kernels k, boolean gradientInPlanes) {
        ConvReluPool pass = pooledPass(next, k);
        if (pass == null) {
            throw new IllegalArgumentException(this + " does not fuse with " + next + " on the " + k.name() + " kernels");
        }
        // saved (capacity, pass.savedSize()): what the forward pass leaves for the backward
        float[] saved = new float[Math.multiplyExact(capacity, pass.savedSize())];
        return new Shard(parameters()) {
            @Override
            public int layers() {
                return 2;
            }

            @Override
            public void forward(float[] out, float[] in, int n, boolean training, long noiseSeed) {
                pass.forward(out, saved, in, kernel.value(), useBias ? bias.value() : null, n);
            }

            @Override
            public void backward(float[] dIn, float[] dOut, float[] in, float[] out, int n, boolean dOutIsPreActivation) {
                if (dIn != null || dOutIsPreActivation) {
                    throw new IllegalStateException("a fused " + Conv2D.this + " computes no input gradient and takes the pooled output's gradient");
                }
                if (gradientInPlanes) {
                    pass.backwardParamsFromPlanes(grads()[0], useBias ? grads()[1] : null, dOut, saved, in, n);
                } else {
                    pass.backwardParams(grads()[0], useBias ? grads()[1] : null, dOut, saved, in, n);
                }
            }
        };
    }

    @Override
    public Shard newShard(int capacity, Kernels k) {
        return newShard(capacity, k, false);
    }

    /**
     * Whether a shard of this layer can hand its input gradient over channel by channel: when it
     * follows a {@link #newPooledShard} pass, that pass works in such planes, and both sides save a
     * layout conversion (the seed model's conv2 and conv1 + pool1: about 17 us per shard of 16).
     */
    public boolean writesInputGradientPlanes(Kernels k) {
        return k.writesInputGradientPlanes(geometry());
    }

    /**
     * As {@link #newShard(int, Kernels)}; with {@code inputGradientInPlanes} (where
     * {@link #writesInputGradientPlanes} allows it) the backward pass writes dIn as (n, C, H, W).
     */
    public Shard newShard(int capacity, Kernels k, boolean inputGradientInPlanes) {
        if (inputGradientInPlanes && !writesInputGradientPlanes(k)) {
            throw new IllegalArgumentException(this + " cannot write its input gradient in planes on the " + k.name() + " kernels");
        }
        return new Shard(parameters()) {
            @Override
            public void forward(float[] out, float[] in, int n, boolean training, long noiseSeed) {
                k.conv2dForward(out, in, kernel.value(), useBias ? bias.value() : null, n, geometry, filters);
                activation.forward(k, out, n * geometry.outPixels(), filters);
            }

            @Override
            public void backward(float[] dIn, float[] dOut, float[] in, float[] out, int n, boolean dOutIsPreActivation) {
                if (!dOutIsPreActivation) {
                    activation.backward(k, dOut, out, n * geometry.outPixels(), filters);
                }
                k.conv2dBackwardParams(grads()[0], useBias ? grads()[1] : null, dOut, in, n, geometry, filters);
                if (dIn != null && inputGradientInPlanes) {
                    k.conv2dBackwardInputPlanes(dIn, dOut, kernel.value(), n, geometry, filters);
                } else if (dIn != null) {
                    k.conv2dBackwardInput(dIn, dOut, kernel.value(), n, geometry, filters);
                }
            }
        };
    }
}
