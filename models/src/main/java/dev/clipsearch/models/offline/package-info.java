/**
 * The small image-text model that ships with clipsearch for machines without a network: see {@link
 * dev.clipsearch.models.offline.OfflineModel} and
 * models/offline/clipsearch-emoji-mini/MODEL_CARD.md.
 */
package dev.clipsearch.models.offline;
