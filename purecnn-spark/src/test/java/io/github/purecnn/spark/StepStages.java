package io.github.purecnn.spark;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import scala.jdk.javaapi.CollectionConverters;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A listener that knows the stages of training's step jobs, by the job descriptions the trainer
 * sets ({@code purecnn: model 'm', epoch 2 of 3, step 1 of 3}; rounds of parameter averaging say
 * {@code steps 1 to 20 of 50}).
 */
abstract class StepStages extends SparkListener {
    private final String marker;
    private final Set<Integer> stages = ConcurrentHashMap.newKeySet();

    /** @param marker what a job's description contains when it is one of the jobs to follow */
    StepStages(String marker) {
        this.marker = marker;
    }

    @Override
    public void onJobStart(SparkListenerJobStart job) {
        String description = job.properties() == null ? null : job.properties().getProperty("spark.job.description");
        if (description != null && description.contains(marker)) {
            for (Object stage : CollectionConverters.asJava(job.stageIds())) {
                stages.add((Integer) stage);
            }
        }
    }

    /** Whether stage {@code id} belongs to a step job. */
    boolean isStepStage(int id) {
        return stages.contains(id);
    }
}
