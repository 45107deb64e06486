/**
 * Zero-shot object detection: free-text labels in, boxes with scores out, behind one {@link
 * dev.clipsearch.models.detect.Detector} interface with two implementations.
 *
 * <ul>
 *   <li>{@link dev.clipsearch.models.detect.OwlVitDetector}: an OWL-ViT ONNX export
 *       (transformers.js or optimum layout). Pure steps, each checked against the reference
 *       (PIL/numpy fixtures made by {@code models/generator/owlvit_fixtures.py}): {@link
 *       dev.clipsearch.models.detect.OwlVitPreprocessor} (768 x 768 stretched PIL bicubic, CLIP
 *       mean/std), {@link dev.clipsearch.models.detect.OwlVitQueries} (CLIP BPE padded to 16, with
 *       the attention mask), {@link dev.clipsearch.models.detect.OwlVitPostprocessor} (Hugging
 *       Face's {@code post_process_object_detection}).
 *   <li>{@link dev.clipsearch.models.detect.ClipRegionDetector}: any {@link
 *       dev.clipsearch.models.ClipModel} (the offline one included) on {@link
 *       dev.clipsearch.models.detect.SelectiveSearch} region proposals (or multi-scale windows), so
 *       detection works without a detection model.
 * </ul>
 *
 * <p>Both finish with {@link dev.clipsearch.models.detect.NonMaxSuppression}: per label, on by
 * default ({@link dev.clipsearch.models.detect.DetectOptions#nms()}); the OWL-ViT reference has
 * none. Boxes are in pixels of the upright image the caller decoded ({@link
 * dev.clipsearch.models.image.ImageDecoder} applies EXIF orientation), best first. An HTTP route or
 * a command only decodes the image, checks the options and calls {@code detect}.
 */
package dev.clipsearch.models.detect;
