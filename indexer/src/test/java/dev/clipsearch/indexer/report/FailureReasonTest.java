package dev.clipsearch.indexer.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.clipsearch.models.image.ImageDecodeException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FailureReasonTest {

  @ParameterizedTest
  @EnumSource(ImageDecodeException.Reason.class)
  void every_decode_reason_becomes_an_image_reason_with_the_same_code(
      ImageDecodeException.Reason reason) {
    FailureReason mapped = FailureReason.of(reason);
    assertEquals(FailureReason.Scope.IMAGE, mapped.scope(), reason.toString());
    assertEquals(reason.code(), mapped.code(), reason.toString());
    assertEquals(reason.description(), mapped.description(), reason.toString());
  }
}
