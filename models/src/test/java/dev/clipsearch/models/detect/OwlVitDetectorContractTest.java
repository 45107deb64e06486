package dev.clipsearch.models.detect;

import dev.clipsearch.models.RuntimeOptions;
import dev.clipsearch.models.testing.TinyOwlVit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The detector contract on the tiny random-weight OWL-ViT-shaped model. */
class OwlVitDetectorContractTest extends DetectorContractTest {

  private static OwlVitDetector detector;

  @BeforeAll
  static void load() {
    detector =
        OwlVitDetector.load(
            TinyOwlVit.dir().resolve("transformersjs"),
            RuntimeOptions.defaults().withIntraOpThreads(1));
  }

  @AfterAll
  static void close() {
    if (detector != null) {
      detector.close();
    }
  }

  @Override
  Detector detector() {
    return detector;
  }
}
