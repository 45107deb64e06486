package dev.clipsearch.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DeviceTest {

  @ParameterizedTest
  @CsvSource({
    "auto, AUTO, 0, auto",
    "cpu, CPU, 0, cpu",
    "cuda, CUDA, 0, cuda:0",
    "cuda:0, CUDA, 0, cuda:0",
    "cuda:3, CUDA, 3, cuda:3",
    "' CUDA:1 ', CUDA, 1, cuda:1",
    "Auto, AUTO, 0, auto"
  })
  void parses_every_accepted_form(String text, Device.Kind kind, int index, String canonical) {
    Device device = Device.parse(text);
    assertEquals(new Device(kind, index), device);
    assertEquals(canonical, device.toString());
    assertEquals(device, Device.parse(device.toString()), "toString must parse back");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "gpu", "cuda:", "cuda:-1", "cuda:x", "cuda:1:2", "cpu:0", "cuda:99999999999"})
  void rejects_other_forms_naming_the_text_and_the_accepted_ones(String text) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Device.parse(text));
    assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
    assertTrue(e.getMessage().contains("auto, cpu, cuda or cuda:N"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"fp32", "FP16", "quantized"})
  void variants_parse_case_insensitively_and_print_back(String text) {
    Variant variant = Variant.parse(text);
    assertEquals(variant, Variant.parse(variant.toString()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "int8", "fp64"})
  void unknown_variants_are_rejected_with_the_accepted_ones(String text) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Variant.parse(text));
    assertTrue(e.getMessage().contains("fp32, quantized or fp16"), e.getMessage());
  }
}
