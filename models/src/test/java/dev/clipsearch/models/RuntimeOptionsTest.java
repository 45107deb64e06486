package dev.clipsearch.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RuntimeOptionsTest {

  @Test
  void defaults_are_auto_device_runtime_threads_batches_of_32_fp32_and_one_session() {
    RuntimeOptions o = RuntimeOptions.defaults();
    assertEquals(new RuntimeOptions(Device.AUTO, 0, 32, Variant.FP32, 1), o);
    assertEquals(new RuntimeOptions(Device.AUTO, 0, 32, Variant.FP32), o);
  }

  @Test
  void withers_change_one_field() {
    RuntimeOptions o =
        RuntimeOptions.defaults()
            .withDevice(Device.CPU)
            .withIntraOpThreads(2)
            .withBatchSize(8)
            .withVariant(Variant.FP16)
            .withEncoderSessions(3);
    assertEquals(new RuntimeOptions(Device.CPU, 2, 8, Variant.FP16, 3), o);
  }

  @Test
  void rejects_nonsensical_values() {
    assertThrows(IllegalArgumentException.class, () -> RuntimeOptions.defaults().withBatchSize(-1));
    assertThrows(
        IllegalArgumentException.class, () -> RuntimeOptions.defaults().withEncoderSessions(-1));
    assertThrows(
        IllegalArgumentException.class, () -> RuntimeOptions.defaults().withIntraOpThreads(-1));
    assertThrows(IllegalArgumentException.class, () -> RuntimeOptions.defaults().withDevice(null));
  }

  @Test
  void by_device_choices_differ_between_cpu_and_cuda() {
    RuntimeOptions o = RuntimeOptions.byDevice().withIntraOpThreads(2);
    Set<Variant> both = EnumSet.of(Variant.FP32, Variant.FP16);
    RuntimeOptions cpu = o.resolvedOn(Device.CPU, o.variantOn(Device.CPU, both));
    RuntimeOptions cuda = o.resolvedOn(Device.cuda(1), o.variantOn(Device.cuda(1), both));
    assertEquals(
        new RuntimeOptions(
            Device.CPU,
            2,
            RuntimeOptions.CPU_BATCH_SIZE,
            Variant.FP32,
            RuntimeOptions.CPU_ENCODER_SESSIONS),
        cpu);
    assertEquals(
        new RuntimeOptions(
            Device.cuda(1),
            2,
            RuntimeOptions.CUDA_BATCH_SIZE,
            Variant.FP16,
            RuntimeOptions.CUDA_ENCODER_SESSIONS),
        cuda);
  }

  @Test
  void
      precision_by_device_takes_fp32_where_the_model_has_no_fp16_and_fp16_where_it_has_only_that() {
    RuntimeOptions o = RuntimeOptions.byDevice();
    assertEquals(Variant.FP32, o.variantOn(Device.cuda(0), EnumSet.of(Variant.FP32)));
    assertEquals(Variant.FP16, o.variantOn(Device.CPU, EnumSet.of(Variant.FP16)));
    assertEquals(Variant.FP32, o.variantOn(Device.CPU, EnumSet.noneOf(Variant.class)));
    assertEquals(
        Variant.QUANTIZED,
        o.withVariant(Variant.QUANTIZED).variantOn(Device.cuda(0), EnumSet.of(Variant.FP16)));
  }

  @Test
  void explicit_choices_win_over_the_device() {
    RuntimeOptions o =
        RuntimeOptions.byDevice().withBatchSize(7).withEncoderSessions(3).withIntraOpThreads(1);
    assertEquals(
        new RuntimeOptions(Device.cuda(0), 1, 7, Variant.FP32, 3),
        o.resolvedOn(Device.cuda(0), Variant.FP32));
  }

  @Test
  void several_cpu_sessions_share_the_cores_when_no_thread_count_is_given() {
    RuntimeOptions cpu =
        RuntimeOptions.byDevice().withEncoderSessions(2).resolvedOn(Device.CPU, Variant.FP32);
    assertEquals(Math.max(1, Runtime.getRuntime().availableProcessors() / 2), cpu.intraOpThreads());
    assertThrows(
        IllegalArgumentException.class,
        () -> RuntimeOptions.byDevice().resolvedOn(Device.AUTO, Variant.FP32));
  }
}
