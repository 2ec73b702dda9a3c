package io.github.purecnn.spark

import java.nio.file.Files

import io.github.purecnn.data.Dataset
import io.github.purecnn.model.{FitOptions, LeNet}
import io.github.purecnn.tensor.Shape
import org.apache.spark.api.java.JavaSparkContext
import org.apache.spark.rdd.RDD
import org.junit.jupiter.api.Assertions.{assertArrayEquals, assertEquals}
import org.junit.jupiter.api.Test

/** The module used from Scala as a Spark application in Scala uses it: DataFrames, typed Datasets, RDDs, for scoring and training. */
class ScalaApiTest {
  private val digit = Shape.of(28, 28, 1)

  @Test
  def scoresDataFramesAndRddsFromScala(): Unit = {
    val spark = LocalSpark.session()
    import spark.implicits._

    val model = LeNet.create(31)
    val file = Files.createTempFile("scala-api-", ".purecnn")
    model.save(file)
    val count = 30
    val pixels = TestImages.randomPixels(9, count, digit)
    val expected = model.predict(Dataset.ofBytes(pixels, new Array[Int](count), 28, 28, 1, 10)).data()

    val images = spark.sparkContext
      .parallelize((0 until count).map(i => (i, TestImages.image(pixels, i, digit))), 3)
      .toDF("id", "image")
    val scorer = ImageScorer.load(spark.sparkContext, file).batchSize(7)
    try {
      val scored = scorer.score(images, ImageColumn.pixels("image"))
        .select($"id", $"probabilities", $"prediction")
        .as[(Int, Array[Float], Int)]
        .collect()
      assertEquals(count, scored.length)
      for ((id, probabilities, prediction) <- scored) {
        val want = expected.slice(id * 10, id * 10 + 10)
        assertArrayEquals(want, probabilities, s"row $id")
        assertEquals(ScoringIterator.argmax(want), prediction, s"row $id")
      }

      val scaled = TestImages.scaled(pixels)
      val arrays: RDD[Array[Float]] = spark.sparkContext
        .parallelize((0 until count).map(i => scaled.slice(i * digit.size, (i + 1) * digit.size)), 2)
      val predictions: Array[Prediction] = scorer.predict(arrays).collect()
      for ((p, i) <- predictions.zipWithIndex) {
        assertArrayEquals(expected.slice(i * 10, i * 10 + 10), p.probabilities, s"image $i")
      }
    } finally {
      scorer.close()
      Files.delete(file)
    }
  }

  @Test
  def trainsOnDataFramesAndRddsFromScala(): Unit = {
    val spark = LocalSpark.session()
    import spark.implicits._

    val data = new TrainingData(4, 60)
    val options = new FitOptions().epochs(2).batchSize(24).verbose(0)
    val fitted = TrainingData.model(11, true)
    val history = fitted.fit(data.local(), options)

    val frame = (0 until 60)
      .map(i => (i, TestImages.image(data.pixels, i, TrainingData.IMAGE), data.labels(i)))
      .toDF("id", "image", "label")
    val fromFrame = TrainingData.model(11, true)
    val trained = new ImageTrainer().partitions(2).fit(fromFrame, frame, ImageColumn.pixels("image"), "label", options)
    TrainingData.assertSameModel(fitted, fromFrame)
    assertArrayEquals(history.get("loss"), trained.get("loss"))

    val images: RDD[LabeledImage] = data.labeled(JavaSparkContext.fromSparkContext(spark.sparkContext), 3).rdd
    val fromRdd = TrainingData.model(11, true)
    new ImageTrainer().partitions(3).fit(fromRdd, images, options)
    TrainingData.assertSameModel(fitted, fromRdd)
  }
}
