package io.github.purecnn.kernels;

/**
 * How much of a thread's {@link Scratch} one call over n images needs: what plans, and the steps
 * that run them, declare up front so that calls allocate nothing. Nothing unless overridden.
 */
public interface ScratchNeeds {
    /** Needs nothing. */
    ScratchNeeds NONE = new ScratchNeeds() {
    };

    /** Floats of scratch a call over n images needs. */
    default int scratchFloats(int n) {
        return 0;
    }

    /** Ints of scratch a call over n images needs. */
    default int scratchInts(int n) {
        return 0;
    }

    /** Scratch rows (separate arrays, see {@link Scratch#rows}) a call over n images needs. */
    default int scratchRows(int n) {
        return 0;
    }

    /** Floats in each scratch row; 0 without rows. */
    default int scratchRowLength(int n) {
        return 0;
    }

    /** What serves calls of either: the larger need of each kind. */
    static ScratchNeeds larger(ScratchNeeds a, ScratchNeeds b) {
        return new ScratchNeeds() {
            @Override
            public int scratchFloats(int n) {
                return Math.max(a.scratchFloats(n), b.scratchFloats(n));
            }

            @Override
            public int scratchInts(int n) {
                return Math.max(a.scratchInts(n), b.scratchInts(n));
            }

            @Override
            public int scratchRows(int n) {
                return Math.max(a.scratchRows(n), b.scratchRows(n));
            }

            @Override
            public int scratchRowLength(int n) {
                return Math.max(a.scratchRowLength(n), b.scratchRowLength(n));
            }
        };
    }
}
