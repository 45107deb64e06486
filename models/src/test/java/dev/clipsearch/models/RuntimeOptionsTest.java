package dev.clipsearch.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RuntimeOptionsTest {

  @Test
  void defaults_are_auto_device_runtime_threads_batches_of_32_and_fp32() {
    RuntimeOptions o = RuntimeOptions.defaults();
    assertEquals(new RuntimeOptions(Device.AUTO, 0, 32, Variant.FP32), o);
  }

  @Test
  void withers_change_one_field() {
    RuntimeOptions o =
        RuntimeOptions.defaults()
            .withDevice(Device.CPU)
            .withIntraOpThreads(2)
            .withBatchSize(8)
            .withVariant(Variant.FP16);
    assertEquals(new RuntimeOptions(Device.CPU, 2, 8, Variant.FP16), o);
  }

  @Test
  void rejects_nonsensical_values() {
    assertThrows(IllegalArgumentException.class, () -> RuntimeOptions.defaults().withBatchSize(0));
    assertThrows(
        IllegalArgumentException.class, () -> RuntimeOptions.defaults().withIntraOpThreads(-1));
    assertThrows(IllegalArgumentException.class, () -> RuntimeOptions.defaults().withDevice(null));
  }
}
