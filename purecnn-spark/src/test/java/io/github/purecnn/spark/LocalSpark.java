package io.github.purecnn.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The Spark session of the tests: local mode with two task threads, as a two-core executor runs,
 * and a failed task tried up to 4 times as on a cluster ({@code local[2,4]}: local mode otherwise
 * tries a task once), without the web UI, bound to the loopback address. One session serves
 * every test class of the JVM: starting Spark takes seconds.
 */
final class LocalSpark {
    private static SparkSession session;

    private LocalSpark() {
    }

    static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSession.builder()
                    .appName("purecnn-spark tests")
                    .master("local[2,4]")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", "2")
                    .getOrCreate();
        }
        return session;
    }
}
