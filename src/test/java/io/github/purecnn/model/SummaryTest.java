package io.github.purecnn.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SummaryTest {

    @Test
    void seedModelSummaryIsKerasTable() {
        String expected = String.join("\n",
                "Model: \"sequential\"",
                "___________________________________________________________________________",
                " Layer (type)                              Output Shape          Param #",
                "===========================================================================",
                " conv2d (Conv2D)                           (None, 26, 26, 6)     60",
                "",
                " average_pooling2d (AveragePooling2D)      (None, 13, 13, 6)     0",
                "",
                " conv2d_1 (Conv2D)                         (None, 11, 11, 16)    880",
                "",
                " average_pooling2d_1 (AveragePooling2D)    (None, 6, 6, 16)      0",
                "",
                " flatten (Flatten)                         (None, 576)           0",
                "",
                " dense (Dense)                             (None, 120)           69,240",
                "",
                " dense_1 (Dense)                           (None, 84)            10,164",
                "",
                " dense_2 (Dense)                           (None, 10)            850",
                "===========================================================================",
                "Total params: 81,194",
                "Trainable params: 81,194",
                "Non-trainable params: 0",
                "___________________________________________________________________________",
                "");
        assertEquals(expected, LeNet.create(1).summary());
    }

    @Test
    void countsAddUp() {
        Sequential model = LeNet.create(1);
        assertEquals(81_194, model.countParams());
        long[] perLayer = model.layers().stream().mapToLong(l -> l.countParams()).toArray();
        assertEquals(java.util.List.of(60L, 0L, 880L, 0L, 0L, 69_240L, 10_164L, 850L),
                java.util.Arrays.stream(perLayer).boxed().toList());
    }
}
