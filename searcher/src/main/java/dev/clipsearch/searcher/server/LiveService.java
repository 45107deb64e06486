package dev.clipsearch.searcher.server;

import dev.clipsearch.searcher.service.CatalogAdmin;
import dev.clipsearch.searcher.service.Classification;
import dev.clipsearch.searcher.service.ClassifyRequest;
import dev.clipsearch.searcher.service.ComposedSearch;
import dev.clipsearch.searcher.service.DetectRequest;
import dev.clipsearch.searcher.service.DetectionService;
import dev.clipsearch.searcher.service.ImageSearch;
import dev.clipsearch.searcher.service.ObjectDetection;
import dev.clipsearch.searcher.service.OriginalImage;
import dev.clipsearch.searcher.service.ProductDetails;
import dev.clipsearch.searcher.service.ProductUpload;
import dev.clipsearch.searcher.service.SearchResult;
import dev.clipsearch.searcher.service.SearchService;
import dev.clipsearch.searcher.service.ServiceStatus;
import dev.clipsearch.searcher.service.SimilarSearch;
import dev.clipsearch.searcher.service.StoredImage;
import dev.clipsearch.searcher.service.TextSearch;
import dev.clipsearch.searcher.service.UpsertResult;

/**
 * The service, the detection and the admin the HTTP API calls, answering from whichever generation
 * is current when a call starts: every API handler makes one service call, so each request runs
 * wholly on one index and one model, and a switch never fails or mixes a request (a detection's
 * crop searches run on the generation that detected). Admin writes go to the current generation's
 * index.
 */
final class LiveService implements SearchService, DetectionService, CatalogAdmin {

  private final Generations generations;

  LiveService(Generations generations) {
    this.generations = generations;
  }

  @Override
  public SearchResult search(TextSearch search) {
    return generations.call(g -> g.service().search(search));
  }

  @Override
  public SearchResult searchByImage(ImageSearch search) {
    return generations.call(g -> g.service().searchByImage(search));
  }

  @Override
  public SearchResult similar(SimilarSearch search) {
    return generations.call(g -> g.service().similar(search));
  }

  @Override
  public SearchResult composedSearch(ComposedSearch search) {
    return generations.call(g -> g.service().composedSearch(search));
  }

  @Override
  public Classification classify(ClassifyRequest request) {
    return generations.call(g -> g.service().classify(request));
  }

  @Override
  public ObjectDetection detect(DetectRequest request) {
    return generations.call(g -> g.detection().detect(request));
  }

  @Override
  public String detector() {
    return generations.call(g -> g.detection().detector());
  }

  @Override
  public ProductDetails product(String id) {
    return generations.call(g -> g.service().product(id));
  }

  @Override
  public StoredImage thumbnail(String id, int image) {
    return generations.call(g -> g.service().thumbnail(id, image));
  }

  @Override
  public OriginalImage originalImage(String id, int image) {
    return generations.call(g -> g.service().originalImage(id, image));
  }

  @Override
  public ServiceStatus status() {
    return generations.call(g -> g.service().status());
  }

  @Override
  public UpsertResult upsert(ProductUpload upload) {
    return generations.call(g -> admin(g).upsert(upload));
  }

  @Override
  public boolean delete(String id) {
    return generations.call(g -> admin(g).delete(id));
  }

  private static CatalogAdmin admin(Generation generation) {
    CatalogAdmin admin = generation.admin();
    if (admin == null) {
      throw new IllegalStateException(
          "the " + generation.store().location() + " is open read-only");
    }
    return admin;
  }
}
