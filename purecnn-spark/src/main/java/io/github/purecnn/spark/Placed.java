package io.github.purecnn.spark;

import java.io.Serializable;

/**
 * A training image on its way to the partition that computes it, with its position in the
 * epoch's order.
 */
record Placed(int position, Example example) implements Serializable {
}
